"""Reasoned responses: drafted, published, revised, and their author told.

A response is published at most once per revision: every write that publishes or drafts
locks the contribution's row first and compares the revision the writer saw
(``expected_revision``) with the stored one, so two members of staff answering the same
contribution at once never overwrite each other: the second is refused with
:class:`ResponseConflict`."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from traza.cocreation.models import (
    CHANGING_OUTCOMES,
    Contribution,
    Outcome,
    Response,
    ResponseDraft,
    ResponseRevision,
)
from traza.core.services import (
    field_values,
    record,
    require_perm,
    save_traced,
    trace_language,
)
from traza.notifications.services import enqueue_rendered
from traza.plans.models import (
    CommitmentVersion,
)

DECISION_FIELDS = [
    "outcome",
    "reason_category",
    "text",
    "deciding_body",
    "deciding_sector",
    "decided_on",
    "forwarded_to",
]


class ResponseConflict(ValidationError):
    """Someone else published or drafted a response to this contribution since the writer
    read it: nothing was written."""

    def __init__(self, contribution: Contribution) -> None:
        super().__init__(
            _(
                "%(contribution)s was answered or drafted by someone else while you were "
                "working on it. Nothing was saved: reload it, read their response and decide "
                "again."
            )
            % {"contribution": contribution},
            code="conflict",
        )
        self.contribution = contribution


def _lock(contribution: Contribution) -> None:
    """Serialise writers of this contribution's response (a row lock on PostgreSQL; SQLite's
    IMMEDIATE transactions already serialise every writer)."""
    Contribution.objects.select_for_update().filter(pk=contribution.pk).exists()


def published_revision(contribution: Contribution) -> int:
    """The revision of the published response (0: none), as a writer must expect it."""
    return (
        Response.objects.filter(contribution=contribution)
        .values_list("revision", flat=True)
        .first()
        or 0
    )


def draft_version(contribution: Contribution) -> int:
    """The version of the contribution's draft (0: none)."""
    return (
        ResponseDraft.objects.filter(contribution=contribution)
        .values_list("version", flat=True)
        .first()
        or 0
    )


def _check_expected(
    contribution: Contribution, expected_revision: int | None, expected_draft: int | None
) -> None:
    if expected_revision is not None and published_revision(contribution) != expected_revision:
        raise ResponseConflict(contribution)
    if expected_draft is not None and draft_version(contribution) != expected_draft:
        raise ResponseConflict(contribution)


def _check_versions(
    contribution: Contribution, outcome: str | None, versions: list[CommitmentVersion]
) -> None:
    if versions and outcome not in CHANGING_OUTCOMES:
        raise ValidationError(
            {
                "changed_versions": _(
                    "Only an adopted, partly adopted or merged contribution changes a commitment."
                )
            }
        )
    if any(v.commitment.plan_id != contribution.plan_id for v in versions):
        raise ValidationError({"changed_versions": _("The versions must belong to this plan.")})


def response_snapshot(response: Response) -> dict[str, Any]:
    values = field_values(
        response,
        DECISION_FIELDS,
    )
    values["changed_versions"] = sorted(response.changed_versions.values_list("pk", flat=True))
    return values


def _republished_unchanged(
    stored: Response, values: dict[str, Any], versions: list[CommitmentVersion]
) -> bool:
    """Whether publishing ``values`` and ``versions`` again would leave the response as it
    is (its published text, decision and changed versions), read without writing."""
    candidate = copy.copy(stored)
    for name, value in values.items():
        setattr(candidate, name, value)
    candidate.full_clean()  # the values as they would be stored (and refused as before)
    fields = [name for name in response_snapshot(stored) if name != "changed_versions"]
    if field_values(candidate, fields) != field_values(stored, fields):
        return False
    return {v.pk for v in versions} == set(stored.changed_versions.values_list("pk", flat=True))


RESPONSE_MAIL_TEMPLATE = "cocreation/email/response.txt"


def response_mail_subject(contribution: Contribution) -> str:
    return _("Reasoned response to your contribution %(number)s") % {"number": contribution.pk}


def response_mail_context(response: Response) -> dict[str, Any]:
    """What the author's e-mail shows (also the workbench's preview of it)."""
    contribution = response.contribution
    with translation.override(settings.LANGUAGE_CODE):  # the e-mail's language, not the staff's
        url = f"{settings.TRAZA_BASE_URL}{contribution.get_absolute_url()}"
    return {"response": response, "contribution": contribution, "url": url}


def tells_author(response: Response) -> bool:
    """Whether publishing this response e-mails its author."""
    return bool(response.contribution.author_email) and response.outcome != Outcome.PENDING


def _notify_author(response: Response) -> None:
    if not tells_author(response):
        return
    contribution = response.contribution
    enqueue_rendered(
        contribution.author_email,
        lambda: response_mail_subject(contribution),
        RESPONSE_MAIL_TEMPLATE,
        response_mail_context(response),
        purpose="response_published",
        about=response,
    )


