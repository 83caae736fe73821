"""Every public form that sends e-mail, driven through the real request cycle.

The rest of the suite runs each test inside a transaction, so code that calls ``enqueue()``
outside one passes there and answers 500 on a running server ("enqueue() must run inside the
transaction it reports on"). These tests run with ``transaction=True``: the Django test client
does not wrap a request in a transaction (ATOMIC_REQUESTS is off), exactly like the server.
Each asserts that the form answers with a success or a redirect and that the outbox received
the message."""

import datetime as dt
import time

import pytest
from django.contrib.auth.models import Permission
from django.core import signing
from django.utils import timezone

from tests.factories import virtual_consultation
from tests.mail import link_path
from traza.cocreation import services as cocreation_services
from traza.cocreation.forms import SALT
from traza.cocreation.models import Contribution, DiscussionPost
from traza.core.services import SYSTEM
from traza.notifications.models import OutboxMessage
from traza.plans import services as plan_services

pytestmark = pytest.mark.django_db(transaction=True)


def human(**values):
    """A public form's values, with the spam checks passed."""
    return {"website": "", "started": signing.dumps(time.time() - 10, salt=SALT), **values}


def signup_form(**values):
    password = "Una-Clave-Larga-2026"
    defaults = {
        "email": "nueva@example.org",
        "display_name": "Nueva Persona",
        "password": password,
        "password_again": password,
        "consent": "on",
    }
    return human(**{**defaults, **values})


def contribution_form(**values):
    defaults = {
        "text": "Publicar los contratos de obras en formato abierto.",
        "author_name": "Ana Quispe",
        "author_email": "ana@example.org",
        "author_organization": "Red Ciudadana",
        "consent": "on",
    }
    return human(**{**defaults, **values})


@pytest.fixture
def open_plan(make_plan):
    return plan_services.set_plan_stage(SYSTEM, make_plan(n=2, m=1), "co_creation")


@pytest.fixture
def workshop(make_plan):
    start = timezone.now() + dt.timedelta(days=20)
    return cocreation_services.save_event(
        SYSTEM,
        None,
        {
            "plan": make_plan(n=1, m=1),
            "key": "taller",
            "kind": "regional_workshop",
            "title": "Taller regional Cusco",
            "place": "Cusco",
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=4),
        },
    )


@pytest.fixture
def draft(make_plan):
    """A draft commitment whose plan runs a virtual consultation now."""
    commitment = make_plan(n=1, m=1).commitments.get()
    plan_services.set_commitment_status(SYSTEM, commitment, "proposal", reason="Borrador")
    virtual_consultation(commitment.plan)
    return commitment


def mail(purpose: str, to: str) -> OutboxMessage:
    return OutboxMessage.objects.get(purpose=purpose, to=to)


def test_sign_up(client):
    response = client.post("/en/account/sign-up/", signup_form())
    assert response.status_code == 200
    mail("verify_email", "nueva@example.org")


def test_sign_up_with_an_address_that_has_an_account(client, django_user_model):
    django_user_model.objects.create_user("ana", "ana@example.org", "Vieja-Clave-2026")
    response = client.post("/en/account/sign-up/", signup_form(email="ana@example.org"))
    assert response.status_code == 200
    mail("signup_exists", "ana@example.org")


def test_password_reset(client, django_user_model):
    django_user_model.objects.create_user("ana", "ana@example.org", "Vieja-Clave-2026")
    response = client.post("/en/account/password/", {"email": "ana@example.org"})
    assert response.status_code == 302
    reset = mail("password_reset", "ana@example.org")
    # and the link of the message works on a running server too
    form_page = client.get(link_path(reset.body), follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Nueva-Clave-2026!", "new_password2": "Nueva-Clave-2026!"},
    )
    assert done.status_code == 302
    assert django_user_model.objects.get().check_password("Nueva-Clave-2026!")


def test_password_reset_of_an_unknown_address(client):
    response = client.post("/en/account/password/", {"email": "nadie@example.org"})
    assert response.status_code == 302
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("email", ["ana@example.org", "nadie@example.org"])
def test_privacy_request_then_download_and_erasure(client, open_plan, email):
    client.post(f"/planes/{open_plan.pk}/aportar/", contribution_form())
    response = client.post("/en/privacy/", human(email=email))
    assert response.status_code == 200
    link = link_path(mail("my_data", email).body)
    assert client.get(link + "?format=json").status_code == 200
    assert client.post(link, {"confirm": "on"}).status_code == 200
    assert not Contribution.objects.filter(author_email__iexact=email).exists()


def test_contribution_and_its_reasoned_response(client, open_plan, editor):
    response = client.post(f"/planes/{open_plan.pk}/aportar/", contribution_form())
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    # the contribution form sends nothing itself; its author is e-mailed the reasoned response
    client.force_login(editor)
    answer = f"/admin/cocreation/contribution/answer/?ids={contribution.pk}"
    row = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-contribution_id": contribution.pk,
        "form-0-outcome": "adopted",
        "form-0-text": "Se incorporó al hito 1.",
        "form-0-deciding_body": "national_table",
        "form-0-decided_on": "2026-02-01",
    }
    done = client.post(answer, row)
    assert done.status_code == 302
    mail("response_published", "ana@example.org")


def test_event_registration(client, workshop):
    form = human(
        name="Rosa Mamani",
        email="rosa@example.org",
        organization="Asociación de Mujeres",
        sector="civil_society",
        civil_society_type="grassroots",
        region="Cusco",
        consent="on",
    )
    response = client.post(f"/eventos/{workshop.pk}/inscripcion/", form)
    assert response.status_code == 302
    mail("registration", "rosa@example.org")


def test_follow(client, make_plan):
    plan = make_plan(n=1, m=1)
    form = human(email="vecina@example.org", frequency="immediate", consent="on")
    response = client.post(f"/seguir/plan/{plan.pk}/", form)
    assert response.status_code == 200
    mail("follow_confirm", "vecina@example.org")


def test_discussion_message_and_its_moderation(client, draft, django_user_model):
    text = "¿Cómo se medirá la participación de las regiones?"
    form = contribution_form(text=text)
    response = client.post(f"/compromisos/{draft.pk}/debate/", form)
    assert response.status_code == 302
    post = DiscussionPost.objects.get()
    # the author is e-mailed when a moderator hides the message (with its public reason)
    moderator = django_user_model.objects.create_user(
        "mod", "mod@example.org", "x-Strong-pass-1", is_staff=True
    )
    moderator.user_permissions.set(
        Permission.objects.filter(codename__in=["moderate_discussion", "view_discussionpost"])
    )
    client.force_login(moderator)
    hidden = client.post(
        f"/admin/cocreation/discussionpost/{post.pk}/change/",
        {
            "status": "hidden",
            "moderation_category": "personal_data",
            "moderation_reason": "Datos de terceros.",
            "change_reason": "",
        },
    )
    assert hidden.status_code == 302
    mail("post_hidden", "ana@example.org")
