from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepositoryConfig(AppConfig):
    name = "traza.repository"
    verbose_name = _("Repository and search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from traza.repository import signals  # noqa: F401  (keeps the search index current)
