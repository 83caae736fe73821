"""The public discussion of draft commitments and its moderation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from traza.cocreation.models import (
    Channel,
    Contribution,
    DiscussionPost,
    Event,
    EventKind,
    EventStatus,
    PostStatus,
)
from traza.cocreation.services.contributions import _record_contribution
from traza.core.services import (
    account_of,
    record,
    require_perm,
    trace_language,
)
from traza.core.text import shorten
from traza.notifications.services import enqueue_rendered
from traza.plans.models import (
    ActionPlan,
    Commitment,
    CommitmentStatus,
    Officer,
    Organization,
)


def running_consultation(plan: ActionPlan, now: dt.datetime | None = None) -> Event | None:
    """The virtual consultation of the plan running now, if any."""
    now = now or timezone.now()
    return (
        Event.objects.filter(
            plan=plan,
            kind=EventKind.VIRTUAL_CONSULTATION,
            starts_at__lte=now,
            ends_at__gte=now,
        )
        .exclude(status=EventStatus.CANCELLED)
        .order_by("starts_at")
        .first()
    )


def discussion_open(commitment: Commitment, now: dt.datetime | None = None) -> bool:
    """Draft commitments are discussed in public while a virtual consultation runs."""
    return (
        commitment.status == CommitmentStatus.PROPOSAL
        and running_consultation(commitment.plan, now) is not None
    )


def _premoderated() -> bool:
    return getattr(settings, "TRAZA_DISCUSSION_PREMODERATION", True)


def _record_post(actor: Any, post: DiscussionPost, action: str, summary: str, reason="") -> None:
    record(
        actor,
        action,
        post,
        summary=summary,
        reason=reason,
        # never the author's personal data
        changes={"status": [None, post.status], "official": [None, post.official]},
        scope=post.commitment,
    )


def _as_contribution(post: DiscussionPost) -> None:
    """A participant's opening message becomes a contribution of the virtual forum, so it
    is answered with a reasoned response like any other."""
    if post.official or post.parent_id or post.contribution_id:
        return
    commitment = post.commitment
    event = running_consultation(commitment.plan, post.created_at) or (
        Event.objects.filter(plan=commitment.plan, kind=EventKind.VIRTUAL_CONSULTATION)
        .order_by("-starts_at")
        .first()
    )
    contribution = Contribution(
        plan=commitment.plan,
        channel=Channel.VIRTUAL_FORUM,
        event=event,
        author_name=post.author_name,
        author_email=post.author_email,
        author_organization=post.author_organization,
        show_author=post.show_author,
        theme=commitment.theme,
        commitment=commitment,
        text=post.text,
        received_at=post.created_at,
    )
    contribution.full_clean()
    contribution.save()
    _record_contribution(None, contribution, "")
    post.contribution = contribution
    post.save(update_fields=["contribution"])


@transaction.atomic
def post_message(
    commitment: Commitment, values: dict[str, Any], parent: DiscussionPost | None = None
) -> DiscussionPost:
    """A participant's message in the discussion of a draft commitment."""
    if not discussion_open(commitment):
        raise ValidationError(_("This draft is not open to discussion now."))
    if parent is not None and parent.status != PostStatus.PUBLISHED:
        raise ValidationError(_("You can only reply to a published message."))
    post = DiscussionPost(
        commitment=commitment,
        parent=parent,
        status=PostStatus.PENDING if _premoderated() else PostStatus.PUBLISHED,
        created_at=timezone.now(),
        **values,
    )
    post.full_clean()
    post.save()
    with trace_language():
        summary = _("Message %(number)s posted in the discussion of “%(commitment)s”") % {
            "number": post.pk,
            "commitment": commitment,
        }
    _record_post(None, post, "create", summary)
    if post.status == PostStatus.PUBLISHED:
        _as_contribution(post)
    return post


@transaction.atomic
def post_official_answer(
    actor: Any,
    commitment: Commitment,
    text: str,
    organization: Organization,
    parent: DiscussionPost | None = None,
) -> DiscussionPost:
    """An answer on behalf of an institution, published at once and marked as official."""
    require_perm(actor, "cocreation.answer_officially", commitment)
    if not Officer.speaks_for(actor, organization):
        raise PermissionDenied(
            _("Only officers of %(organization)s answer on its behalf.")
            % {"organization": organization.name}
        )
    if parent is not None and parent.status != PostStatus.PUBLISHED:
        raise ValidationError(_("You can only reply to a published message."))
    post = DiscussionPost(
        commitment=commitment,
        parent=parent,
        text=text,
        official=True,
        official_organization=organization,
        author_account=account_of(actor),
        status=PostStatus.PUBLISHED,
        created_at=timezone.now(),
    )
    post.full_clean()
    post.save()
    with trace_language():
        summary = _(
            "Official answer from %(organization)s in the discussion of “%(commitment)s”"
        ) % {
            "organization": organization.name,
            "commitment": commitment,
        }
    _record_post(actor, post, "create", summary)
    return post


@transaction.atomic
def moderate_post(
    actor: Any, post: DiscussionPost, status: str, reason: str = "", category: str = ""
) -> DiscussionPost:
    """Publish a waiting message, or hide one with a public reason and its category; the
    author is told. A hidden message's contribution (and the response to it) leaves every
    public page, list, download, feed and the search; publishing it again brings it back.
    The trace records who hid it, when and the category: never the message's words, nor the
    moderator's (they may quote it)."""
    require_perm(actor, "cocreation.moderate_discussion", post)
    post = DiscussionPost.objects.select_for_update().get(pk=post.pk)
    if status not in (PostStatus.PUBLISHED, PostStatus.HIDDEN) or post.status == status:
        raise ValidationError(
            _("This message is already %(status)s.") % {"status": post.get_status_display()}
        )
    if post.official:
        raise ValidationError(_("Official answers are not moderated."))
    hiding = status == PostStatus.HIDDEN
    post.status = status
    post.moderation_reason = reason.strip()
    post.moderation_category = category if hiding else ""
    post.moderated_at = timezone.now()
    post.full_clean()
    post.save()  # the search follows (traza.repository.signals)
    with trace_language():
        summary = _("Message %(number)s %(status)s") % {
            "number": post.pk,
            "status": post.get_status_display(),
        }
        category_label = str(post.get_moderation_category_display()) if hiding else ""
    if hiding:
        record(
            actor,
            "status",
            post,
            summary=summary,
            reason=category_label,
            changes={
                "status": [None, post.status],
                "official": [None, post.official],
                "moderation_category": [None, post.moderation_category],
            },
            scope=post.commitment,
        )
    else:
        _record_post(actor, post, "status", summary, reason)
    if status == PostStatus.PUBLISHED:
        _as_contribution(post)
    elif post.author_email:
        enqueue_rendered(
            post.author_email,
            lambda: (
                _("Your message in the discussion of “%(commitment)s” was hidden")
                % {"commitment": shorten(post.commitment.title, 120)}
            ),
            "cocreation/email/post_hidden.txt",
            {"post": post, "url": f"{settings.TRAZA_BASE_URL}{post.get_absolute_url()}"},
            purpose="post_hidden",
            about=post,
        )
    return post
