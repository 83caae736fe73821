"""The Atom feed of a plan: its latest news (traza.activity.queries.feed_items)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from traza.activity.queries import feed_items
from traza.plans.models import ActionPlan


class PlanFeed(Feed):
    """Atom: reasoned responses published, progress accepted and documents added."""

    feed_type = Atom1Feed

    def get_object(self, request, pk: int):
        return get_object_or_404(ActionPlan, pk=pk)

    def title(self, plan) -> str:
        return _("Traza · %(plan)s") % {"plan": plan.title}

    def subtitle(self, plan) -> str:
        return _("Reasoned responses, accepted progress and documents of the plan.")

    def link(self, plan) -> str:
        return plan.get_absolute_url()

    def items(self, plan):
        return feed_items(plan)

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return item.text

    def item_link(self, item) -> str:
        return f"{item.url}#{item.key}"

    def item_guid(self, item) -> str:
        return f"{settings.TRAZA_BASE_URL}/{item.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.at

    def item_updateddate(self, item):
        return item.at
