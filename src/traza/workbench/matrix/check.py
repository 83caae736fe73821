"""The dry run of a matrix import: what each row would create or change, and every error as
(row, column, reason). It only reads, in a bounded number of queries (the plan's
contributions, events, commitments, themes and organisations are read once); the import
(:mod:`traza.workbench.services.matrix`) runs the same check again inside its transaction and
writes the plan it gives, so what was shown is what is written, or nothing.

Rules, also in docs/data/matrix.md:

- a row is recognised by its code: the contribution's key, or ``traza:<id>`` (the code the
  export gives a contribution without a key). A ``traza:<id>`` of another plan is an error;
  a key unknown in this plan is a new contribution, stored with that key (as a slug);
- a new row needs its date received, channel (or the default chosen) and text; its event,
  theme and commitment must be found in Traza (the commitment in this plan);
- the import never changes a contribution already in Traza (its text, date, author...):
  only its reasoned response, published or revised; a difference is noted, not written;
- a response is published when the row has an outcome; the model's rules apply (a text
  unless pending, a reason when not adopted or out of scope, the sector of a technical
  meeting, the entity a forwarded one went to);
- nobody is e-mailed: authors of imported rows left no address, and the import publishes
  without telling those who did (the workbench does that, with a preview)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from traza.cocreation.matrix import COLUMNS, code_id
from traza.cocreation.models import (
    CHANGING_OUTCOMES,
    Channel,
    Contribution,
    DecidingBody,
    Event,
    Outcome,
    ReasonCategory,
    Response,
    ResponseDraft,
)
from traza.cocreation.services import DECISION_FIELDS
from traza.plans.models import ActionPlan, Commitment, CommitmentVersion, Organization, Theme
from traza.workbench.matrix.mapping import (
    RESPONSE_TARGETS,
    anonymous_names,
    normalise,
    value_names,
)
from traza.workbench.matrix.reader import Cell, Table

RESPONSE_FIELDS = DECISION_FIELDS
# the model field of a response → the target its error is reported under
FIELD_TARGET = {
    "outcome": "outcome",
    "reason_category": "reason",
    "text": "response",
    "deciding_body": "decided_by",
    "deciding_sector": "decided_by",
    "decided_on": "decided_on",
    "forwarded_to": "forwarded_to",
}
CONTRIBUTION_FIELD_TARGET = {
    "key": "code",
    "channel": "channel",
    "text": "text",
    "author_name": "author",
    "received_at": "received",
    "event": "event",
    "theme": "theme",
    "commitment": "commitment",
}


@dataclass
class Options:
    """What the mapping form says besides the columns."""

    columns: dict[int, str]  # column index → target ('' ignore)
    channel: str = ""  # the channel of rows that name none
    deciding_body: str = ""  # the deciding body of rows that name none
    names_public: bool = False  # the author column holds names published with consent

    def as_json(self, headers: list[str]) -> dict[str, Any]:
        return {
            "columns": {str(i): t for i, t in sorted(self.columns.items())},
            "headers": headers,
            "channel": self.channel,
            "deciding_body": self.deciding_body,
            "names_public": self.names_public,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Options:
        return cls(
            columns={int(i): t for i, t in (data.get("columns") or {}).items()},
            channel=data.get("channel", ""),
            deciding_body=data.get("deciding_body", ""),
            names_public=bool(data.get("names_public")),
        )


@dataclass
class Planned:
    """One row's write: a new contribution (``create``), its response published or revised."""

    row: int
    code: str
    action: str  # create | update | unchanged
    contribution: Contribution | None = None
    contribution_values: dict[str, Any] | None = None
    response_values: dict[str, Any] | None = None
    versions: list[CommitmentVersion] = field(default_factory=list)
    expected_revision: int = 0
    changes: list[list[str]] = field(default_factory=list)  # [label, old, new]
    notes: list[str] = field(default_factory=list)

    def signature(self) -> list[Any]:
        """What the write depends on, to see whether the data changed since the dry run: the
        values to write as stored (never their labels, which follow the page's language)."""
        return [
            self.row,
            self.action,
            self.contribution.pk if self.contribution else None,
            self.expected_revision,
            _canonical(self.contribution_values),
            _canonical(self.response_values),
            sorted(v.pk for v in self.versions),
        ]


def _canonical(values: dict[str, Any] | None) -> list[list[Any]] | None:
    if values is None:
        return None
    return [
        [
            name,
            value.pk
            if isinstance(value, models.Model)
            else value.isoformat()
            if isinstance(value, dt.date)
            else value,
        ]
        for name, value in sorted(values.items())
    ]


