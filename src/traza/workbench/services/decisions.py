"""One decision for many contributions, a response in each person's words.

Everything is checked before anything is written: the permission on every contribution, the
decision's rules (``Decision.clean``), the placeholders, the revision and draft each item
was read at, the four-eyes rule. Then every item is written in one transaction through
:mod:`traza.cocreation.services` (so the trace, the outbox and the revisions are the usual
ones). Any problem with any item: nothing is written, and :class:`DecisionErrors` says what
is wrong with which contribution."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from traza.cocreation import services as cocreation
from traza.cocreation.models import (
    CHANGING_OUTCOMES,
    Contribution,
    Response,
    ResponseDraft,
)
from traza.core.services import require_perm
from traza.plans.models import CommitmentVersion
from traza.workbench import templating


@dataclass
class DecisionItem:
    """One contribution's share of a decision: the decision's values (``text`` is this
    person's text, or filled from ``template``), the commitment versions it changed, and
    the published revision and draft version the writer saw (None: not checked)."""

    contribution: Contribution
    values: dict[str, Any]
    versions: Sequence[CommitmentVersion] = ()
    expected_revision: int | None = None
    expected_draft: int | None = None
    template: str | None = None


class DecisionErrors(ValidationError):
    """What is wrong, per contribution; nothing was written."""

    def __init__(self, errors: dict[Contribution, list[str]]) -> None:
        self.per_contribution = {c.pk: list(m) for c, m in errors.items()}
        self.contributions = list(errors)
        super().__init__(
            [
                _("%(contribution)s: %(problem)s") % {"contribution": c, "problem": m}
                for c, messages in errors.items()
                for m in messages
            ]
        )


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [str(m) for messages in error.message_dict.values() for m in messages]
    return [str(m) for m in error.messages]


def _lock(contributions: Iterable[Contribution]) -> None:
    """Every contribution's row, in one order (no deadlock between two batches)."""
    ids = sorted({c.pk for c in contributions})
    list(Contribution.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))


def _four_eyes_blocks(actor: Any) -> bool:
    """With the four-eyes rule on, a person does not publish their own decision directly:
    they save it as drafts for another account (command-line jobs, with no account, may)."""
    return bool(settings.TRAZA_RESPONSE_FOUR_EYES) and getattr(actor, "pk", None) is not None


def _check_item(actor: Any, item: DecisionItem, publish: bool) -> tuple[list[str], dict]:
    contribution = item.contribution
    problems: list[str] = []
    values = dict(item.values)
    if item.template is not None:
        found = templating.check(
            item.template,
            [contribution],
            versions=item.versions,
            forwarded_to=values.get("forwarded_to", ""),
        )
        if found:
            problems.extend(found.messages())
        else:
            values["text"] = templating.render(
                item.template,
                contribution,
                versions=item.versions,
                forwarded_to=values.get("forwarded_to", ""),
            )
    left = templating.leftover_placeholders(values.get("text", ""))
    if left:
        problems.append(
            _("The text still contains %(placeholders)s: fill it in or write the text.")
            % {"placeholders": ", ".join(f"{{{name}}}" for name in left)}
        )
    unknown = set(values) - set(cocreation.DECISION_FIELDS)
    if unknown:
        raise ValueError(f"unknown decision fields: {sorted(unknown)}")
    candidate = (Response if publish else ResponseDraft)(contribution=contribution, **values)
    try:
        candidate.full_clean(exclude=["contribution", "drafted_at", "published_at"])
    except ValidationError as error:
        problems.extend(_messages(error))
    if item.versions and values.get("outcome") not in CHANGING_OUTCOMES:
        problems.append(
            _("Only an adopted, partly adopted or merged contribution changes a commitment.")
        )
    if any(v.commitment.plan_id != contribution.plan_id for v in item.versions):
        problems.append(_("The commitment versions must belong to this plan."))
    stale_revision = (
        item.expected_revision is not None
        and cocreation.published_revision(contribution) != item.expected_revision
    )
    stale_draft = (
        item.expected_draft is not None
        and cocreation.draft_version(contribution) != item.expected_draft
    )
    if stale_revision or stale_draft:
        problems.append(str(cocreation.ResponseConflict(contribution).message))
    if publish and _four_eyes_blocks(actor):
        problems.append(
            _(
                "The four-eyes rule is on: save your decision as a draft; another account "
                "publishes it."
            )
        )
    return problems, values


