"""The plan's flow of contributions (channels → outcomes → commitments), laid out on the
server as an SVG with the same numbers as its table. No JavaScript."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from traza.cocreation.models import Channel, Contribution, Outcome
from traza.plans.models import ActionPlan

WIDTH, HEIGHT, NODE_WIDTH, GAP = 960, 420, 170, 12
COLUMNS = (0, (WIDTH - NODE_WIDTH) / 2, WIDTH - NODE_WIDTH)
UNANSWERED = "unanswered"


@dataclass
class Node:
    key: str
    label: str
    count: int
    x: float = 0
    y: float = 0
    height: float = 0
    used_out: float = 0
    used_in: float = 0


@dataclass
class Link:
    source: Node
    target: Node
    count: int
    path: str = ""
    width: float = 0


@dataclass
class Flow:
    columns: list[list[Node]]
    links: list[Link] = field(default_factory=list)
    total: int = 0
    width: int = WIDTH
    height: int = HEIGHT


def _layout(column: list[Node], x: float, scale: float) -> None:
    y = 0.0
    for node in column:
        node.x, node.y, node.height = x, y, max(node.count * scale, 2)
        y += node.height + GAP


def plan_flow(plan: ActionPlan) -> Flow:
    public = Contribution.objects.public().filter(plan=plan)  # hidden ones are not drawn
    rows = list(public.values_list("id", "channel", "response__outcome"))
    changed = Counter()
    for outcome, commitment_number, commitment_title in (
        public.filter(response__changed_versions__isnull=False)
        .values_list(
            "response__outcome",
            "response__changed_versions__commitment__number",
            "response__changed_versions__commitment__title",
        )
        .distinct()
    ):
        changed[(outcome, f"{commitment_number}. {commitment_title}"[:60])] += 1
    channel_counts = Counter(channel for _id, channel, _outcome in rows)
    outcome_counts = Counter(outcome or UNANSWERED for _id, _channel, outcome in rows)
    pairs = Counter((channel, outcome or UNANSWERED) for _id, channel, outcome in rows)
    commitment_counts = Counter()
    for (_outcome, commitment), n in changed.items():
        commitment_counts[commitment] += n

    channels = [
        Node(c, str(Channel(c).label), channel_counts[c])
        for c in Channel.values
        if channel_counts[c]
    ]
    outcome_labels = {
        **{o: str(Outcome(o).label) for o in Outcome.values},
        UNANSWERED: _("not answered yet"),
    }
    outcomes = [
        Node(o, outcome_labels[o], outcome_counts[o])
        for o in [*Outcome.values, UNANSWERED]
        if outcome_counts[o]
    ]
    commitments = [Node(k, k, n) for k, n in sorted(commitment_counts.items())]
    flow = Flow([channels, outcomes, commitments], total=len(rows))
    if not rows:
        return flow
    scale = min(
        (HEIGHT - GAP * (len(column) - 1)) / sum(n.count for n in column)
        for column in flow.columns
        if column
    )
    for column, x in zip(flow.columns, COLUMNS, strict=True):
        _layout(column, x, scale)
    by_key = [{n.key: n for n in column} for column in flow.columns]
    for (channel, outcome), n in sorted(pairs.items()):
        flow.links.append(Link(by_key[0][channel], by_key[1][outcome], n))
    for (outcome, commitment), n in sorted(changed.items()):
        flow.links.append(Link(by_key[1][outcome], by_key[2][commitment], n))
    for link in flow.links:
        link.width = max(link.count * scale, 1)
        y0 = link.source.y + link.source.used_out + link.width / 2
        y1 = link.target.y + link.target.used_in + link.width / 2
        link.source.used_out += link.width
        link.target.used_in += link.width
        x0, x1 = link.source.x + NODE_WIDTH, link.target.x
        middle = (x0 + x1) / 2
        link.path = (
            f"M{x0:.1f},{y0:.1f} C{middle:.1f},{y0:.1f} {middle:.1f},{y1:.1f} {x1:.1f},{y1:.1f}"
        )
    return flow