@dataclass
class Result:
    planned: list[Planned]
    errors: list[dict[str, Any]]
    ignored: list[str]
    sha256: str

    @property
    def fingerprint(self) -> str:
        data = json.dumps([p.signature() for p in self.planned], default=str, sort_keys=True)
        return hashlib.sha256(f"{self.sha256}:{data}".encode()).hexdigest()

    def report(self) -> dict[str, Any]:
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for planned in self.planned:
            counts[planned.action] += 1
        return {
            "rows": [
                {
                    "row": p.row,
                    "code": p.code,
                    "action": p.action,
                    "contribution": p.contribution.pk if p.contribution else None,
                    "changes": p.changes,
                    "notes": p.notes,
                }
                for p in self.planned
            ],
            "errors": self.errors,
            "ignored": self.ignored,
            "counts": {**counts, "errors": len(self.errors)},
            "sha256": self.sha256,
            "fingerprint": self.fingerprint,
        }


# --- values ----------------------------------------------------------------------------------

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%Y/%m/%d")
EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(value: Cell) -> dt.date:
    """A date cell, ISO 8601 text, day-first text (DD/MM/YYYY, as Spanish-speaking
    secretariats write) or an Excel day number; ValueError otherwise."""
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    text = re.split(r"[T ]\d{1,2}:\d{2}", text)[0].strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    if text.isdigit() and 20_000 <= int(text) <= 80_000:
        return EXCEL_EPOCH + dt.timedelta(days=int(text))
    raise ValueError(text)


def _text(value: Cell) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value).strip()


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


class _Lookups:
    """Everything a row may name, read once."""

    def __init__(self, plan: ActionPlan) -> None:
        self.plan = plan
        self.channels = value_names(Channel)
        self.outcomes = value_names(Outcome)
        self.reasons = value_names(ReasonCategory)
        self.bodies = value_names(DecidingBody)
        self.anonymous = anonymous_names()
        self.contributions = list(
            Contribution.objects.filter(plan=plan).select_related(
                "response__deciding_sector", "discussion_post"
            )
        )
        self.by_pk = {c.pk: c for c in self.contributions}
        self.by_key = {c.key: c for c in self.contributions if c.key}
        self.by_slug: dict[str, Contribution] = {}
        for c in self.contributions:
            if c.key:
                self.by_slug.setdefault(slugify(c.key), c)
        self.drafts = set(
            ResponseDraft.objects.filter(contribution__plan=plan).values_list(
                "contribution_id", flat=True
            )
        )
        self.versions: dict[int, list[CommitmentVersion]] = {}
        through = Response.changed_versions.through
        for link in through.objects.filter(response__contribution__plan=plan).select_related(
            "commitmentversion"
        ):
            self.versions.setdefault(link.response_id, []).append(link.commitmentversion)
        self.events: dict[str, Event] = {}
        for event in Event.objects.filter(plan=plan).order_by("starts_at", "id"):
            self.events.setdefault(normalise(event.title), event)
            self.events.setdefault(normalise(event.key), event)
        self.themes: dict[str, Theme] = {}
        for theme in Theme.objects.all():
            self.themes.setdefault(normalise(theme.name), theme)
            self.themes.setdefault(normalise(theme.slug), theme)
        self.commitments = {c.number: c for c in Commitment.objects.filter(plan=plan)}
        self.commitment_titles = {normalise(c.title): c for c in self.commitments.values()}
        self.organizations = {normalise(o.name): o for o in Organization.objects.all()}

    def other_plans(self, ids: set[int]) -> dict[int, str]:
        """For ``traza:<id>`` codes not in this plan: the plan each belongs to."""
        found = {}
        wanted = sorted(ids)
        for start in range(0, len(wanted), 500):
            for pk, title in Contribution.objects.filter(
                pk__in=wanted[start : start + 500]
            ).values_list("pk", "plan__title"):
                found[pk] = title
        return found


# --- the check -------------------------------------------------------------------------------


class _Row:
    """One row being checked: its cells by target, and the errors found in it."""

    def __init__(
        self, number: int, cells: dict[str, Cell], headers: dict[str, str], errors: list
    ) -> None:
        self.number = number
        self.cells = cells
        self.headers = headers
        self.errors = errors
        self.failed = False
        self.failed_targets: set[str] = set()

    def get(self, target: str) -> str:
        return _text(self.cells.get(target))

    def error(self, target: str, reason: str) -> None:
        self.failed = True
        self.failed_targets |= {target}
        self.errors.append(
            {"row": self.number, "column": self.headers.get(target, ""), "reason": reason}
        )


