from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "traza.core"
    label = "core"
    verbose_name = _("Trace")

    def ready(self):
        from traza.core import filemodes  # noqa: F401  (SQLite files made private on opening)
