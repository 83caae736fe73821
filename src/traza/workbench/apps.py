from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    name = "traza.workbench"
    label = "workbench"
    verbose_name = _("Workbench")

    def ready(self) -> None:
        from traza.accounts import privacy
        from traza.workbench.personal_data import forget_old_matrices

        privacy.register_retention(forget_old_matrices)