def check(plan: ActionPlan, table: Table, options: Options) -> Result:
    """The dry run: the planned writes and the errors (nothing written)."""
    errors: list[dict[str, Any]] = []
    columns = {i: t for i, t in options.columns.items() if i < len(table.headers)}
    ignored = [table.headers[i] for i in range(len(table.headers)) if not columns.get(i)]
    target_column = {t: i for i, t in columns.items() if t}
    labels = {column.key: str(column.label) for column in COLUMNS}  # the short names
    headers = {t: table.headers[i] for t, i in target_column.items()}
    if "code" not in target_column:
        errors.append(
            {
                "row": None,
                "column": "",
                "reason": _(
                    "No column is mapped to the code: Traza needs it to recognise each row "
                    "again, so that importing the same matrix twice changes nothing."
                ),
            }
        )
        return Result([], errors, ignored, table.sha256)
    lookups = _Lookups(plan)
    codes = [_text(table.cell(cells, target_column["code"])) for _n, cells in table.rows]
    foreign_ids = {
        i for code in codes if (i := code_id(code)) is not None and i not in lookups.by_pk
    }
    other_plans = lookups.other_plans(foreign_ids) if foreign_ids else {}
    seen: dict[str, int] = {}
    new_keys: dict[str, int] = {}
    planned: list[Planned] = []
    for number, cells in table.rows:
        row = _Row(
            number,
            {t: table.cell(cells, i) for t, i in target_column.items()},
            headers,
            errors,
        )
        result = _check_row(row, lookups, options, seen, new_keys, other_plans, labels)
        if result is not None and not row.failed:
            planned.append(result)
    return Result(planned, errors, ignored, table.sha256)


def _check_row(
    row: _Row,
    lookups: _Lookups,
    options: Options,
    seen: dict[str, int],
    new_keys: dict[str, int],
    other_plans: dict[int, str],
    labels: dict[str, str],
) -> Planned | None:
    code = row.get("code")
    if not code:
        row.error("code", _("The code is missing."))
        return None
    folded = code.casefold()
    if folded in seen:
        row.error(
            "code",
            _("The code %(code)s is also on row %(row)s.") % {"code": code, "row": seen[folded]},
        )
        return None
    seen[folded] = row.number
    contribution = None
    key = ""
    pk = code_id(code)
    if pk is not None:
        contribution = lookups.by_pk.get(pk)
        if contribution is None:
            if pk in other_plans:
                row.error(
                    "code",
                    _("%(code)s is a contribution of another plan (%(plan)s), not of this one.")
                    % {"code": code, "plan": other_plans[pk]},
                )
            else:
                row.error(
                    "code", _("No contribution in Traza has the code %(code)s.") % {"code": code}
                )
            return None
    else:
        contribution = lookups.by_key.get(code) or lookups.by_slug.get(slugify(code))
        if contribution is None:
            key = code
            try:
                validate_slug(key)
            except ValidationError:
                key = slugify(code)
            if not key or len(key) > 120:
                row.error(
                    "code",
                    _(
                        "The code %(code)s cannot be kept as a key (letters, digits, hyphens, at most 120)."
                    )
                    % {"code": code},
                )
                return None
            if key in new_keys:
                row.error(
                    "code",
                    _(
                        "The code %(code)s is the same as row %(row)s's once written as a key (%(key)s)."
                    )
                    % {"code": code, "row": new_keys[key], "key": key},
                )
                return None
            new_keys[key] = row.number
    if contribution is not None and contribution.is_hidden:
        row.error(
            "code", _("This contribution was hidden by moderation: an import cannot change it.")
        )
        return None

    event = _find(row, "event", lookups.events, _("No event of this plan is called “%(value)s”."))
    theme = _find(row, "theme", lookups.themes, _("No theme is called “%(value)s”."))
    commitment = _commitment(row, lookups)
    received = _date(row, "received")
    channel = _choice(row, "channel", lookups.channels, options.channel)
    response_values = _response_values(row, lookups, options)

    planned = Planned(row=row.number, code=code, action="unchanged", contribution=contribution)
    if contribution is None:
        values = _new_contribution(
            row, lookups, options, key, channel, received, event, theme, commitment
        )
        if values is None:
            return None
        planned.action = "create"
        planned.contribution_values = values
        for name, target in CONTRIBUTION_FIELD_TARGET.items():
            if values.get(name) not in (None, ""):
                planned.changes.append([labels.get(target, name), "", _show(name, values[name])])
        if values["author_name"] and not values["show_author"]:
            planned.notes.append(_("The author's name is kept but not published."))
    else:
        _note_differences(planned, row, contribution, received, channel, event, theme)
    if response_values is not None:
        _plan_response(planned, row, lookups, contribution, response_values, labels)
    if row.failed:
        return None
    return planned


