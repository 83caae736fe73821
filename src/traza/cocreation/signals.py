"""Keep the maintained counts of contributions current (``cocreation.services.tallies``):
after each save or delete of what places a contribution in a count, inside the same
transaction. The counts are derived data (``traza tallies --rebuild`` recounts them), so
signals are the right place, as for the search index."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from traza.cocreation.models import Contribution, DiscussionPost, Response
from traza.cocreation.services import tallies


def _contribution_of(sender, instance) -> int | None:
    if sender is Contribution:
        return instance.pk
    if sender is Response:
        return instance.contribution_id
    if sender is DiscussionPost:
        return instance.contribution_id
    return None


COUNTED = (Contribution, Response, DiscussionPost)


# connected to these senders only: a receiver of every model's deletes would keep Django from
# deleting any other model's rows in one statement (it would read them first, to signal each)
@receiver(post_save, sender=Contribution)
@receiver(post_save, sender=Response)
@receiver(post_save, sender=DiscussionPost)
@receiver(post_delete, sender=Contribution)
@receiver(post_delete, sender=Response)
@receiver(post_delete, sender=DiscussionPost)
def count_again(sender, instance, raw=False, **kwargs):
    if raw or sender not in COUNTED:
        return
    contribution = _contribution_of(sender, instance)
    if contribution is not None:
        tallies.refresh([contribution])


@receiver(m2m_changed, sender=Response.changed_versions.through)
def count_changed_versions(sender, instance, action, reverse, pk_set, **kwargs):
    """The versions a response changed make the contribution an origin of their commitments."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        tallies.refresh([instance.contribution_id])
    elif pk_set:
        tallies.refresh(
            Response.objects.filter(pk__in=pk_set).values_list("contribution_id", flat=True)
        )