@transaction.atomic
def publish_response(
    actor: Any,
    contribution: Contribution,
    values: dict[str, Any],
    *,
    versions: Iterable[CommitmentVersion] = (),
    reason: str = "",
    expected_revision: int | None = None,
    tell_author: bool = True,
    published_at: dt.datetime | None = None,
) -> Response:
    """Publish (or revise) the reasoned response to a contribution and tell its author.

    ``expected_revision`` (0: none published yet) is the revision the writer saw; when
    another one was published since, :class:`ResponseConflict` is raised and nothing is
    written. A draft of the contribution is removed once its decision is published.
    ``tell_author=False`` publishes without e-mailing: a matrix import moves past
    responses in, and e-mails no one (docs/data/matrix.md). ``published_at``: when a response
    moved in from the past was published (the demo's history), so that the days it took to
    answer are the story's, not the load's; never in the future nor before the contribution
    arrived. The trace event still records when it was written here."""
    now = timezone.now()
    if published_at is not None and not contribution.received_at <= published_at <= now:
        raise ValueError("a past response is published after its contribution and before now")
    versions = list(versions)
    _lock(contribution)
    _check_expected(contribution, expected_revision, None)
    stored = Response.objects.filter(contribution=contribution).first()
    outcome = values.get("outcome", stored.outcome if stored else None)
    _check_versions(contribution, outcome, versions)
    if stored is not None:
        require_perm(actor, "cocreation.change_response", stored)  # as a revision would
    if stored is not None and _republished_unchanged(stored, values, versions):
        return stored  # nothing changed: no new revision, no new e-mail, nothing written
    values = {**values, "published_at": published_at or now}
    if stored is None:
        values["contribution"] = contribution
    else:
        values["revision"] = stored.revision + 1
    response = save_traced(
        actor,
        stored or Response(),
        values,
        reason=reason,
        scope=contribution,
        related={"changed_versions": versions},
    ).object
    snapshot = response_snapshot(response)
    ResponseRevision.objects.create(
        response=response,
        number=response.revision,
        snapshot=snapshot,
        created_at=response.published_at,
        reason=reason,
    )
    if tell_author:
        _notify_author(response)
    ResponseDraft.objects.filter(contribution=contribution).delete()
    return response


def may_publish_draft(actor: Any, draft: ResponseDraft) -> bool:
    """The four-eyes rule (``TRAZA_RESPONSE_FOUR_EYES``): the account that drafted a
    response does not publish it."""
    if not settings.TRAZA_RESPONSE_FOUR_EYES:
        return True
    return draft.drafted_by_id is None or draft.drafted_by_id != getattr(actor, "pk", None)


@transaction.atomic
def save_draft(
    actor: Any,
    contribution: Contribution,
    values: dict[str, Any],
    *,
    versions: Iterable[CommitmentVersion] = (),
    expected_revision: int | None = None,
    expected_draft: int | None = None,
) -> ResponseDraft:
    """Write (or rewrite) the draft response to a contribution. A draft is private: its
    trace event names the contribution and the drafter, never the draft's content, which
    becomes public only when it is published."""
    require_perm(actor, "cocreation.draft_response", contribution)
    versions = list(versions)
    _lock(contribution)
    _check_expected(contribution, expected_revision, expected_draft)
    draft = ResponseDraft.objects.filter(contribution=contribution).first()
    creating = draft is None
    if draft is None:
        draft = ResponseDraft(contribution=contribution, version=0)
    for name, value in values.items():
        if name not in DECISION_FIELDS:
            raise ValueError(f"unknown field for a draft response: {name}")
        setattr(draft, name, value)
    _check_versions(contribution, draft.outcome, versions)
    draft.base_revision = published_revision(contribution)
    draft.drafted_by = actor if getattr(actor, "pk", None) else None
    draft.drafted_at = timezone.now()
    draft.version += 1
    draft.full_clean()
    draft.save()
    draft.changed_versions.set(versions)
    with trace_language():
        summary = (
            _("Drafted a response to %(contribution)s")
            if creating
            else _("Rewrote the draft response to %(contribution)s")
        ) % {"contribution": contribution}
    record(actor, "create" if creating else "update", draft, summary=summary, scope=contribution)
    return draft


@transaction.atomic
def publish_draft(
    actor: Any, draft: ResponseDraft, *, expected_draft: int | None = None, reason: str = ""
) -> Response:
    """Publish a draft as the contribution's reasoned response (the four-eyes rule
    applies), refused when the draft or the published response changed since it was read."""
    contribution = draft.contribution
    require_perm(actor, "cocreation.publish_response", contribution)
    _lock(contribution)
    current = ResponseDraft.objects.filter(pk=draft.pk).first()
    if current is None or (expected_draft is not None and current.version != expected_draft):
        raise ResponseConflict(contribution)
    if current.base_revision != published_revision(contribution):
        raise ResponseConflict(contribution)
    if not may_publish_draft(actor, current):
        raise ValidationError(
            _("Another account must publish this response: you drafted it (four-eyes rule).")
        )
    values = {name: getattr(current, name) for name in DECISION_FIELDS}
    if not reason and current.drafted_by_id and current.drafted_by_id != getattr(actor, "pk", None):
        with trace_language():
            reason = _("Drafted by %(drafter)s, approved by %(publisher)s") % {
                "drafter": current.drafted_by.get_username(),
                "publisher": getattr(actor, "get_username", lambda: str(actor))(),
            }
    return publish_response(
        actor,
        contribution,
        values,
        versions=list(current.changed_versions.all()),
        reason=reason,
        expected_revision=current.base_revision,
    )


@transaction.atomic
def discard_draft(actor: Any, draft: ResponseDraft, *, expected_draft: int | None = None) -> None:
    """Throw a draft away (its contribution goes back to the unanswered queue)."""
    contribution = draft.contribution
    require_perm(actor, "cocreation.draft_response", contribution)
    _lock(contribution)
    _check_expected(contribution, None, expected_draft)
    with trace_language():
        summary = _("Discarded the draft response to %(contribution)s") % {
            "contribution": contribution
        }
    record(actor, "delete", draft, summary=summary, scope=contribution)
    ResponseDraft.objects.filter(pk=draft.pk).delete()
