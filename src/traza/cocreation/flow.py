"""The plan's flow of contributions: where they came from (a channel, or the event where they
were collected) → what was decided → which commitments they changed.

The numbers are counted in SQL by :func:`traza.cocreation.queries.flow_counts` (a bounded
number of nodes and queries whatever the plan's size); this module turns them into nodes and
links, each with the address of the contributions list filtered to exactly the contributions
it counts, and lays them out as server-drawn SVG (no JavaScript) twice: a wide drawing in
three columns, and a narrow one in two stages, one above the other, whose labels stay at
13 px or more on a 360 px phone (``flow.html`` shows one or the other by a media query).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from traza.cocreation import queries
from traza.cocreation.models import Channel
from traza.cocreation.queries import ANY_EVENT, LIST_OUTCOMES, NO_EVENT, OTHER, UNANSWERED
from traza.plans.models import ActionPlan

SOURCES, OUTCOMES, COMMITMENTS = 0, 1, 2

#: Each outcome's colour: white text on it has at least 4.5:1, and its bands (drawn at
#: ``BAND_OPACITY`` on white) at least 3:1 against the white page (tests/cocreation/test_flow.py).
OUTCOME_COLOURS = {
    "adopted": "#1d6b35",
    "partially_adopted": "#4f6b12",
    "merged": "#0d6470",
    "not_adopted": "#a32020",
    "duplicate": "#7a3d6e",
    "out_of_scope": "#8a4b00",
    "forwarded": "#5a3fa0",
    UNANSWERED: "#4a5360",
}
SOURCE_COLOUR = "#0b5cad"
COMMITMENT_COLOUR = "#1b1f24"
BAND_OPACITY = 0.72


@dataclass
class Node:
    key: str
    label: str
    count: int
    params: dict[str, str]  # the contributions list's filters that select what it counts
    colour: str
    content: bool = False  # the label is a title people wrote (an event, a commitment)
    url: str = ""
    outgoing: int = 0  # what leaves it: more than ``count`` when one contribution
    # changed several commitments

    @property
    def name(self) -> str:  # the accessible name of its links: the whole label and count
        return ngettext(
            "%(label)s: %(n)s contribution", "%(label)s: %(n)s contributions", self.count
        ) % {"label": self.label, "n": self.count}


@dataclass
class Link:
    source: Node
    target: Node
    count: int
    url: str = ""

    @property
    def params(self) -> dict[str, str]:
        return {**self.source.params, **self.target.params}

    @property
    def colour(self) -> str:  # the colour of the decision it leads to or comes from
        return (self.target if self.target.key in OUTCOME_COLOURS else self.source).colour

    @property
    def name(self) -> str:
        return ngettext(
            "%(source)s → %(target)s: %(n)s contribution",
            "%(source)s → %(target)s: %(n)s contributions",
            self.count,
        ) % {"source": self.source.label, "target": self.target.label, "n": self.count}


@dataclass
class Shape:
    """A node as drawn: its bar (or box) and its label, in lines."""

    node: Node
    x: float
    y: float
    width: float
    height: float
    text_x: float
    anchor: str  # "start" or "end"
    lines: list[tuple[float, str]]  # (baseline, text)
    inside: bool  # the label is written inside the box, in white


@dataclass
class Band:
    link: Link
    path: str
    width: float


@dataclass
class Drawing:
    key: str
    title: str
    width: int
    height: float
    font_size: int
    band_opacity: float = BAND_OPACITY
    shapes: list[Shape] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)


@dataclass
class Flow:
    columns: list[list[Node]]
    links: list[Link] = field(default_factory=list)
    total: int = 0
    wide: Drawing | None = None
    narrow: list[Drawing] = field(default_factory=list)

    @property
    def source_links(self) -> list[Link]:
        return [link for link in self.links if link.source in self.columns[SOURCES]]

    @property
    def commitment_links(self) -> list[Link]:
        return [link for link in self.links if link.target in self.columns[COMMITMENTS]]


def contributions_url(plan: ActionPlan, params: dict[str, str]) -> str:
    """The contributions list filtered by ``params`` (opened at its results)."""
    base = reverse("cocreation:contributions", args=[plan.pk])
    return f"{base}?{urlencode(params)}#results" if params else base


def _nodes(plan: ActionPlan, counts: queries.FlowCounts, compact: bool) -> list[list[Node]]:
    by_source: dict[str, int] = {}
    by_outcome: dict[str, int] = {}
    for (channel, event, outcome), n in counts.sources.items():
        key = f"event:{event}" if event is not None else channel
        by_source[key] = by_source.get(key, 0) + n
        by_outcome[outcome] = by_outcome.get(outcome, 0) + n
    sources = [
        Node(
            c, str(Channel(c).label), by_source[c], {"channel": c, "event": NO_EVENT}, SOURCE_COLOUR
        )
        for c in Channel.values
        if c in by_source
    ]
    sources += [
        Node(
            f"event:{pk}", title, by_source[f"event:{pk}"], {"event": str(pk)}, SOURCE_COLOUR, True
        )
        for pk, title in counts.events.items()
        if f"event:{pk}" in by_source
    ]
    if "event:0" in by_source:
        label, value = (_("all events"), ANY_EVENT) if compact else (_("other events"), OTHER)
        sources.append(
            Node("event:0", label, by_source["event:0"], {"event": value}, SOURCE_COLOUR)
        )
    outcomes = [
        Node(o, queries.outcome_label(o), by_outcome[o], {"outcome": o}, OUTCOME_COLOURS[o])
        for o in LIST_OUTCOMES
        if o in by_outcome
    ]
    by_commitment: dict[int, int] = {}
    for (_outcome, commitment), n in counts.changed.items():
        by_commitment[commitment] = by_commitment.get(commitment, 0) + n
    named = sorted(
        (pk for pk in counts.commitments if pk in by_commitment),
        key=lambda pk: (counts.commitments[pk][0], pk),  # in the plan's order
    )
    commitments = [
        Node(
            f"commitment:{pk}",
            "{}. {}".format(*counts.commitments[pk]),
            by_commitment[pk],
            {"changed": str(pk)},
            COMMITMENT_COLOUR,
            True,
        )
        for pk in named
    ]
    if 0 in by_commitment:
        commitments.append(
            Node(
                "commitment:0",
                _("other commitments"),
                by_commitment[0],
                {"changed": OTHER},
                COMMITMENT_COLOUR,
            )
        )
    columns = [sources, outcomes, commitments]
    for column in columns:
        for node in column:
            node.url = contributions_url(plan, node.params)
    return columns


def plan_flow(plan: ActionPlan, *, compact: bool = False) -> Flow:
    """The flow; ``compact`` (the plan page) draws all events as one source, "all events"."""
    counts = queries.flow_counts(plan, name_events=not compact)
    columns = _nodes(plan, counts, compact)
    flow = Flow(columns, total=sum(node.count for node in columns[SOURCES]))
    by_key = [{node.key: node for node in column} for column in columns]
    for (channel, event, outcome), n in counts.sources.items():
        source = by_key[SOURCES][f"event:{event}" if event is not None else channel]
        flow.links.append(Link(source, by_key[OUTCOMES][outcome], n))
    for (outcome, commitment), n in counts.changed.items():
        origin = by_key[OUTCOMES][outcome]
        flow.links.append(Link(origin, by_key[COMMITMENTS][f"commitment:{commitment}"], n))
        origin.outgoing += n
    order = {node.key: i for i, node in enumerate(n for column in columns for n in column)}
    flow.links.sort(key=lambda link: (order[link.source.key], order[link.target.key]))
    for link in flow.links:
        link.url = contributions_url(plan, link.params)
    if flow.total:
        flow.wide = _draw("wide", _("From contributions to commitments"), columns, flow.links, WIDE)
        flow.narrow = [
            _draw(
                "narrow-sources",
                _("Where the contributions came from, and what was decided"),
                columns[:2],
                flow.source_links,
                NARROW_SOURCES,
            ),
        ]
        if columns[COMMITMENTS]:
            flow.narrow.append(
                _draw(
                    "narrow-commitments",
                    _("The decisions that changed commitments"),
                    [[node for node in columns[OUTCOMES] if node.outgoing], columns[COMMITMENTS]],
                    flow.commitment_links,
                    NARROW_COMMITMENTS,
                )
            )
    return flow


# --- the drawing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    x: float  # the bar's (or box's) left edge
    width: float
    label: str  # "left", "right" or "inside"
    label_width: float


@dataclass(frozen=True)
class Geometry:
    width: int
    columns: tuple[Column, ...]
    font_size: int
    body: float  # the height the tallest column's counts are scaled to
    max_lines: int
    gap: float = 8


# 760 wide, shown from 48rem up at 100 % (13-17 px labels): sources' labels on the left,
# decisions as boxes with their label inside, commitments' labels on the right
WIDE = Geometry(
    width=760,
    columns=(
        Column(x=170, width=10, label="left", label_width=164),
        Column(x=300, width=160, label="inside", label_width=148),
        Column(x=580, width=10, label="right", label_width=172),
    ),
    font_size=14,
    body=460,
    max_lines=3,
)
# 340 wide, drawn at 100 % of a phone's column (328 px on a 360 px phone: labels of 12.5 px
# and more): two columns, labels outside the bars
_LEFT = Column(x=116, width=8, label="left", label_width=112)
_RIGHT = Column(x=216, width=8, label="right", label_width=110)
NARROW_SOURCES = Geometry(
    width=340, columns=(_LEFT, _RIGHT), font_size=13, body=360, max_lines=4, gap=10
)
NARROW_COMMITMENTS = NARROW_SOURCES

#: Average advance of a character, in ems, to wrap labels without the font's metrics
#: (generous for the system sans-serif fonts in Latin scripts).
CHAR_EM = 0.56
LINE = 1.25  # line height, in ems
PAD = 4


def wrap(text: str, chars: int, max_lines: int) -> list[str]:
    """``text`` in lines of at most ``chars`` characters, at most ``max_lines`` of them, the
    last one ending in "…" when the text did not fit (the full text is in the link's name
    and in the table)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > chars:  # a word longer than a line is cut
            if current:
                lines.append(current)
                current = ""
            lines.append(word[: chars - 1] + "-")
            word = word[chars - 1 :]
        candidate = f"{current} {word}".strip()
        if len(candidate) <= chars:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        lines = [*lines[: max_lines - 1], last[: chars - 1].rstrip() + "…"]
    return lines


