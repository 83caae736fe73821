"""The admin speaks the site's language, gender-neutrally: Django admin's messages that name
the model are re-translated in Traza's own catalogue (which takes precedence), and the
third-party apps' labels and the outbox's purpose codes are shown translated."""

import ast
import re
from pathlib import Path

import django.contrib.admin
import polib
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from traza.core import admin_messages
from traza.notifications.models import PURPOSE_LABELS, OutboxMessage, purpose_label

ADMIN_DIR = Path(django.contrib.admin.__file__).parent
OUR_PO = Path(settings.LOCALE_PATHS[0]) / "es" / "LC_MESSAGES" / "django.po"
#: A placeholder that receives the model's (gendered, in Spanish) name.
NAMES_THE_MODEL = re.compile(r"\{name\}|%\((name|items|verbose_name_plural|class_name)\)s")
GETTEXT_CALLS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "gettext_noop"}


def msgids(path: Path) -> set[str]:
    """Every string literal handed to a gettext function in a module (implicit
    concatenation joined), singular and plural."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in GETTEXT_CALLS:
                found.update(
                    arg.value
                    for arg in node.args
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                )
    return found


def test_every_admin_message_naming_the_model_is_in_our_catalogue_list():
    """A future Django release adding such a message fails here, not in front of staff."""
    django_ids = msgids(ADMIN_DIR / "options.py") | msgids(ADMIN_DIR / "actions.py")
    naming = {msgid for msgid in django_ids if NAMES_THE_MODEL.search(msgid)}
    assert "The {name} “{obj}” was added successfully." in naming  # the parser works
    ours = msgids(Path(admin_messages.__file__))
    assert naming - ours == set()


def test_our_catalogue_takes_precedence_over_django_admins():
    """LOCALE_PATHS are merged last: "Filter" is "Filtro" in django.contrib.admin's Spanish
    catalogue and "Filtrar" in ours, and ours wins."""
    catalogue = polib.pofile(str(OUR_PO))
    entry = catalogue.find("Filter")
    assert entry is not None and entry.msgstr and entry.msgstr != "Filtro"
    with translation.override("es"):
        assert translation.gettext("Filter") == entry.msgstr


def test_the_translated_admin_messages_are_gender_neutral():
    """No admin message names the model after a masculine article, and ours are the ones
    Django shows."""
    catalogue = polib.pofile(str(OUR_PO))
    translated = [catalogue.find(msgid) for msgid in admin_messages.DJANGO_ADMIN_MESSAGES]
    assert all(entry is not None and entry.msgstr for entry in translated)
    for entry in translated:
        assert not re.search(r"\b(El|el|Del|del|Al|al)\s*(\{name\}|%\(name\)s)", entry.msgstr)
        with translation.override("es"):
            assert translation.gettext(entry.msgid) == entry.msgstr


@pytest.mark.django_db(transaction=True)
def test_adding_a_response_in_the_spanish_admin_never_says_el_respuesta(sample_plan):
    """The add message for a reasoned response, in Spanish."""
    admin = get_user_model().objects.create_superuser("jefa", "jefa@example.org", "x-Pass-99z")
    client = Client()
    client.force_login(admin)
    contribution = sample_plan.contributions.filter(response__isnull=True).first()
    response = client.post(
        "/admin/cocreation/response/add/",
        {
            "contribution": contribution.pk,
            "outcome": "not_adopted",
            "reason_category": "no_budget",
            "text": "No hay presupuesto este año.",
            "deciding_body": "secretariat",
            "decided_on": "2025-03-01",
            "forwarded_to": "",
            "change_reason": "",
        },
        follow=True,
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 200
    shown = " ".join(str(m) for m in response.context["messages"])
    assert shown and "El respuesta" not in shown and "fue agregado" not in shown


def test_the_outbox_shows_what_a_message_is_for_in_words():
    with translation.override("en"):
        assert purpose_label("response_published") == "reasoned response published"
        assert purpose_label("process_warnings:2026-05-04") == (
            "process requirements at risk (2026-05-04)"
        )
        assert purpose_label("something_new") == "something_new"  # unknown: as stored
    assert OutboxMessage(purpose="weekly_digest:2026-W19").purpose_label.startswith(
        str(PURPOSE_LABELS["weekly_digest"])
    )


@pytest.mark.django_db
def test_the_outbox_list_shows_labels_and_filters_on_them(client):
    from traza.notifications.services import enqueue

    enqueue("a@example.org", "Asunto", "Texto", purpose="response_published")
    enqueue("b@example.org", "Aviso", "Texto", purpose="process_warnings:2026-05-04")
    admin = get_user_model().objects.create_superuser("jefe", "jefe@example.org", "x-Pass-99z")
    client.force_login(admin)
    page = client.get("/en/admin/notifications/outboxmessage/")
    html = page.content.decode()
    assert "reasoned response published" in html
    assert "process requirements at risk (2026-05-04)" in html
    filtered = client.get("/en/admin/notifications/outboxmessage/?purpose=process_warnings")
    assert [m.to for m in filtered.context["cl"].result_list] == ["b@example.org"]


@pytest.mark.django_db
def test_second_factor_and_sign_in_protection_are_labelled_in_words(client):
    admin = get_user_model().objects.create_superuser("jefe", "jefe@example.org", "x-Pass-99z")
    client.force_login(admin)
    with translation.override("en"):
        html = client.get("/en/admin/").content.decode()
    assert "TOTP devices (authenticator apps)" in html
    assert "Second factor" in html and "Sign-in protection" in html
    assert "Otp_Totp" not in html
