"""Writes of the forum: permission, validation and trace in one transaction, through the
same path as every other write (``save_traced``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from traza.core.services import Saved, save_traced, saver, service
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

save_forum = saver(Forum, module=__name__)
save_membership = saver(Membership, scope="forum", module=__name__)
save_session = saver(Session, scope="forum", module=__name__)
save_decision = saver(Decision, scope="session.forum", module=__name__)
save_initiative = saver(Initiative, module=__name__)
save_good_practice = saver(GoodPractice, module=__name__)


@service
def publish_rules(
    actor: Any, forum: Forum, values: dict[str, Any], reason: str = ""
) -> Saved[ForumRules]:
    """Publish a new version of the mandate or of the rules of participation; earlier versions
    stay public."""
    latest = ForumRules.objects.filter(forum=forum, kind=values.get("kind")).aggregate(
        n=Max("version")
    )["n"]
    values = {"published_on": timezone.localdate(), **values, "forum": forum}
    values["version"] = (latest or 0) + 1
    return save_traced(actor, ForumRules(forum=forum), values, reason=reason, scope=forum)


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
