from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "traza.forum"
    verbose_name = _("Multi-stakeholder forum")
    default_auto_field = "django.db.models.BigAutoField"
