"""The import/export format itself: its version, the fields each object carries, the JSON
Schema (schemas/import-v1.json) and the validation of a whole file before anything is written
(JSON syntax and depth, NUL characters, the schema, then references, duplicates and dates)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker

from traza.cocreation.models import Event
from traza.core.text import shorten
from traza.plans.models import Commitment, Member, OgpValue, Organization, Theme

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
    "is_fictional",
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
# A contribution's published reasoned response (deciding_sector travels as an organisation key).
RESPONSE_FIELDS = [
    "outcome",
    "reason_category",
    "text",
    "deciding_body",
    "decided_on",
    "forwarded_to",
]
FIGURE_FIELDS = ["key", "measure", "total", "breakdown", "source", "note"]
RATING_FIELDS = [
    "methodology",
    "relevance_assessed",
    "awards_stars",
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
PUBLISHED_FIELDS = ["table", "key", "value", "percent", "printed", "star_rule", "source", "note"]
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
    "decided_on",
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
    return shorten(message, MAX_MESSAGE + 1)


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
    if (
        item.get(start)
        and item.get(end)
        and parse_field(end, item[end]) < parse_field(start, item[start])
    ):
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
            problems += _response_problems(
                item.get("response"), f"{k_path}.response", organizations
            )
        problems += _duplicates(plan.get("reported_figures", []), "key", f"{path}.reported_figures")
        problems += _duplicates(
            plan.get("recommendation_followups", []), "number", f"{path}.recommendation_followups"
        )
        published = plan.get("irm_published_figures", [])
        problems += _duplicates(
            [{"cell": (f["table"], f["key"])} for f in published],
            "cell",
            f"{path}.irm_published_figures",
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


def _response_problems(
    response: dict[str, Any] | None, path: str, organizations: set[str]
) -> list[tuple[str, str]]:
    """A forwarded response names the receiving entity; no other outcome names one."""
    if not response:
        return []
    problems = []
    forwarded_to = (response.get("forwarded_to") or "").strip()
    if response["outcome"] == "forwarded" and not forwarded_to:
        problems.append(
            (f"{path}.forwarded_to", _("Name the entity the contribution was forwarded to."))
        )
    if response["outcome"] != "forwarded" and forwarded_to:
        problems.append(
            (f"{path}.forwarded_to", _("Only a forwarded contribution names a receiving entity."))
        )
    sector = response.get("deciding_sector")
    if sector and sector not in organizations:
        problems.append((f"{path}.deciding_sector", _("unknown organisation %r") % sector))
    return problems


def parse_field(key: str, value: Any) -> Any:
    """A value of the file as the model takes it (dates and date-times parsed)."""
    if value and key in DATE_FIELDS:
        return dt.date.fromisoformat(value)
    if value and key in DATETIME_FIELDS:  # RFC 3339 allows a lower-case t and z
        return dt.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    return value
