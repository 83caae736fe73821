from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "traza.plans"
    label = "plans"
    verbose_name = _("Action plans")

    def ready(self) -> None:
        from traza.core.datasets import registry
        from traza.plans.datasets import DATASETS

        registry.register(*DATASETS)  # its open datasets, published by the api app
