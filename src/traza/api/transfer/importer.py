"""Import: validate the whole file, then write everything in one transaction through the
services, so a bad file writes nothing. Import adds and updates; it never deletes. A field (or
list) left out of an object keeps its stored value; a field given as null or "" is emptied."""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from traza.api.transfer.schema import (
    COMMITMENT_EXPORT_FIELDS,
    CONTRIBUTION_FIELDS,
    EVENT_FIELDS,
    FIGURE_FIELDS,
    FOLLOWUP_FIELDS,
    INDICATOR_FIELDS,
    MEASUREMENT_FIELDS,
    MILESTONE_EXPORT_FIELDS,
    PLAN_FIELDS,
    PUBLISHED_FIELDS,
    RATING_FIELDS,
    RELEVANCE_FIELDS,
    RESPONSE_FIELDS,
    ImportProblem,
    load_file,
    parse_field,
    validate,
)
from traza.assessment import services as assessment_services
from traza.assessment.models import PublishedFigure, Rating, RecommendationFollowUp
from traza.cocreation import services as cocreation_services
from traza.cocreation.models import (
    AttendanceTally,
    Contribution,
    Event,
    ReportedFigure,
    Response,
    Timeline,
)
from traza.core.services import Service
from traza.monitoring import services as monitoring_services
from traza.monitoring.models import Indicator, Measurement
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
        values[name] = parse_field(name, value)
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

    def upsert(model, lookup: dict[str, Any], values: dict[str, Any], save: Service) -> Any:
        instance = model.objects.filter(**lookup).first()
        saved = save.traced(
            actor, instance, {**lookup, **values} if instance is None else values, reason
        )
        if saved.changed:
            stats[model._meta.model_name] += 1
        return saved.object

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
                _import_commitment(
                    actor, plan, c_item, organization, theme, reason, stats, Path(source).name
                )
        for k_index, k_item in enumerate(item.get("contributions", [])):
            with _at(source, f"$.plans[{p_index}].contributions[{k_index}]"):
                contribution = _import_contribution(actor, plan, k_item, theme, reason, stats)
            if k_item.get("response"):
                with _at(source, f"$.plans[{p_index}].contributions[{k_index}].response"):
                    _import_response(
                        actor, contribution, k_item["response"], organization, reason, stats
                    )
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
        for f_index, f_item in enumerate(item.get("irm_published_figures", [])):
            values = _pick(f_item, PUBLISHED_FIELDS[2:], PublishedFigure)
            with _at(source, f"$.plans[{p_index}].irm_published_figures[{f_index}]"):
                upsert(
                    PublishedFigure,
                    {"plan": plan, "table": f_item["table"], "key": f_item["key"]},
                    values,
                    assessment_services.save_published_figure,
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
    saved = assessment_services.save_rating.traced(
        actor, stored, values if stored else key | values, reason
    )
    if saved.changed:
        stats["rating"] += 1


def _import_contribution(actor, plan, item, theme, reason, stats) -> Contribution:
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
        return stored
    contribution = cocreation_services.record_contribution(
        actor, {"plan": plan, "key": item["key"], **values}, reason
    )
    stats["contribution"] += 1
    return contribution


def _import_response(actor, contribution, item, organization, reason, stats) -> None:
    """Publish (or revise) the contribution's reasoned response, through the service that
    keeps its revisions; unchanged, nothing is written. Imported history e-mails no one."""
    values = _pick(item, RESPONSE_FIELDS, Response)
    if "deciding_sector" in item:
        values["deciding_sector"] = organization(item["deciding_sector"])
    before = (
        Response.objects.filter(contribution=contribution)
        .values_list("revision", flat=True)
        .first()
    )
    response = cocreation_services.publish_response(
        actor, contribution, values, reason=reason, tell_author=False
    )
    if response.revision != before:
        stats["response"] += 1


def _import_commitment(actor, plan, item, organization, theme, reason, stats, source) -> None:
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
    if commitment is None:
        values |= {"plan": plan, "number": item["number"]}
    stored_milestones = (
        {} if commitment is None else {m.number: m for m in commitment.milestones.all()}
    )
    milestones = []
    for m_item in item.get("milestones", []):
        m_values = _pick(m_item, MILESTONE_EXPORT_FIELDS[1:], Milestone)
        milestone = stored_milestones.get(m_item["number"])
        if milestone is None:
            m_values["number"] = m_item["number"]
        milestones.append((milestone, m_values))
    saved = services.save_commitment.traced(
        actor,
        commitment,
        values,
        supporting=supporting,
        milestones=milestones,
        step=VersionStep.IMPORT,
        reason=reason,
        source=source,
    )  # one version for the commitment and its milestones, naming the file
    commitment = saved.object
    if saved.changed:
        stats["commitment"] += 1
    written = {m.number: m for m in commitment.milestones.all()}
    for m_item in item.get("milestones", []):
        _import_indicators(
            actor,
            m_item.get("indicators", []),
            {"milestone": written[m_item["number"]]},
            reason,
            stats,
        )
    _import_indicators(actor, item.get("indicators", []), {"commitment": commitment}, reason, stats)


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
        saved = monitoring_services.save_indicator.traced(actor, indicator, values, reason)
        indicator = saved.object
        if saved.changed:
            stats["indicator"] += 1
        for m_item in item.get("measurements", []):
            m_values = _pick(m_item, MEASUREMENT_FIELDS, Measurement)
            m_values["value"] = _decimal(m_values["value"])
            stored = Measurement.objects.filter(
                indicator=indicator, measured_on=m_values["measured_on"], report__isnull=True
            ).first()
            if stored is None:
                m_values["indicator"] = indicator
            if monitoring_services.save_measurement.traced(actor, stored, m_values, reason).changed:
                stats["measurement"] += 1


def _import_event(actor, plan, item, organization, theme, reason, stats) -> None:
    values = _pick(item, EVENT_FIELDS[1:], Event)
    if "organiser" in item:
        values["organiser"] = organization(item["organiser"])
    themes = None  # left out: the stored list stays
    if "themes" in item:
        themes = [theme(key) for key in item["themes"]]
    event = Event.objects.filter(plan=plan, key=item["key"]).first()
    if event is None:
        values |= {"plan": plan, "key": item["key"]}
    saved = cocreation_services.save_event.traced(
        actor, event, values, themes=themes, reason=reason
    )
    event = saved.object
    if saved.changed:
        stats["event"] += 1
    for tally in item.get("attendance", []):
        t_values = _pick(tally, ["state", "civil_society", "others", "note"], AttendanceTally)
        stored = AttendanceTally.objects.filter(event=event, source=tally["source"]).first()
        if stored is None:
            t_values |= {"event": event, "source": tally["source"]}
        if cocreation_services.save_tally.traced(actor, stored, t_values, reason).changed:
            stats["attendance"] += 1


def import_file(actor: Any, path: Path | str) -> dict[str, int]:
    return import_data(actor, load_file(path), str(path))
