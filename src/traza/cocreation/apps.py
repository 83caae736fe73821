from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CocreationConfig(AppConfig):
    name = "traza.cocreation"
    label = "cocreation"
    verbose_name = _("Co-creation")

    def ready(self) -> None:
        from traza.cocreation.datasets import DATASETS
        from traza.core.datasets import registry

        registry.register(*DATASETS)  # its open datasets, published by the api app

        from traza.accounts import privacy
        from traza.cocreation.personal_data import KINDS, forget_old_registrations

        privacy.register(*KINDS)  # what a person may download and have erased
        privacy.register_retention(forget_old_registrations)

        from traza.cocreation import signals  # noqa: F401  (keeps the counts of contributions)
        from traza.cocreation.services.tallies import rebuild
        from traza.core import hooks

        for label in ("contributiontally", "plantally", "delaytally", "commitmenttally"):
            hooks.register_backup_exclusion(f"cocreation.{label}")  # derived: recounted
        hooks.register_after_restore(rebuild)