def _label(node: Node) -> str:
    return f"{node.label[:1].upper()}{node.label[1:]} ({node.count})"


def _draw(key: str, title: str, columns: list[list[Node]], links: list[Link], g: Geometry):
    line = g.font_size * LINE
    wrapped = []
    for column, geometry in zip(columns, g.columns, strict=True):
        chars = max(int(geometry.label_width / (g.font_size * CHAR_EM)), 8)
        wrapped.append({node.key: wrap(_label(node), chars, g.max_lines) for node in column})
    # a node is as tall as what passes through it, and never shorter than its label
    incoming: dict[str, int] = {}
    outgoing: dict[str, int] = {}
    for link in links:
        outgoing[link.source.key] = outgoing.get(link.source.key, 0) + link.count
        incoming[link.target.key] = incoming.get(link.target.key, 0) + link.count

    def value(node: Node) -> int:
        return max(node.count, incoming.get(node.key, 0), outgoing.get(node.key, 0))

    # the counts fill the height the labels need anyway, ``body`` at least
    label_heights = [
        sum(len(text) * line + 2 * PAD + g.gap for text in lines.values()) for lines in wrapped
    ]
    largest = max(sum(value(node) for node in column) for column in columns if column)
    scale = max(g.body, *label_heights) / largest if largest else 0
    drawing = Drawing(key, title, g.width, 0, g.font_size)
    shapes: dict[str, Shape] = {}
    heights = []
    for column, geometry, lines in zip(columns, g.columns, wrapped, strict=True):
        y = 0.0
        placed = []
        for node in column:
            height = max(value(node) * scale, len(lines[node.key]) * line + 2 * PAD)
            shape = Shape(node, geometry.x, y, geometry.width, height, 0, "start", [], False)
            placed.append((shape, lines[node.key]))
            y += height + g.gap
        heights.append(y - g.gap)
        for shape, text in placed:
            _place_label(shape, text, geometry, line)
            shapes[shape.node.key] = shape
    drawing.height = max(heights)
    # centre the shorter columns
    for column, height in zip(columns, heights, strict=True):
        shift = (drawing.height - height) / 2
        for node in column:
            shape = shapes[node.key]
            shape.y += shift
            shape.lines = [(baseline + shift, text) for baseline, text in shape.lines]
    drawing.shapes = [shapes[node.key] for column in columns for node in column]
    drawing.bands = _bands(links, shapes, scale)
    return drawing