def _published(contribution: Contribution) -> Response | None:
    response = getattr(contribution, "response", None)
    return response if response is not None and response.published_at else None


def _find(row: _Row, target: str, index: dict, message: str):
    value = row.get(target)
    if not value:
        return None
    found = index.get(normalise(value))
    if found is None:
        row.error(target, message % {"value": value})
    return found


def _commitment(row: _Row, lookups: _Lookups) -> Commitment | None:
    value = row.get("commitment")
    if not value:
        return None
    found = None
    for part in [p.strip() for p in value.split(";") if p.strip()][:1]:
        match = re.match(r"^(?:\w+\s+)?(\d+)\s*[.):\-–]?\s*(.*)$", part)
        if match and match.group(1):
            found = lookups.commitments.get(int(match.group(1)))
        if found is None:
            found = lookups.commitment_titles.get(normalise(part))
    if found is None:
        row.error(
            "commitment",
            _("No commitment of this plan is “%(value)s” (give its number).") % {"value": value},
        )
    return found


def _date(row: _Row, target: str) -> dt.date | None:
    value = row.cells.get(target)
    if value is None or _text(value) == "":
        return None
    try:
        return parse_date(value)
    except ValueError:
        row.error(
            target,
            _("“%(value)s” is not a date Traza understands: write it as 2024-03-31 or 31/03/2024.")
            % {"value": _text(value)},
        )
        return None


def _choice(row: _Row, target: str, names: dict[str, str], default: str = "") -> str:
    value = row.get(target)
    if not value:
        return default
    found = names.get(normalise(value))
    if found is None:
        row.error(target, _("“%(value)s” is not a known value of this column.") % {"value": value})
        return ""
    return found


def _new_contribution(
    row: _Row,
    lookups: _Lookups,
    options: Options,
    key: str,
    channel: str,
    received: dt.date | None,
    event: Event | None,
    theme: Theme | None,
    commitment: Commitment | None,
) -> dict[str, Any] | None:
    text = row.get("text")
    if not text:
        row.error("text", _("A new contribution needs its text."))
    if received is None and not row.get("received"):
        row.error("received", _("A new contribution needs the date it was received."))
    if not channel and not row.get("channel"):
        row.error("channel", _("A new contribution needs its channel (or choose a default one)."))
    author = row.get("author")
    if normalise(author) in lookups.anonymous:
        author = ""
    if row.failed:
        return None
    values = {
        "plan": lookups.plan,
        "key": key,
        "channel": channel,
        "text": text,
        "received_at": timezone.make_aware(dt.datetime.combine(received, dt.time(12))),  # type: ignore[arg-type]
        "event": event,
        "theme": theme,
        "commitment": commitment,
        "author_name": author,
        "show_author": bool(author) and options.names_public,
    }
    candidate = Contribution(**values)
    try:
        candidate.clean_fields(exclude=["plan", "event", "theme", "commitment", "self_assessment"])
        candidate.clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            row.error(CONTRIBUTION_FIELD_TARGET.get(name, "text"), " ".join(messages))
        return None
    return values


