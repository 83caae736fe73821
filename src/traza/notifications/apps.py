from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "traza.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from traza.core import hooks
        from traza.notifications.services import outbox_health

        hooks.register_health_probe("outbox", outbox_health)
