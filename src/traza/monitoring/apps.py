from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "traza.monitoring"
    verbose_name = _("Monitoring")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from traza.core.datasets import registry
        from traza.monitoring.datasets import DATASETS

        registry.register(*DATASETS)  # its open datasets, published by the api app
