"""Writes of monitoring: an officer reports progress on their own organisation's milestones;
the secretariat accepts or returns the report. Permission, rules and trace in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from traza.core.services import (
    Saved,
    account_of,
    record,
    require_perm,
    save_traced,
    saver,
    service,
    trace_language,
)
from traza.core.text import shorten
from traza.core.uploads import checked_file
from traza.monitoring.models import (
    CompletionOverride,
    Indicator,
    Measurement,
    ProgressEvidence,
    ProgressReport,
    Review,
    SelfAssessment,
)
from traza.monitoring.queries import due_milestones
from traza.notifications.models import OutboxMessage
from traza.notifications.services import enqueue_rendered
from traza.plans.models import ActionPlan, Commitment, Milestone, Officer

TRACED = ["status", "percent", "fact_date", "review"]


def reporting_organization(actor: Any, milestone: Milestone):
    """The organisation on whose behalf ``actor`` may report on ``milestone``: the lead
    institution of its commitment, when the actor is one of its officers."""
    lead = milestone.commitment.lead_organization
    if lead is None:
        raise PermissionDenied(_("This commitment has no lead institution."))
    if not Officer.speaks_for(actor, lead):
        raise PermissionDenied(
            _("Only officers of %(organization)s report progress on this commitment.")
            % {"organization": lead.name}
        )
    return lead


def _trace(
    actor,
    report: ProgressReport,
    action: str,
    summary: str,
    reason: str = "",
    evidence=None,
    measurements=None,
) -> None:
    changes = {k: [None, getattr(report, k)] for k in TRACED}
    if evidence:
        changes["evidence"] = [None, evidence]
    if measurements:
        changes["measurements"] = [None, measurements]
    record(
        actor,
        action,
        report,
        summary=summary,
        reason=reason,
        changes=changes,
        scope=report.milestone.commitment,
    )


@transaction.atomic
def submit_progress(
    actor: Any,
    milestone: Milestone,
    values: dict[str, Any],
    *,
    files: list[tuple[str, Any]] = (),
    links: list[tuple[str, str]] = (),
    measurements: list[tuple[Indicator, Any, Any]] = (),
) -> ProgressReport:
    """A progress report with its evidence; it waits for the secretariat's review."""
    require_perm(actor, "monitoring.add_progressreport")
    organization = reporting_organization(actor, milestone)
    report = ProgressReport(
        milestone=milestone,
        organization=organization,
        submitted_by=account_of(actor),
        submitted_at=timezone.now(),
        **values,
    )
    report.full_clean()
    report.save()
    for title, upload in files:
        evidence = ProgressEvidence(report=report, title=title, file=upload, **checked_file(upload))
        evidence.full_clean()
        evidence.save()
    for title, url in links:
        evidence = ProgressEvidence(report=report, title=title, url=url)
        evidence.full_clean()
        evidence.save()
    for indicator, value, measured_on in measurements:
        if indicator.owner_commitment.pk != milestone.commitment_id:
            raise ValidationError(_("The indicator belongs to another commitment."))
        measurement = Measurement(
            indicator=indicator, value=value, measured_on=measured_on, report=report
        )
        measurement.full_clean()
        measurement.save()
    with trace_language():
        summary = _(
            "Progress reported on milestone %(number)s of “%(commitment)s”: %(percent)s %%"
        ) % {
            "number": milestone.number,
            "commitment": milestone.commitment,
            "percent": report.percent,
        }
    _trace(
        actor,
        report,
        "create",
        summary,
        evidence=list(report.evidence.values("title", "sha256", "url")),
        measurements=[
            [m.indicator.name, m.measured_on, m.value] for m in report.measurements.all()
        ],
    )
    return report


@transaction.atomic
def review_progress(
    actor: Any, report: ProgressReport, accept: bool, comment: str = ""
) -> ProgressReport:
    """Accept a report (it becomes public) or return it with a comment; the officer is told."""
    require_perm(actor, "monitoring.review_progressreport", report)
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if report.review != Review.SUBMITTED:
        raise ValidationError(_("This report was already reviewed."))
    report.review = Review.ACCEPTED if accept else Review.RETURNED
    report.review_comment = comment.strip()
    report.reviewed_at = timezone.now()
    report.full_clean()
    report.save()
    with trace_language():
        summary = _("Progress report %(number)s %(review)s") % {
            "number": report.pk,
            "review": report.get_review_display(),
        }
    _trace(actor, report, "status", summary, comment)
    submitter = report.submitted_by
    if submitter is not None and submitter.email:
        enqueue_rendered(
            submitter.email,
            lambda: (
                _("Your progress report on “%(commitment)s” was %(review)s")
                % {
                    "commitment": shorten(report.milestone.commitment.title, 120),
                    "review": report.get_review_display(),
                }
            ),
            "monitoring/email/reviewed.txt",
            {
                "report": report,
                "url": f"{settings.TRAZA_BASE_URL}{report.milestone.commitment.get_absolute_url()}",
            },
            purpose="progress_reviewed",
            about=report,
        )
    return report


def reminder_days() -> int:
    return getattr(settings, "TRAZA_REMINDER_DAYS", 14)