def _place_label(shape: Shape, text: list[str], geometry: Column, line: float) -> None:
    top = shape.y + (shape.height - len(text) * line) / 2
    baselines = [top + line * (i + 0.78) for i in range(len(text))]
    shape.lines = list(zip(baselines, text, strict=True))
    if geometry.label == "left":
        shape.text_x, shape.anchor = geometry.x - 6, "end"
    elif geometry.label == "right":
        shape.text_x, shape.anchor = geometry.x + geometry.width + 6, "start"
    else:
        shape.text_x, shape.anchor, shape.inside = geometry.x + 6, "start", True


def _bands(links: list[Link], shapes: dict[str, Shape], scale: float) -> list[Band]:
    """Each link a curved ribbon as wide as its count, stacked in its source in the order of
    the targets (and in its target in the order of the sources) so that bands cross little."""
    widths = {id(link): max(link.count * scale, 1.5) for link in links}
    start: dict[int, float] = {}
    end: dict[int, float] = {}
    for side, offsets in (("source", start), ("target", end)):
        other = "target" if side == "source" else "source"
        groups: dict[str, list[Link]] = {}
        for link in links:
            groups.setdefault(getattr(link, side).key, []).append(link)
        for node_key, group in groups.items():
            shape = shapes[node_key]
            group.sort(key=lambda link: shapes[getattr(link, other).key].y)
            total = sum(widths[id(link)] for link in group)
            y = shape.y + max((shape.height - total) / 2, 0)
            for link in group:
                offsets[id(link)] = y + widths[id(link)] / 2
                y += widths[id(link)]
    bands = []
    for link in links:
        source, target = shapes[link.source.key], shapes[link.target.key]
        x0, x1 = source.x + source.width, target.x
        half = widths[id(link)] / 2
        y0, y1 = start[id(link)] - half, end[id(link)] - half  # the top edge
        b0, b1 = y0 + 2 * half, y1 + 2 * half  # the bottom edge
        m = (x0 + x1) / 2
        # a filled ribbon (a thick stroke would bulge past its ends where it is steep)
        path = (
            f"M{x0:.1f},{y0:.1f}C{m:.1f},{y0:.1f} {m:.1f},{y1:.1f} {x1:.1f},{y1:.1f}"
            f"V{b1:.1f}C{m:.1f},{b1:.1f} {m:.1f},{b0:.1f} {x0:.1f},{b0:.1f}Z"
        )
        bands.append(Band(link, path, widths[id(link)]))
    return bands
