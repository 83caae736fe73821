from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "traza.assessment"
    verbose_name = _("IRM assessment")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from traza.assessment import checks  # noqa: F401  (registers the settings checks)
        from traza.assessment.datasets import DATASETS
        from traza.core.datasets import registry

        registry.register(*DATASETS)  # its open datasets, published by the api app