@transaction.atomic
def send_due_reminders(today=None) -> int:
    """Write one e-mail per officer for each milestone of their institution due within
    ``TRAZA_REMINDER_DAYS`` and not complete. Running it again sends nothing new: a reminder
    already in the outbox for that milestone, officer and due date is not repeated."""
    today = today or timezone.localdate()
    sent = 0
    for milestone in due_milestones(today, reminder_days()):
        officers = Officer.objects.filter(
            organization=milestone.commitment.lead_organization_id
        ).select_related("user")
        for officer in officers:
            email = officer.user.email
            if not email:
                continue
            purpose = f"milestone_due:{milestone.ends_on.isoformat()}"
            already = OutboxMessage.objects.filter(
                purpose=purpose,
                object_type="plans.milestone",
                object_id=str(milestone.pk),
                to=email,
            ).exists()
            if already:
                continue
            enqueue_rendered(
                email,
                lambda m=milestone: (
                    _("Milestone due on %(date)s: %(commitment)s")
                    % {
                        "date": m.ends_on.isoformat(),
                        "commitment": shorten(m.commitment.title, 120),
                    }
                ),
                "monitoring/email/due.txt",
                {
                    "milestone": milestone,
                    "url": f"{settings.TRAZA_BASE_URL}{milestone.commitment.get_absolute_url()}",
                },
                purpose=purpose,
                about=milestone,
            )
            sent += 1
    return sent


save_officer = saver(
    Officer,
    scope="organization",
    module=__name__,
    doc="Link an account to the organisation it reports for.",
)


@transaction.atomic
def remove_officer(actor: Any, officer: Officer, reason: str = "") -> None:
    """Officials rotate: the link ends, the trace keeps who reported what."""
    require_perm(actor, "plans.delete_officer", officer)
    with trace_language():
        summary = _("%(user)s no longer reports for %(organization)s") % {
            "user": officer.user.get_username(),
            "organization": officer.organization.name,
        }
    record(
        actor,
        "delete",
        officer,
        summary=summary,
        reason=reason,
        changes={},
        scope=officer.organization,
    )
    officer.delete()


@service
def save_indicator(
    actor: Any, indicator: Indicator | None, values: dict[str, Any], reason: str = ""
) -> Saved[Indicator]:
    """Create or change an indicator of a commitment or milestone (the secretariat)."""
    indicator = indicator or Indicator()
    for name in ("commitment", "milestone"):
        if name in values:
            setattr(indicator, name, values[name])
    scope = (
        indicator.owner_commitment if (indicator.commitment_id or indicator.milestone_id) else None
    )
    return save_traced(actor, indicator, values, reason=reason, scope=scope)


save_measurement = saver(
    Measurement,
    scope="indicator.owner_commitment",
    module=__name__,
    doc="A measurement entered by the secretariat (public at once).",
)


@service
def override_completion(
    actor: Any, commitment: Commitment, level: str, reason: str, decided_on=None
) -> Saved[CompletionOverride]:
    """Set the commitment's completion by hand, with the reason; the suggestion stays beside it."""
    stored = CompletionOverride.objects.filter(commitment=commitment).first()
    values = {
        "commitment": commitment,
        "level": level,
        "reason": (reason or "").strip(),
        "decided_on": decided_on or timezone.localdate(),
    }
    return save_traced(
        actor, stored or CompletionOverride(), values, reason=values["reason"], scope=commitment
    )


def comment_days() -> int:
    return settings.TRAZA_SELF_ASSESSMENT_COMMENT_DAYS


@service
def generate_self_assessment(
    actor: Any,
    plan: ActionPlan,
    kind: str,
    *,
    introduction: str = "",
    opens_on=None,
    closes_on=None,
) -> Saved[SelfAssessment]:
    """Write the self-assessment report from the accepted data as it stands, and open it to
    public comment (``TRAZA_SELF_ASSESSMENT_COMMENT_DAYS``, two weeks by default, at least).
    Generating it again replaces the content and keeps the comments already received."""
    from traza.monitoring.queries import self_assessment_content

    opens_on = opens_on or timezone.localdate()
    closes_on = closes_on or opens_on + dt.timedelta(days=comment_days() - 1)
    stored = SelfAssessment.objects.filter(plan=plan, kind=kind).first()
    values = {
        "plan": plan,
        "kind": kind,
        "generated_at": timezone.now(),
        "content": self_assessment_content(plan),
        "introduction": introduction,
        "comments_open_on": opens_on,
        "comments_close_on": closes_on,
    }
    return save_traced(actor, stored or SelfAssessment(), values, scope=plan)


@transaction.atomic
def submit_self_assessment_comment(report: SelfAssessment, values: dict[str, Any]):
    """A public comment on the report: a contribution that will get a reasoned response."""
    from traza.cocreation.models import Channel, Contribution
    from traza.cocreation.services import record_public_contribution

    if not report.open_for_comments():
        raise ValidationError(_("This report is not open for comments now."))
    contribution = Contribution(
        plan=report.plan,
        self_assessment=report,
        channel=Channel.WEB_FORM,
        received_at=timezone.now(),
        **values,
    )
    return record_public_contribution(contribution)
