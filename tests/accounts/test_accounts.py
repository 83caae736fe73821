"""Sign-up with e-mail verification, Argon2, password reset through the outbox, lock-out
after repeated failures, TOTP required for staff, no open redirect."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.mail import link_path
from traza.cocreation.forms import SALT
from traza.notifications.models import OutboxMessage


def signup_form(**overrides):
    data = {
        "email": "Nueva@Example.org",
        "display_name": "Nueva Persona",
        "password": "Una-Clave-Larga-2026",
        "password_again": "Una-Clave-Larga-2026",
        "consent": "on",
        "website": "",
        "started": signing.dumps(time.time() - 10, salt=SALT),
    }
    data.update(overrides)
    return data


def test_sign_up_verify_and_sign_in(client, db):
    assert client.post("/cuenta/registro/", signup_form(password_again="otra")).status_code == 400
    assert (
        client.post(
            "/cuenta/registro/", signup_form(password="123", password_again="123")
        ).status_code
        == 400
    )
    assert client.post("/cuenta/registro/", signup_form()).status_code == 200
    user = get_user_model().objects.get()
    assert not user.is_active and user.password.startswith("argon2")
    assert user.email == "nueva@example.org" and "Ley 29733" in user.consent_text
    assert user.username.startswith("p-") and "@" not in user.username  # the trace shows it
    login = {"username": "nueva@example.org", "password": "Una-Clave-Larga-2026"}
    assert client.post("/cuenta/ingresar/", login).status_code == 200  # not active yet
    mail = OutboxMessage.objects.get(purpose="verify_email")
    assert client.get(link_path(mail.body)).status_code == 200
    assert client.get("/cuenta/verificar/forged/").status_code == 400
    response = client.post("/cuenta/ingresar/", login)
    assert response.status_code == 302
    # the same address again: the page says the same, the owner is told by e-mail
    client.post("/cuenta/salir/")
    assert client.post("/cuenta/registro/", signup_form()).status_code == 200
    assert get_user_model().objects.count() == 1
    assert OutboxMessage.objects.filter(purpose="signup_exists").count() == 1


def test_password_reset_goes_through_the_outbox(client, django_user_model):
    django_user_model.objects.create_user("ana", "ana@example.org", "Vieja-Clave-2026")
    response = client.post("/cuenta/contrasena/", {"email": "ana@example.org"})
    assert response.status_code == 302
    assert client.post("/cuenta/contrasena/", {"email": "nadie@example.org"}).status_code == 302
    mail = OutboxMessage.objects.get(purpose="password_reset")
    assert mail.to == "ana@example.org"
    link = link_path(mail.body)
    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "Nueva-Clave-2026!", "new_password2": "Nueva-Clave-2026!"}
    )
    assert done.status_code == 302
    assert django_user_model.objects.get(username="ana").check_password("Nueva-Clave-2026!")


def test_repeated_failures_lock_the_account_out(client, django_user_model):
    django_user_model.objects.create_user("ana", "ana@example.org", "Buena-Clave-2026")
    for _ in range(5):
        client.post("/cuenta/ingresar/", {"username": "ana", "password": "mala"})
    locked = client.post("/cuenta/ingresar/", {"username": "ana", "password": "Buena-Clave-2026"})
    assert locked.status_code == 429 and "Demasiados intentos" in locked.content.decode()


def test_staff_need_a_totp_code_for_the_admin(client, django_user_model, settings):
    settings.TRAZA_REQUIRE_STAFF_2FA = True
    staff = django_user_model.objects.create_user(
        "sgp", "sgp@example.org", "Buena-Clave-2026", is_staff=True
    )
    # set up through a one-time link (tests/accounts/test_staff_second_factor.py)
    device = TOTPDevice.objects.create(user=staff, name="Traza", confirmed=True)
    client.post("/cuenta/ingresar/", {"username": "sgp", "password": "Buena-Clave-2026"})
    response = client.get("/admin/")
    assert response.status_code == 302 and "/cuenta/segundo-factor/" in response["Location"]
    ask = client.get(response["Location"])
    assert ask.status_code == 200 and "<svg" not in ask.content.decode()
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    done = client.post("/cuenta/segundo-factor/?next=/admin/", {"code": code, "next": "/admin/"})
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert TOTPDevice.objects.get(user=staff).confirmed
    # a new session asks for the code again (no new key), and a wrong code is refused
    client.post("/cuenta/salir/")
    client.post("/cuenta/ingresar/", {"username": "sgp", "password": "Buena-Clave-2026"})
    assert client.get("/admin/").status_code == 302
    again = client.post("/cuenta/segundo-factor/", {"code": "000000"})
    assert again.status_code == 400 and "<svg" not in again.content.decode()


def test_no_open_redirect_after_sign_in_or_second_factor(client, django_user_model):
    django_user_model.objects.create_user("ana", "ana@example.org", "Buena-Clave-2026")
    response = client.post(
        "/cuenta/ingresar/?next=https://evil.example/",
        {"username": "ana", "password": "Buena-Clave-2026", "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and "evil.example" not in response["Location"]


@pytest.mark.parametrize("path", ["/cuenta/segundo-factor/"])
def test_the_second_factor_page_is_for_staff(client, django_user_model, path):
    user = django_user_model.objects.create_user("ana", "ana@example.org", "Buena-Clave-2026")
    client.force_login(user)
    assert client.get(path).status_code == 403


def _answer(response) -> tuple:
    """What a visitor sees of an answer (the anti-forgery token aside, new on every page)."""
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)
    return response.status_code, response.get("Location"), body


def test_a_reset_for_an_unknown_address_answers_and_works_like_one_for_an_account(
    client, django_user_model
):
    django_user_model.objects.create_user("ana", "ana@example.org", "Vieja-Clave-2026")
    known = client.post("/cuenta/contrasena/", {"email": "ana@example.org"})
    unknown = client.post("/cuenta/contrasena/", {"email": "nadie@example.org"})
    assert _answer(known) == _answer(unknown)
    assert known.status_code == 302
    # the same work: the message is composed (and its token made) for nobody too
    assert [t.name for t in known.templates] == [t.name for t in unknown.templates]
    assert "accounts/email/reset.txt" in [t.name for t in unknown.templates]
    assert OutboxMessage.objects.filter(to="nadie@example.org").count() == 0
