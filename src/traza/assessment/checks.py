"""Settings of the standards engine checked at start-up: a threshold outside a sane range is
refused with a message naming the setting, its value and the range."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.translation import gettext as _

RANGES = {
    "TRAZA_NOTICE_DAYS": (1, 90),
    "TRAZA_PARITY_TOLERANCE": (0, 10),
    "TRAZA_RESPONSE_WAIT_DAYS": (1, 365),
    "TRAZA_FORUM_IDLE_DAYS": (7, 730),
    "TRAZA_INVOLVE_RESPONSE_SHARE": (1, 100),
    "TRAZA_CONTRARY_GRACE_UNTIL": (2011, 2100),
    "TRAZA_SELF_ASSESSMENT_COMMENT_DAYS": (14, 120),
    "TRAZA_REMINDER_DAYS": (1, 120),
    "TRAZA_REGISTRATION_RETENTION_DAYS": (1, 3650),
}


@register()
def standards_settings(app_configs, **kwargs) -> list[Error]:
    from traza.assessment.standards import RULES_2017, RULES_2021

    errors = []
    for name, (low, high) in RANGES.items():
        value = getattr(settings, name)
        if not isinstance(value, int) or not low <= value <= high:
            errors.append(
                Error(
                    _("%(name)s=%(value)r is outside its sane range %(low)d-%(high)d.")
                    % {"name": name, "value": value, "low": low, "high": high},
                    hint=_("Set %(name)s to a whole number from %(low)d to %(high)d.")
                    % {"name": name, "low": low, "high": high},
                    id="traza.E001",
                )
            )
    for name, known in (
        ("TRAZA_STARRED_PROCESS_CODES", RULES_2017),
        ("TRAZA_MINIMUM_REQUIREMENTS", RULES_2021),
    ):
        unknown = [c for c in getattr(settings, name) if c not in known]
        if unknown:
            errors.append(
                Error(
                    _("%(name)s names unknown standards: %(codes)s.")
                    % {"name": name, "codes": ", ".join(unknown)},
                    hint=_("Use codes from: %(codes)s.") % {"codes": ", ".join(known)},
                    id="traza.E002",
                )
            )
    return errors
