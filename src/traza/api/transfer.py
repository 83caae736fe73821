"""Traza's own JSON import and export format (docs/data/import-format.md).

Import validates the whole file first (JSON Schema, then references, duplicates and dates),
then writes everything in one transaction through the services, so a bad file writes
nothing. Import adds and updates; it never deletes. A field (or list) left out of an object
keeps its stored value; a field given as null or "" is emptied. Every text has a length cap
(the schema's maxLength) and no string may hold a NUL character. Export is deterministic, so
export → import into an empty database → export gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from contextlib import contextmanager
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker

from traza.assessment import services as assessment_services
from traza.assessment.models import Rating, RecommendationFollowUp
from traza.cocreation import services as cocreation_services
from traza.cocreation.models import (
    AttendanceTally,
    Contribution,
    Event,
    ReportedFigure,
    Timeline,
)
from traza.core.jsonvalues import EXPORT
from traza.monitoring import services as monitoring_services
from traza.monitoring.models import Indicator, Measurement, Review
from traza.plans import services
from traza.plans.models import (
    ActionPlan,
    Commitment,
    Member,
    Milestone,
    OgpValue,
    Organization,
    Theme,
    VersionStep,
)

FORMAT = "traza"
VERSION = 1
PLAN_FIELDS = [
    "number",
    "title",
    "period_start",
    "period_end",
    "stage",
    "preparatory_starts_on",
    "co_creation_starts_on",
    "co_creation_ends_on",
    "implementation_starts_on",
    "implementation_ends_on",
    "approval_instrument",
    "approved_on",
    "reported_commitment_count",
    "notes",
]
COMMITMENT_EXPORT_FIELDS = [
    "number",
    "title",
    "summary",
    "problem",
    "status_quo",
    "change_sought",
    "contribution",
    "origin",
    "notes",
    "starts_on",
    "ends_on",
    "status",
    "decision_reason",
    "ogp_id",
]
MILESTONE_EXPORT_FIELDS = [
    "number",
    "text",
    "starts_on",
    "ends_on",
    "deliverable",
    "verification_means",
]
INDICATOR_FIELDS = [
    "key",
    "name",
    "level",
    "unit",
    "baseline",
    "baseline_value",
    "baseline_date",
    "target",
    "target_value",
    "target_date",
]
MEASUREMENT_FIELDS = ["measured_on", "value", "note", "source"]
EVENT_FIELDS = [
    "key",
    "kind",
    "title",
    "description",
    "region",
    "place",
    "online_url",
    "starts_at",
    "ends_at",
    "registration_opens_at",
    "registration_closes_at",
    "capacity",
    "status",
    "announced_at",
    "source",
]
CONTRIBUTION_FIELDS = ["key", "channel", "text", "received_at", "show_author"]
FIGURE_FIELDS = ["key", "measure", "total", "breakdown", "source", "note"]
RATING_FIELDS = [
    "methodology",
    "relevance_assessed",
    "stage",
    "verifiability",
    "potential_impact",
    "completion",
    "diog",
    "verifiable",
    "open_government_lens",
    "potential_for_results",
    "promising",
    "early_results",
    "narratives",
    "evidence",
    "assessed_on",
    "source",
]
RELEVANCE_FIELDS = [v.value for v in OgpValue]
FOLLOWUP_FIELDS = ["number", "recommendation", "addressed", "integrated", "source"]
DATETIME_FIELDS = {
    "received_at",
    "starts_at",
    "ends_at",
    "registration_opens_at",
    "registration_closes_at",
    "announced_at",
}
DATE_FIELDS = {
    "preparatory_starts_on",
    "co_creation_starts_on",
    "co_creation_ends_on",
    "implementation_starts_on",
    "implementation_ends_on",
    "approved_on",
    "starts_on",
    "ends_on",
    "published_on",
    "assessed_on",
    "baseline_date",
    "target_date",
    "measured_on",
}


# The format nests at most about a dozen levels (plans, commitments, milestones, indicators,
# measurements); anything much deeper is not a Traza file.
MAX_DEPTH = 32
# Dates and date-times must fall in these years (the schema's "pattern" says the same).
YEARS = (1900, 2199)
MAX_PROBLEMS = 50
MAX_MESSAGE = 300


class ImportProblem(Exception):
    """A file that cannot be imported: ``problems`` lists (JSON path, message)."""

    def __init__(self, source: str, problems: list[tuple[str, str]]):
        self.source = source
        self.problems = problems
        super().__init__(self.render())

    def render(self) -> str:
        lines = [_("%(file)s cannot be imported:") % {"file": self.source}]
        lines += [f"  {path}: {message}" for path, message in self.problems]
        return "\n".join(lines)


@cache
def schema() -> dict[str, Any]:
    text = resources.files("traza.api").joinpath("schemas/import-v1.json").read_text("utf-8")
    return json.loads(text)


def _json_path(parts: Any) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _no_constant(name: str) -> Any:
    raise ValueError(_("%s is not a number JSON allows") % name)


def _too_deep(data: Any) -> bool:
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(node, dict):
            stack.extend((value, depth + 1) for value in node.values())
        elif isinstance(node, list):
            stack.extend((value, depth + 1) for value in node)
    return False


def parse(raw: bytes | str, source: str) -> Any:
    """JSON text (UTF-8, with or without a byte-order mark) as Python data. Anything that is
    not plain JSON (NaN, Infinity, numbers of thousands of digits, nesting deeper than the
    format's) is an ImportProblem, never a crash."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            message = _("not UTF-8 text (byte %(position)d cannot be read)") % {
                "position": error.start + 1
            }
            raise ImportProblem(source, [("$", message)]) from None
    raw = raw.removeprefix("\ufeff")
    nested = _("nested more than %d levels deep: this is not a Traza file") % MAX_DEPTH
    try:
        data = json.loads(raw, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        message = _("not valid JSON (line %(line)d, column %(column)d: %(error)s)") % {
            "line": error.lineno,
            "column": error.colno,
            "error": error.msg,
        }
        raise ImportProblem(source, [("$", message)]) from None
    except RecursionError:
        raise ImportProblem(source, [("$", nested)]) from None
    except ValueError as error:  # NaN, Infinity, an integer of more than 4300 digits
        message = _("not valid JSON: %s") % str(error)[:MAX_MESSAGE]
        raise ImportProblem(source, [("$", message)]) from None
    if _too_deep(data):
        raise ImportProblem(source, [("$", nested)])
    return data


def load_file(path: Path | str) -> dict[str, Any]:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportProblem(str(path), [("$", _("the file does not exist"))]) from None
    except OSError as error:
        raise ImportProblem(str(path), [("$", _("cannot read the file: %s") % error)]) from None
    return parse(raw, str(path))


def _nul_problems(data: Any) -> list[tuple[str, str]]:
    """Every string (value or name) holding a NUL character, which no column can store."""
    problems = []
    stack: list[tuple[Any, tuple]] = [(data, ())]
    while stack and len(problems) < MAX_PROBLEMS:
        node, path = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if "\x00" in key:
                    problems.append((_json_path(path), _("a name holds a NUL character")))
                stack.append((value, (*path, key)))
        elif isinstance(node, list):
            stack.extend((value, (*path, index)) for index, value in enumerate(node))
        elif isinstance(node, str) and "\x00" in node:
            problems.append((_json_path(path), _("holds a NUL character, which is not allowed")))
    return sorted(problems)


def _schema_message(error: Any) -> str:
    """The validator's message, without repeating a huge value back."""
    if error.validator == "maxLength":
        return _("too long: %(length)d characters, at most %(limit)d") % {
            "length": len(error.instance),
            "limit": error.validator_value,
        }
    if error.validator == "pattern" and error.schema.get("format") in ("date", "date-time"):
        return _("the year must be between %(first)d and %(last)d") % {
            "first": YEARS[0],
            "last": YEARS[1],
        }
    if error.validator in ("maximum", "minimum"):
        return _("%(value)s is out of range (%(bound)s %(limit)s)") % {
            "value": str(error.instance)[:40],
            "bound": "≤" if error.validator == "maximum" else "≥",
            "limit": error.validator_value,
        }
    message = error.message
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE] + "…"


