from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "traza.assessment"
    verbose_name = _("IRM assessment")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # checks registers the settings checks
        from traza.assessment import checks, models, standards  # noqa: F401
        from traza.assessment.datasets import DATASETS
        from traza.core.datasets import registry

        # The standards engine reads ProcessOverride; the model learns from it, here, which
        # subjects and values an override may take (models.py never imports the engine).
        models.set_override_vocabulary(standards.allowed_override_values)
        registry.register(*DATASETS)  # its open datasets, published by the api app

        from traza.assessment.queries import recommendation_follow_up
        from traza.monitoring.queries import register_self_assessment_section

        register_self_assessment_section("recommendations", recommendation_follow_up)
