from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "traza.forum"
    verbose_name = _("Multi-stakeholder forum")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from traza.core.datasets import registry
        from traza.forum.datasets import DATASETS

        registry.register(*DATASETS)  # its open datasets, published by the api app
