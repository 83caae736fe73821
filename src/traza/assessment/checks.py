"""Settings of the standards engine checked at start-up: a threshold outside a sane range is
refused with a message naming the setting, its value and the range; a setting naming standards
is checked against the registry."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, register
from django.utils.translation import gettext as _

from traza.assessment.standards.registry import registry

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
    "TRAZA_MATRIX_RETENTION_DAYS": (1, 3650),
}
STARRED_SETTING = "TRAZA_STARRED_PROCESS_CODES"


def _code_settings() -> list[tuple[str, list[str]]]:
    """Each setting that names standards, with the codes it may use."""
    named = []
    for edition in registry.editions():
        codes = [s.code for s in edition.standards()]
        if edition.starred_set:
            named.append((STARRED_SETTING, codes))
        if edition.codes_setting:
            named.append((edition.codes_setting, codes))
    # the starred set first, as before the registry
    return sorted(named, key=lambda item: item[0] != STARRED_SETTING)


@register()
def standards_settings(app_configs: Any, **kwargs: Any) -> list[Error]:
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
    for name, known in _code_settings():
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
