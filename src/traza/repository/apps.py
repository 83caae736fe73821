from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepositoryConfig(AppConfig):
    name = "traza.repository"
    verbose_name = _("Repository and search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from traza.core import hooks
        from traza.core.datasets import registry
        from traza.repository import signals  # noqa: F401  (keeps the search index current)
        from traza.repository.datasets import DATASETS
        from traza.repository.search import reindex_all

        # the search index is derived: left out of backups, rebuilt after a restore
        hooks.register_backup_exclusion("repository.searchentry")
        hooks.register_after_restore(reindex_all)
        registry.register(*DATASETS)  # its open datasets, published by the api app