def validate(data: Any, source: str) -> None:
    """Raise ImportProblem listing every problem in the file, or return quietly."""
    problems = _nul_problems(data)
    validator = Draft202012Validator(schema(), format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    problems += [(_json_path(e.absolute_path), _schema_message(e)) for e in errors]
    if problems:
        raise ImportProblem(source, problems[:MAX_PROBLEMS])
    problems = _semantic_problems(data)
    if problems:
        raise ImportProblem(source, problems)


def _duplicates(items: list[dict], field: str, path: str) -> list[tuple[str, str]]:
    counts = Counter(item[field] for item in items)
    return [
        (
            f"{path}[{index}].{field}",
            _("duplicate %(field)s %(value)r") % {"field": field, "value": item[field]},
        )
        for index, item in enumerate(items)
        if counts[item[field]] > 1
    ]


def _date_order(item: dict, start: str, end: str, path: str) -> list[tuple[str, str]]:
    if item.get(start) and item.get(end) and _parse(end, item[end]) < _parse(start, item[start]):
        return [(f"{path}.{end}", _("the end date is before the start date (%s)") % item[start])]
    return []


def _semantic_problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for collection in ("members", "organizations", "themes"):
        problems += _duplicates(data.get(collection, []), "key", f"$.{collection}")
    members = {m["key"] for m in data.get("members", [])} | set(
        Member.objects.values_list("slug", flat=True)
    )
    organizations = {o["key"] for o in data.get("organizations", [])} | set(
        Organization.objects.values_list("slug", flat=True)
    )
    themes = {t["key"] for t in data.get("themes", [])} | set(
        Theme.objects.values_list("slug", flat=True)
    )
    plans = data.get("plans", [])
    seen_plans = Counter((p["member"], p["number"]) for p in plans)
    for p_index, plan in enumerate(plans):
        path = f"$.plans[{p_index}]"
        if plan["member"] not in members:
            problems.append((f"{path}.member", _("unknown member %r") % plan["member"]))
        if seen_plans[(plan["member"], plan["number"])] > 1:
            problems.append(
                (f"{path}.number", _("duplicate plan number %d for this member") % plan["number"])
            )
        if plan["period_end"] < plan["period_start"]:
            problems.append((f"{path}.period_end", _("the last year is before the first year")))
        problems += _date_order(plan, "co_creation_starts_on", "co_creation_ends_on", path)
        problems += _date_order(plan, "implementation_starts_on", "implementation_ends_on", path)
        events = plan.get("events", [])
        problems += _duplicates(events, "key", f"{path}.events")
        for e_index, event in enumerate(events):
            e_path = f"{path}.events[{e_index}]"
            problems += _date_order(event, "starts_at", "ends_at", e_path)
            problems += _duplicates(event.get("attendance", []), "source", f"{e_path}.attendance")
            for t_index, key in enumerate(event.get("themes", [])):
                if key not in themes:
                    problems.append((f"{e_path}.themes[{t_index}]", _("unknown theme %r") % key))
            organiser = event.get("organiser")
            if organiser and organiser not in organizations:
                problems.append((f"{e_path}.organiser", _("unknown organisation %r") % organiser))
        commitments = plan.get("commitments", [])
        problems += _duplicates(commitments, "number", f"{path}.commitments")
        event_keys = {e["key"] for e in events} | set(
            Event.objects.filter(
                plan__member__slug=plan["member"], plan__number=plan["number"]
            ).values_list("key", flat=True)
        )
        numbers = {c["number"] for c in commitments} | set(
            Commitment.objects.filter(
                plan__member__slug=plan["member"], plan__number=plan["number"]
            ).values_list("number", flat=True)
        )
        contributions = plan.get("contributions", [])
        problems += _duplicates(contributions, "key", f"{path}.contributions")
        for k_index, item in enumerate(contributions):
            k_path = f"{path}.contributions[{k_index}]"
            if item.get("event") and item["event"] not in event_keys:
                problems.append((f"{k_path}.event", _("unknown event %r") % item["event"]))
            if item.get("theme") and item["theme"] not in themes:
                problems.append((f"{k_path}.theme", _("unknown theme %r") % item["theme"]))
            if item.get("commitment") and item["commitment"] not in numbers:
                problems.append(
                    (f"{k_path}.commitment", _("unknown commitment %r") % item["commitment"])
                )
        problems += _duplicates(plan.get("reported_figures", []), "key", f"{path}.reported_figures")
        problems += _duplicates(
            plan.get("recommendation_followups", []), "number", f"{path}.recommendation_followups"
        )
        seen_ratings = Counter()
        for r_index, item in enumerate(plan.get("ratings", [])):
            r_path = f"{path}.ratings[{r_index}]"
            if item["commitment"] not in numbers:
                problems.append(
                    (f"{r_path}.commitment", _("unknown commitment %r") % item["commitment"])
                )
            key = (item["commitment"], item.get("milestone"), item["stage"], item["methodology"])
            seen_ratings[key] += 1
            if seen_ratings[key] == 2:
                problems.append(
                    (r_path, _("a second rating of the same target in the same report"))
                )
        for c_index, commitment in enumerate(commitments):
            c_path = f"{path}.commitments[{c_index}]"
            problems += _date_order(commitment, "starts_on", "ends_on", c_path)
            lead = commitment.get("lead_organization")
            if lead and lead not in organizations:
                problems.append(
                    (f"{c_path}.lead_organization", _("unknown organisation %r") % lead)
                )
            for s_index, key in enumerate(commitment.get("supporting_organizations", [])):
                if key not in organizations:
                    problems.append(
                        (
                            f"{c_path}.supporting_organizations[{s_index}]",
                            _("unknown organisation %r") % key,
                        )
                    )
            theme = commitment.get("theme")
            if theme and theme not in themes:
                problems.append((f"{c_path}.theme", _("unknown theme %r") % theme))
            origin = commitment.get("origin_event")
            if origin and origin not in event_keys:
                problems.append((f"{c_path}.origin_event", _("unknown event %r") % origin))
            milestones = commitment.get("milestones", [])
            problems += _duplicates(milestones, "number", f"{c_path}.milestones")
            for m_index, milestone in enumerate(milestones):
                problems += _date_order(
                    milestone, "starts_on", "ends_on", f"{c_path}.milestones[{m_index}]"
                )
    return problems


def _parse(key: str, value: Any) -> Any:
    if value and key in DATE_FIELDS:
        return dt.date.fromisoformat(value)
    if value and key in DATETIME_FIELDS:  # RFC 3339 allows a lower-case t and z
        return dt.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    return value


def _pick(item: dict[str, Any], fields: list[str], model: Any) -> dict[str, Any]:
    """The fields present in ``item``, ready for ``model``: a field left out keeps its stored
    value (or the model's default for a new object), a null clears it (the empty text, an
    empty dict or list, or null where the column allows it)."""
    values = {}
    for name in fields:
        if name not in item:
            continue
        value = item[name]
        if value is None:
            column = model._meta.get_field(name)
            if not column.null:
                value = column.get_default()
        values[name] = _parse(name, value)
    return values


@contextmanager
def _at(source: str, path: str):
    """Report a model validation error at the JSON path being written."""
    try:
        yield
    except ValidationError as error:
        messages = (
            [
                (f"{path}.{field}" if field != "__all__" else path, " ".join(map(str, errors)))
                for field, errors in error.message_dict.items()
            ]
            if hasattr(error, "error_dict")
            else [(path, " ".join(error.messages))]
        )
        raise ImportProblem(source, messages) from None


@transaction.atomic
def import_data(actor: Any, data: dict[str, Any], source: str) -> dict[str, int]:
    """Validate and write ``data``. Returns how many objects were created or changed.

    Only the fields an object names are written: a field left out keeps its stored value."""
    validate(data, source)
    reason = _("Imported from %s") % Path(source).name
    stats: Counter[str] = Counter()

    def upsert(model, lookup: dict[str, Any], values: dict[str, Any], save) -> Any:
        instance = model.objects.filter(**lookup).first()
        before = _snapshot(instance, values)
        instance = save(
            actor, instance, {**lookup, **values} if instance is None else values, reason
        )
        if before != _snapshot(instance, values):
            stats[model._meta.model_name] += 1
        return instance

    members = {}
    for index, item in enumerate(data.get("members", [])):
        values = _pick(item, ["name", "kind", "member_since"], Member)
        with _at(source, f"$.members[{index}]"):
            members[item["key"]] = upsert(
                Member, {"slug": item["key"]}, values, services.save_member
            )
    organizations = {}
    for index, item in enumerate(data.get("organizations", [])):
        values = _pick(item, ["name", "acronym", "sector", "civil_society_type"], Organization)
        with _at(source, f"$.organizations[{index}]"):
            organizations[item["key"]] = upsert(
                Organization, {"slug": item["key"]}, values, services.save_organization
            )
    themes = {}
    for index, item in enumerate(data.get("themes", [])):
        with _at(source, f"$.themes[{index}]"):
            themes[item["key"]] = upsert(
                Theme, {"slug": item["key"]}, {"name": item["name"]}, services.save_theme
            )

    def organization(key: str | None) -> Organization | None:
        if not key:
            return None
        return organizations.get(key) or Organization.objects.get(slug=key)

    def theme(key: str | None) -> Theme | None:
        if not key:
            return None
        return themes.get(key) or Theme.objects.get(slug=key)

    for p_index, item in enumerate(data.get("plans", [])):
        member = members.get(item["member"]) or Member.objects.get(slug=item["member"])
        values = _pick(item, PLAN_FIELDS[1:], ActionPlan)
        with _at(source, f"$.plans[{p_index}]"):
            plan = upsert(
                ActionPlan, {"member": member, "number": item["number"]}, values, services.save_plan
            )
        if item.get("timeline"):  # null, like absent, leaves a stored timeline alone
            values = _pick(
                item["timeline"], ["published_on", "where_published", "source"], Timeline
            )
            with _at(source, f"$.plans[{p_index}].timeline"):
                upsert(Timeline, {"plan": plan}, values, cocreation_services.save_timeline)
        for e_index, e_item in enumerate(item.get("events", [])):
            with _at(source, f"$.plans[{p_index}].events[{e_index}]"):
                _import_event(actor, plan, e_item, organization, theme, reason, stats)
        for c_index, c_item in enumerate(item.get("commitments", [])):
            with _at(source, f"$.plans[{p_index}].commitments[{c_index}]"):
                _import_commitment(actor, plan, c_item, organization, theme, reason, stats)
        for k_index, k_item in enumerate(item.get("contributions", [])):
            with _at(source, f"$.plans[{p_index}].contributions[{k_index}]"):
                _import_contribution(actor, plan, k_item, theme, reason, stats)
        for f_index, f_item in enumerate(item.get("reported_figures", [])):
            values = _pick(f_item, FIGURE_FIELDS[1:], ReportedFigure)
            with _at(source, f"$.plans[{p_index}].reported_figures[{f_index}]"):
                upsert(
                    ReportedFigure,
                    {"plan": plan, "key": f_item["key"]},
                    values,
                    cocreation_services.save_reported_figure,
                )
        for r_index, r_item in enumerate(item.get("ratings", [])):
            with _at(source, f"$.plans[{p_index}].ratings[{r_index}]"):
                _import_rating(actor, plan, r_item, reason, stats)
        for f_index, f_item in enumerate(item.get("recommendation_followups", [])):
            values = _pick(f_item, FOLLOWUP_FIELDS[1:], RecommendationFollowUp)
            with _at(source, f"$.plans[{p_index}].recommendation_followups[{f_index}]"):
                upsert(
                    RecommendationFollowUp,
                    {"plan": plan, "number": f_item["number"]},
                    values,
                    assessment_services.save_followup,
                )
    return dict(stats)


def _import_rating(actor, plan, item, reason, stats) -> None:
    values = _pick(item, [f for f in RATING_FIELDS if f not in ("methodology", "stage")], Rating)
    if "relevance" in item:
        chosen = set(item["relevance"])
        for name in RELEVANCE_FIELDS:
            values[name] = name in chosen
    commitment = Commitment.objects.get(plan=plan, number=item["commitment"])
    milestone = None
    if item.get("milestone"):
        milestone = Milestone.objects.filter(
            commitment=commitment, number=item["milestone"]
        ).first()
        if milestone is None:
            raise ValidationError({"milestone": _("unknown milestone %r") % item["milestone"]})
    key = {
        "commitment": commitment,
        "milestone": milestone,
        "stage": item["stage"],
        "methodology": item["methodology"],
    }
    stored = Rating.objects.filter(**key).first()
    if stored is not None and all(getattr(stored, k) == v for k, v in values.items()):
        return
    assessment_services.save_rating(actor, stored, values if stored else key | values, reason)
    stats["rating"] += 1


def _import_contribution(actor, plan, item, theme, reason, stats) -> None:
    """Contributions are received once and never edited: a known key must match exactly
    (in the fields the file gives)."""
    values = _pick(item, [*CONTRIBUTION_FIELDS[1:], "author_organization"], Contribution)
    if "event" in item:
        values["event"] = Event.objects.get(plan=plan, key=item["event"]) if item["event"] else None
    if "theme" in item:
        values["theme"] = theme(item["theme"])
    if "commitment" in item:
        values["commitment"] = (
            Commitment.objects.get(plan=plan, number=item["commitment"])
            if item["commitment"]
            else None
        )
    stored = Contribution.objects.filter(plan=plan, key=item["key"]).first()
    if stored is not None:
        compared = {
            k: v
            for k, v in values.items()
            if k != "author_organization" or stored.show_author  # unpublished: never exported
        }
        if any(getattr(stored, k) != v for k, v in compared.items()):
            raise ValidationError(
                _(
                    "Contribution %(key)s is already recorded with other content; contributions are never changed."
                )
                % {"key": item["key"]}
            )
        return
    cocreation_services.record_contribution(
        actor, {"plan": plan, "key": item["key"], **values}, reason
    )
    stats["contribution"] += 1


def _snapshot(instance: Any, values: dict[str, Any]) -> Any:
    if instance is None:
        return None
    return {k: getattr(instance, k) for k in values}


def _import_commitment(actor, plan, item, organization, theme, reason, stats) -> None:
    values = _pick(item, COMMITMENT_EXPORT_FIELDS[1:], Commitment)
    if "origin_event" in item:
        values["origin_event"] = (
            Event.objects.get(plan=plan, key=item["origin_event"]) if item["origin_event"] else None
        )
    if "lead_organization" in item:
        values["lead_organization"] = organization(item["lead_organization"])
    if "theme" in item:
        values["theme"] = theme(item["theme"])
    if "ogp_values" in item:
        chosen = set(item["ogp_values"])
        for value in OgpValue:
            values[value.value] = value.value in chosen
    supporting = None  # left out: the stored list stays
    if "supporting_organizations" in item:
        supporting = [organization(key) for key in item["supporting_organizations"]]
    commitment = Commitment.objects.filter(plan=plan, number=item["number"]).first()

    def state(commitment: Commitment) -> Any:  # the version's text and fields outside it
        return services.commitment_snapshot(commitment), _snapshot(commitment, fields)

    fields = dict(values)
    before = None if commitment is None else state(commitment)
    if commitment is None:
        values |= {"plan": plan, "number": item["number"]}
    commitment = services.save_commitment(
        actor, commitment, values, supporting=supporting, step=VersionStep.IMPORT, reason=reason
    )
    for m_item in item.get("milestones", []):
        m_values = _pick(m_item, MILESTONE_EXPORT_FIELDS[1:], Milestone)
        milestone = Milestone.objects.filter(commitment=commitment, number=m_item["number"]).first()
        if milestone is None:
            m_values |= {"commitment": commitment, "number": m_item["number"]}
        milestone = services.save_milestone(
            actor, milestone, m_values, step=VersionStep.IMPORT, reason=reason
        )
        _import_indicators(
            actor, m_item.get("indicators", []), {"milestone": milestone}, reason, stats
        )
    _import_indicators(actor, item.get("indicators", []), {"commitment": commitment}, reason, stats)
    if before != state(commitment):
        stats["commitment"] += 1


def _decimal(number: float | int) -> Decimal:
    """A JSON number as the database stores it (four decimal places), so that importing the
    same file again finds nothing changed."""
    return Decimal(str(number)).quantize(Decimal("0.0001"))


def _import_indicators(actor, items, owner: dict[str, Any], reason, stats) -> None:
    for item in items:
        values = _pick(item, INDICATOR_FIELDS[1:], Indicator)
        for name in ("baseline_value", "target_value"):
            if values.get(name) is not None:
                values[name] = _decimal(values[name])
        indicator = Indicator.objects.filter(key=item["key"], **owner).first()
        if indicator is None:
            values |= owner | {"key": item["key"]}
        before = None if indicator is None else _snapshot(indicator, values)
        indicator = monitoring_services.save_indicator(actor, indicator, values, reason)
        if before != _snapshot(indicator, values):
            stats["indicator"] += 1
        for m_item in item.get("measurements", []):
            m_values = _pick(m_item, MEASUREMENT_FIELDS, Measurement)
            m_values["value"] = _decimal(m_values["value"])
            stored = Measurement.objects.filter(
                indicator=indicator, measured_on=m_values["measured_on"], report__isnull=True
            ).first()
            if stored is None:
                m_values["indicator"] = indicator
            before = None if stored is None else _snapshot(stored, m_values)
            saved = monitoring_services.save_measurement(actor, stored, m_values, reason)
            if before != _snapshot(saved, m_values):
                stats["measurement"] += 1


def _import_event(actor, plan, item, organization, theme, reason, stats) -> None:
    values = _pick(item, EVENT_FIELDS[1:], Event)
    if "organiser" in item:
        values["organiser"] = organization(item["organiser"])
    themes = None  # left out: the stored list stays
    if "themes" in item:
        themes = [theme(key) for key in item["themes"]]
    event = Event.objects.filter(plan=plan, key=item["key"]).first()

    def state(event: Event) -> Any:
        listed = sorted(event.themes.values_list("pk", flat=True)) if themes is not None else None
        return (_snapshot(event, values), listed)

    before = None if event is None else state(event)
    if event is None:
        values |= {"plan": plan, "key": item["key"]}
    event = cocreation_services.save_event(actor, event, values, themes=themes, reason=reason)
    values = {k: v for k, v in values.items() if k not in ("plan", "key")}
    if before is None or before != state(event):
        stats["event"] += 1
    for tally in item.get("attendance", []):
        t_values = _pick(tally, ["state", "civil_society", "others", "note"], AttendanceTally)
        stored = AttendanceTally.objects.filter(event=event, source=tally["source"]).first()
        if stored is None:
            t_values |= {"event": event, "source": tally["source"]}
        elif all(getattr(stored, k) == v for k, v in t_values.items()):
            continue
        cocreation_services.save_tally(actor, stored, t_values, reason)
        stats["attendance"] += 1


def import_file(actor: Any, path: Path | str) -> dict[str, int]:
    return import_data(actor, load_file(path), str(path))


# --- export -----------------------------------------------------------------------------


_value = EXPORT  # a whole number without a fraction: the file reads as it was written


def export_data(plan_ids: list[int] | None = None) -> dict[str, Any]:
    """Everything (or the given plans and what they refer to) in the import format."""
    plans = ActionPlan.objects.select_related("member").order_by("member__slug", "number")
    if plan_ids:
        plans = plans.filter(pk__in=plan_ids)
    plans = list(plans)
    commitments = (
        Commitment.objects.filter(plan__in=plans)
        .select_related("lead_organization", "theme", "origin_event")
        .prefetch_related(
            "supporting_organizations",
            "milestones__indicators__measurements__report",
            "indicators__measurements__report",
        )
        .order_by("plan_id", "number")
    )
    events_by_plan: dict[int, list[Event]] = {}
    for event in (
        Event.objects.filter(plan__in=plans)
        .select_related("organiser")
        .prefetch_related("themes", "tallies")
        .order_by("plan_id", "starts_at", "key")
    ):
        events_by_plan.setdefault(event.plan_id, []).append(event)
    timelines = {t.plan_id: t for t in Timeline.objects.filter(plan__in=plans)}
    contributions_by_plan: dict[int, list[Contribution]] = {}
    for contribution in (
        Contribution.objects.public()  # a file to publish: never what moderation hid
        .filter(plan__in=plans)
        .select_related("event", "theme", "commitment")
        .order_by("plan_id", "received_at", "id")
    ):
        contributions_by_plan.setdefault(contribution.plan_id, []).append(contribution)
    ratings_by_plan: dict[int, list[Rating]] = {}
    for rating in (
        Rating.objects.filter(commitment__plan__in=plans)
        .select_related("commitment", "milestone")
        .order_by(
            "commitment__plan_id", "commitment__number", "milestone__number", "stage", "methodology"
        )
    ):
        ratings_by_plan.setdefault(rating.commitment.plan_id, []).append(rating)
    followups_by_plan: dict[int, list[RecommendationFollowUp]] = {}
    for followup in RecommendationFollowUp.objects.filter(plan__in=plans).order_by(
        "plan_id", "number"
    ):
        followups_by_plan.setdefault(followup.plan_id, []).append(followup)
    figures_by_plan: dict[int, list[ReportedFigure]] = {}
    for figure in ReportedFigure.objects.filter(plan__in=plans).order_by("plan_id", "key"):
        figures_by_plan.setdefault(figure.plan_id, []).append(figure)
    by_plan: dict[int, list[Commitment]] = {}
    for commitment in commitments:
        by_plan.setdefault(commitment.plan_id, []).append(commitment)

    if plan_ids:
        member_ids = {p.member_id for p in plans}
        org_keys = set()
        theme_keys = set()
        for items in by_plan.values():
            for c in items:
                if c.lead_organization_id:
                    org_keys.add(c.lead_organization.slug)
                org_keys |= {o.slug for o in c.supporting_organizations.all()}
                if c.theme_id:
                    theme_keys.add(c.theme.slug)
        for items in events_by_plan.values():
            for e in items:
                if e.organiser_id:
                    org_keys.add(e.organiser.slug)
                theme_keys |= {t.slug for t in e.themes.all()}
        members = Member.objects.filter(pk__in=member_ids)
        organizations = Organization.objects.filter(slug__in=org_keys)
        themes = Theme.objects.filter(slug__in=theme_keys)
    else:
        members, organizations, themes = (
            Member.objects.all(),
            Organization.objects.all(),
            Theme.objects.all(),
        )

    return {
        "format": FORMAT,
        "version": VERSION,
        "members": [
            {"key": m.slug, "name": m.name, "kind": m.kind, "member_since": m.member_since}
            for m in members.order_by("slug")
        ],
        "organizations": [
            {
                "key": o.slug,
                "name": o.name,
                "acronym": o.acronym,
                "sector": o.sector,
                "civil_society_type": o.civil_society_type,
            }
            for o in organizations.order_by("slug")
        ],
        "themes": [{"key": t.slug, "name": t.name} for t in themes.order_by("slug")],
        "plans": [
            {
                "member": plan.member.slug,
                **{f: _value(getattr(plan, f)) for f in PLAN_FIELDS},
                "commitments": [_export_commitment(c) for c in by_plan.get(plan.pk, [])],
                "timeline": _export_timeline(timelines.get(plan.pk)),
                "events": [_export_event(e) for e in events_by_plan.get(plan.pk, [])],
                "contributions": [
                    _export_contribution(c) for c in contributions_by_plan.get(plan.pk, [])
                ],
                "reported_figures": [
                    {f: _value(getattr(figure, f)) for f in FIGURE_FIELDS}
                    for figure in figures_by_plan.get(plan.pk, [])
                ],
                "ratings": [_export_rating(r) for r in ratings_by_plan.get(plan.pk, [])],
                "recommendation_followups": [
                    {f: _value(getattr(followup, f)) for f in FOLLOWUP_FIELDS}
                    for followup in followups_by_plan.get(plan.pk, [])
                ],
            }
            for plan in plans
        ],
    }


def _export_timeline(timeline: Timeline | None) -> dict[str, Any] | None:
    if timeline is None:
        return None
    return {
        "published_on": timeline.published_on.isoformat(),
        "where_published": timeline.where_published,
        "source": timeline.source,
    }


def _export_event(event: Event) -> dict[str, Any]:
    return {
        **{f: _value(getattr(event, f)) for f in EVENT_FIELDS},
        "organiser": event.organiser.slug if event.organiser_id else None,
        "themes": sorted(t.slug for t in event.themes.all()),
        "attendance": [
            {
                "source": t.source,
                "state": t.state,
                "civil_society": t.civil_society,
                "others": t.others,
                "note": t.note,
            }
            for t in sorted(event.tallies.all(), key=lambda t: t.source)
        ],
    }


def _export_rating(r: Rating) -> dict[str, Any]:
    return {
        "commitment": r.commitment.number,
        "milestone": r.milestone.number if r.milestone_id else None,
        **{f: _value(getattr(r, f)) for f in RATING_FIELDS},
        "relevance": [name for name in RELEVANCE_FIELDS if getattr(r, name)],
    }


def _export_contribution(c: Contribution) -> dict[str, Any]:
    """No personal data: the organisation only when its author agreed to publish it."""
    return {
        **{f: _value(getattr(c, f)) for f in CONTRIBUTION_FIELDS},
        "key": c.key or f"c-{c.pk}",
        "event": c.event.key if c.event_id else None,
        "theme": c.theme.slug if c.theme_id else None,
        "commitment": c.commitment.number if c.commitment_id else None,
        "author_organization": c.author_organization if c.show_author else "",
    }


def _export_commitment(c: Commitment) -> dict[str, Any]:
    return {
        **{f: _value(getattr(c, f)) for f in COMMITMENT_EXPORT_FIELDS},
        "origin_event": c.origin_event.key if c.origin_event_id else None,
        "lead_organization": c.lead_organization.slug if c.lead_organization_id else None,
        "supporting_organizations": sorted(o.slug for o in c.supporting_organizations.all()),
        "theme": c.theme.slug if c.theme_id else None,
        "ogp_values": [v.value for v in c.values],
        "milestones": [
            {
                **{f: _value(getattr(m, f)) for f in MILESTONE_EXPORT_FIELDS},
                "indicators": _export_indicators(m),
            }
            for m in sorted(c.milestones.all(), key=lambda m: m.number)
        ],
        "indicators": _export_indicators(c),
    }


def _export_indicators(owner: Commitment | Milestone) -> list[dict[str, Any]]:
    """Indicators with their public measurements (those of a report still under review or
    returned stay out)."""
    return [
        {
            **{f: _value(getattr(i, f)) for f in INDICATOR_FIELDS},
            "measurements": [
                {f: _value(getattr(m, f)) for f in MEASUREMENT_FIELDS}
                for m in sorted(i.measurements.all(), key=lambda m: (m.measured_on, m.pk))
                if m.report_id is None or m.report.review == Review.ACCEPTED
            ],
        }
        for i in sorted(owner.indicators.all(), key=lambda i: i.key)
    ]


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
