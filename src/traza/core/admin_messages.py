"""Django admin's and third-party apps' English messages, translated in Traza's catalogue.

Nothing here runs: the strings are marked with ``gettext_noop``/``ngettext_lazy`` only so
that ``make messages`` extracts them into ``src/traza/locale/``. Our catalogue takes
precedence over every installed app's (Django merges ``LOCALE_PATHS`` last, over the apps'
catalogues and its own; ``tests/core/test_admin_messages.py`` proves it), so a Spanish
msgstr written here replaces django.contrib.admin's.

Why: Django's Spanish admin says "El {name} “{obj}” fue agregado correctamente.", with a
masculine article and participle that read wrong for a feminine model name ("El respuesta
fundamentada … fue agregado"). Our translations are gender-neutral ("Se guardó …: {name}
“{obj}”"). The test checks that every message of ``django/contrib/admin/options.py`` and
``actions.py`` that names the model is listed here, so a Django release that adds one
fails the suite instead of slipping through in the masculine.

django-axes marks its model names for translation but ships no Spanish; they are listed
here too. django-otp's model names are plain strings: ``traza.accounts.admin`` gives them
translated labels.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

#: django/contrib/admin/options.py and actions.py: every message naming the model.
DJANGO_ADMIN_MESSAGES = (
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
    gettext_noop("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"),
    gettext_noop("Cannot delete %(name)s"),
    gettext_noop("Successfully deleted %(count)d %(items)s."),
    gettext_noop("Delete selected %(verbose_name_plural)s"),
    gettext_noop("%(class_name)s %(instance)s"),
    gettext_noop(
        "Deleting %(class_name)s %(instance)s would require deleting the following protected "
        "related objects: %(related_objects)s"
    ),
)

#: The plural message of the changelist's bulk edit (an ngettext pair).
DJANGO_ADMIN_PLURAL_MESSAGES = (
    ngettext_lazy(
        "%(count)s %(name)s was changed successfully.",
        "%(count)s %(name)s were changed successfully.",
        1,
    ),
)

#: django-axes (axes/models.py): model and field names, translatable but untranslated.
AXES_LABELS = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("Expires At"),
    gettext_noop("Access Attempt"),
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
    gettext_noop("Attempt Remaining"),
)

#: Section titles and column names of the second-factor devices' admin (see accounts.admin).
OTP_LABELS = (
    gettext_noop("Identity"),
    gettext_noop("Timestamps"),
    gettext_noop("Configuration"),
    gettext_noop("State"),
    gettext_noop("Throttling"),
)