@transaction.atomic
def decide_many(
    actor: Any, items: Sequence[DecisionItem], *, publish: bool
) -> list[Response | ResponseDraft]:
    """Draft (``publish=False``) or publish one decision for every item, all or nothing.

    Raises PermissionDenied when the actor may not draft (or publish) a response to one of
    the contributions, and :class:`DecisionErrors` (nothing written) when any item breaks a
    rule, names an unresolved placeholder, was answered or drafted by someone else since it
    was read, or would be published directly against the four-eyes rule."""
    perm = "cocreation.publish_response" if publish else "cocreation.draft_response"
    for item in items:
        require_perm(actor, perm, item.contribution)
    _lock(item.contribution for item in items)
    errors: dict[Contribution, list[str]] = {}
    ready: list[tuple[DecisionItem, dict[str, Any]]] = []
    for item in items:
        problems, values = _check_item(actor, item, publish)
        if problems:
            errors[item.contribution] = problems
        ready.append((item, values))
    if errors:
        raise DecisionErrors(errors)
    written: list[Response | ResponseDraft] = []
    for item, values in ready:
        try:
            if publish:
                written.append(
                    cocreation.publish_response(
                        actor,
                        item.contribution,
                        values,
                        versions=item.versions,
                        expected_revision=item.expected_revision,
                    )
                )
            else:
                written.append(
                    cocreation.save_draft(
                        actor,
                        item.contribution,
                        values,
                        versions=item.versions,
                        expected_revision=item.expected_revision,
                        expected_draft=item.expected_draft,
                    )
                )
        except ValidationError as error:  # raised inside the transaction: all rolled back
            raise DecisionErrors({item.contribution: _messages(error)}) from error
    return written


@dataclass
class DraftChoice:
    """A draft chosen on the drafts page, with the version the person saw."""

    draft: ResponseDraft
    expected_version: int | None = None


def _draft_problems(actor: Any, choice: DraftChoice, *, publishing: bool) -> list[str]:
    current = ResponseDraft.objects.filter(pk=choice.draft.pk).first()
    contribution = choice.draft.contribution
    if current is None or (
        choice.expected_version is not None and current.version != choice.expected_version
    ):
        return [str(cocreation.ResponseConflict(contribution).message)]
    if not publishing:
        return []
    problems = []
    if current.base_revision != cocreation.published_revision(contribution):
        problems.append(str(cocreation.ResponseConflict(contribution).message))
    if not cocreation.may_publish_draft(actor, current):
        problems.append(
            _("Another account must publish this response: you drafted it (four-eyes rule).")
        )
    return problems


@transaction.atomic
def publish_drafts(actor: Any, choices: Sequence[DraftChoice]) -> list[Response]:
    """Publish several drafts, all or nothing (the four-eyes rule applies to each)."""
    for choice in choices:
        require_perm(actor, "cocreation.publish_response", choice.draft.contribution)
    _lock(choice.draft.contribution for choice in choices)
    errors = {
        choice.draft.contribution: problems
        for choice in choices
        if (problems := _draft_problems(actor, choice, publishing=True))
    }
    if errors:
        raise DecisionErrors(errors)
    published = []
    for choice in choices:
        try:
            published.append(
                cocreation.publish_draft(
                    actor, choice.draft, expected_draft=choice.expected_version
                )
            )
        except ValidationError as error:
            raise DecisionErrors({choice.draft.contribution: _messages(error)}) from error
    return published


@transaction.atomic
def discard_drafts(actor: Any, choices: Sequence[DraftChoice]) -> int:
    """Throw several drafts away, all or nothing; their contributions go back to the queue."""
    for choice in choices:
        require_perm(actor, "cocreation.draft_response", choice.draft.contribution)
    _lock(choice.draft.contribution for choice in choices)
    errors = {
        choice.draft.contribution: problems
        for choice in choices
        if (problems := _draft_problems(actor, choice, publishing=False))
    }
    if errors:
        raise DecisionErrors(errors)
    for choice in choices:
        cocreation.discard_draft(actor, choice.draft, expected_draft=choice.expected_version)
    return len(choices)
