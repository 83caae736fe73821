"""Writes of the forum: permission, validation and trace in one transaction, through the
same path as every other write (``save_traced``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from traza.core.services import save_traced, set_related
from traza.forum.models import (
    Decision,
    Forum,
    ForumRules,
    GoodPractice,
    Initiative,
    Membership,
    Session,
)
from traza.plans.models import ActionPlan


def _saver(model: type[models.Model], scope: Callable[[Any], Any] | None = None):
    """A traced save for ``model``: ``save(actor, instance_or_None, values, reason="",
    **many_to_many)``; each keyword replaces a many-to-many relation, traced too."""

    @transaction.atomic
    def save(actor: Any, instance, values: dict[str, Any], reason: str = "", **related: Iterable):
        instance = instance or model()
        if instance.pk is None:  # the scope of the trace needs the parent of a new object
            for name in ("forum", "session"):
                if name in values:
                    setattr(instance, name, values[name])
        saved = save_traced(
            actor, instance, values, reason=reason, scope=scope(instance) if scope else None
        )[0]
        for field, items in related.items():
            if items is not None:
                set_related(actor, saved, field, items, reason=reason)
        return saved

    save.__doc__ = f"Create or change a {model._meta.verbose_name} (traced)."
    return save


save_forum = _saver(Forum)
save_membership = _saver(Membership, lambda m: m.forum)
save_session = _saver(Session, lambda s: s.forum)
save_decision = _saver(Decision, lambda d: d.session.forum)
save_initiative = _saver(Initiative)
save_good_practice = _saver(GoodPractice)


@transaction.atomic
def publish_rules(actor: Any, forum: Forum, values: dict[str, Any], reason: str = "") -> ForumRules:
    """Publish a new version of the mandate or of the rules of participation; earlier versions
    stay public."""
    latest = ForumRules.objects.filter(forum=forum, kind=values.get("kind")).aggregate(
        n=Max("version")
    )["n"]
    values = {"published_on": timezone.localdate(), **values, "forum": forum}
    values["version"] = (latest or 0) + 1
    return save_traced(actor, ForumRules(forum=forum), values, reason=reason, scope=forum)[0]


@transaction.atomic
def submit_forum_input(forum: Forum, plan: ActionPlan, values: dict[str, Any]):
    """An input from someone who is not a member, through the forum's public form. It becomes
    a contribution to the plan and gets a reasoned response like any other."""
    from traza.cocreation.models import Channel, Contribution
    from traza.cocreation.services import record_public_contribution

    if plan.member_id != forum.member_id:
        raise ValidationError(_("The action plan belongs to another OGP member."))
    if not forum.active_on(timezone.localdate()):
        raise ValidationError(_("This forum is not active."))
    contribution = Contribution(
        plan=plan, channel=Channel.FORUM_INPUT, received_at=timezone.now(), **values
    )
    return record_public_contribution(contribution)