def _response_values(row: _Row, lookups: _Lookups, options: Options) -> dict[str, Any] | None:
    outcome_text = row.get("outcome")
    if not outcome_text:
        if any(row.get(t) for t in RESPONSE_TARGETS):
            row.error("outcome", _("The row has a response but no outcome."))
        return None
    outcome = _choice(row, "outcome", lookups.outcomes)
    reason = _choice(row, "reason", lookups.reasons)
    body, sector = _deciding(row, lookups, options)
    decided_on = _date(row, "decided_on")
    if outcome and decided_on is None and not row.get("decided_on"):
        row.error("decided_on", _("A response needs the date it was decided."))
    if not outcome:
        return None
    values = {
        "outcome": outcome,
        "reason_category": reason,
        "text": row.get("response"),
        "deciding_body": body,
        "deciding_sector": sector,
        "decided_on": decided_on,
        "forwarded_to": row.get("forwarded_to"),
    }
    candidate = Response(**values)
    reported = set(row.failed_targets)  # a cell already refused is not refused twice
    try:
        candidate.clean_fields(exclude=["contribution", "published_at", "revision"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            target = FIELD_TARGET.get(name, "response")
            if target in reported or name == "decided_on":
                continue  # reported above
            if name == "deciding_body":
                row.error(target, _("Say who decided (or choose a default deciding body)."))
            else:
                row.error(target, " ".join(messages))
    try:
        candidate.clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            target = FIELD_TARGET.get(name, "response")
            if target not in reported:
                row.error(target, " ".join(messages))
    return values


def _deciding(row: _Row, lookups: _Lookups, options: Options) -> tuple[str, Organization | None]:
    value = row.get("decided_by")
    if not value:
        return options.deciding_body, None
    found = lookups.bodies.get(normalise(value))
    if found:
        return found, None
    match = re.match(r"^(.*?)\s*\(([^()]*)\)\s*$", value)
    if match:
        found = lookups.bodies.get(normalise(match.group(1)))
        if found:
            sector = lookups.organizations.get(normalise(match.group(2)))
            if sector is None:
                row.error(
                    "decided_by",
                    _("No organisation is called “%(value)s”.") % {"value": match.group(2)},
                )
            return found, sector
    row.error(
        "decided_by", _("“%(value)s” is not a known value of this column.") % {"value": value}
    )
    return "", None


def _note_differences(
    planned: Planned,
    row: _Row,
    contribution: Contribution,
    received: dt.date | None,
    channel: str,
    event: Event | None,
    theme: Theme | None,
) -> None:
    """An import never rewrites a contribution already in Traza: say where they differ."""
    checks: list[tuple[str, Callable[[], bool]]] = [
        ("text", lambda: bool(row.get("text")) and row.get("text") != contribution.text.strip()),
        (
            "received",
            lambda: (
                received is not None
                and received != timezone.localtime(contribution.received_at).date()
            ),
        ),
        ("channel", lambda: bool(row.get("channel")) and channel != contribution.channel),
        ("event", lambda: event is not None and event.pk != contribution.event_id),
        ("theme", lambda: theme is not None and theme.pk != contribution.theme_id),
    ]
    names = {column.key: column.label for column in COLUMNS}
    differing = [str(names[target]) for target, differs in checks if differs()]
    if differing:
        planned.notes.append(
            _(
                "Differs from Traza in: %(fields)s. An import does not change contributions already in Traza."
            )
            % {"fields": ", ".join(differing)}
        )


def _plan_response(
    planned: Planned,
    row: _Row,
    lookups: _Lookups,
    contribution: Contribution | None,
    values: dict[str, Any],
    labels: dict[str, str],
) -> None:
    if row.failed:
        return
    stored = _published(contribution) if contribution is not None else None
    field_labels = {
        name: labels[FIELD_TARGET[name]]
        if name != "deciding_sector"
        else str(Response._meta.get_field("deciding_sector").verbose_name)
        for name in RESPONSE_FIELDS
    }
    if stored is None:
        if contribution is not None and getattr(contribution, "response", None) is not None:
            planned.expected_revision = contribution.response.revision
        for name in RESPONSE_FIELDS:
            if values.get(name) not in (None, ""):
                planned.changes.append([field_labels[name], "", _show(name, values[name])])
        planned.response_values = values
        planned.action = "create" if contribution is None else "update"
        if contribution is not None:
            _notes_on_publishing(planned, lookups, contribution)
        return
    planned.expected_revision = stored.revision
    existing = lookups.versions.get(stored.pk, [])
    keep = existing if values["outcome"] in CHANGING_OUTCOMES else []
    changes = []
    for name in RESPONSE_FIELDS:
        old = getattr(stored, name)
        new = values.get(name)
        if name == "deciding_sector":
            differs = (old.pk if old else None) != (new.pk if new else None)
        else:
            differs = (old or "") != (new or "")
        if differs:
            changes.append([field_labels[name], _show(name, old), _show(name, new)])
    if existing and not keep:
        changes.append(
            [
                str(Response._meta.get_field("changed_versions").verbose_name),
                "; ".join(str(v) for v in existing),
                "",
            ]
        )
    if not changes:
        return
    planned.action = "update"
    planned.changes = changes
    planned.response_values = values
    planned.versions = keep
    if contribution is not None:
        _notes_on_publishing(planned, lookups, contribution)


def _notes_on_publishing(planned: Planned, lookups: _Lookups, contribution: Contribution) -> None:
    if contribution.pk in lookups.drafts:
        planned.notes.append(_("Its draft response in the workbench will be discarded."))
    if contribution.author_email:
        planned.notes.append(
            _(
                "Its author left an e-mail address but is not e-mailed by an import: tell them from the workbench."
            )
        )


def _show(name: str, value: Any) -> str:
    if value in (None, ""):
        return ""
    choices = {
        "outcome": Outcome,
        "reason_category": ReasonCategory,
        "deciding_body": DecidingBody,
        "channel": Channel,
    }.get(name)
    if choices is not None:
        return str(choices(value).label)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date().isoformat()
    return _display(value)
