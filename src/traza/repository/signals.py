"""Keep the search index current: every public object indexed on save, removed on delete.
The index is derived data (``traza reindex`` rebuilds it), so signals are the right place."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from traza.cocreation.models import Contribution, DiscussionPost, Event, Response
from traza.plans.models import Commitment, Milestone
from traza.repository import search
from traza.repository.models import Document, DocumentVersion

INDEXED = (Commitment, Milestone, Contribution, Response, Event, Document)


@receiver(post_save)
def index_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if sender in INDEXED:
        search.index(instance)
    elif sender is DocumentVersion:
        search.index(instance.document)
    elif sender is DiscussionPost:
        search.index_moderated(instance)  # hidden: out of the search; published: back


def unindex_deleted(sender, instance, **kwargs):
    search.unindex(instance)


# connected to the indexed models only: a receiver of every model's deletes would keep Django
# from deleting any other model's rows in one statement (it would read them first, to signal)
for model in INDEXED:
    post_delete.connect(unindex_deleted, sender=model, dispatch_uid=f"unindex-{model.__name__}")
