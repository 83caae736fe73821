"""The secretariat's workbench driven in Chromium, on a 360 px phone with JavaScript off:
60 contributions, the triage proposals computed, one group decided with a text for each
person, one contribution forwarded, drafts approved by a second account (four-eyes), the
mail worker delivers the e-mails and every journey page shows its answer."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.browser.axe import assert_no_axe_violations
from traza.cocreation.models import Response, ResponseDraft, Second
from traza.core.services import SYSTEM
from traza.notifications.services import deliver_due
from traza.workbench import services as workbench

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
PASSWORD = "x-Strong-pass-1"

# fictional contributions in the words people use at a table, by e-mail or by letter
TOPICS = {
    "agua": [
        "Que la empresa de agua publique en datos abiertos la calidad del agua potable de cada distrito.",
        "Pedimos que se publique mes a mes la calidad del agua potable por distrito, en formato abierto.",
        "Queremos conocer los análisis de calidad del agua potable de nuestro distrito, publicados en datos abiertos.",
        "Publicar los resultados de calidad del agua potable por distrito y que se puedan descargar.",
        "Datos abiertos de la calidad del agua potable en cada distrito, por favor, actualizados.",
        "La calidad del agua potable de los distritos debería publicarse en datos abiertos cada mes.",
    ],
    "salud": [
        "Publicar las listas de espera de los hospitales para operaciones y citas con especialistas.",
        "Que los hospitales muestren en línea cuánto se espera para una cita con especialista.",
        "Transparentar las listas de espera de los hospitales públicos, por especialidad.",
        "Queremos saber el tiempo de espera para operarse en cada hospital público.",
    ],
    "obras": [
        "Publicar los contratos de obras públicas de la municipalidad con sus adendas y pagos.",
        "Que cada obra pública tenga su contrato, avance y pagos publicados en un portal.",
        "Datos abiertos de contrataciones de obras: contrato, empresa, monto y avance físico.",
        "Las obras públicas deben mostrar su contrato y cuánto se pagó, en formato abierto.",
    ],
    "becas": [
        "Que se publique la lista de becarios y los criterios para asignar las becas.",
        "Transparencia en la asignación de becas: criterios, puntajes y resultados publicados.",
        "Publicar los criterios y resultados de las becas estudiantiles con datos abiertos.",
    ],
    "otro": [
        "Arreglen el parque de mi barrio, los juegos están rotos hace meses.",
        "El alumbrado de mi calle no funciona y nadie responde en la municipalidad.",
        "Solicito que recojan la basura del mercado dos veces por semana.",
    ],
}
THEMES = {
    "agua": "Agua y saneamiento",
    "salud": "Salud",
    "obras": "Obras públicas",
    "becas": "Educación",
}
NAMES = ["Rosa Mamani", "Luis Huamán", "Carmen Quispe", "Jorge Flores", "Elena Torres"]
CHANNELS = ["event", "email", "web_form", "letter"]


def fits_a_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def widest(page) -> str:
    """What reaches past the phone's width, for the failure message."""
    return page.evaluate(
        """w => 'scrollWidth ' + document.documentElement.scrollWidth + ', body '
            + document.body.scrollWidth + ': ' + [...document.querySelectorAll('*')]
            .filter(e => e.getBoundingClientRect().right > w - 6
                      || (e.clientWidth && e.scrollWidth > e.clientWidth + 1))
            .slice(-8)
            .map(e => e.tagName + '.' + e.className + '#' + e.id + ' right '
                 + Math.round(e.getBoundingClientRect().right) + ' sw ' + e.scrollWidth
                 + ' cw ' + e.clientWidth)
            .join(' | ')""",
        PHONE["width"],
    )


def staff(django_user_model, name: str):
    return factories.account(name, "secretariat")


def load_plan():
    """A plan of four commitments and 60 contributions received over two months."""
    plan = factories.plan_with_commitments(n=4, m=1)
    titles = [
        "Datos abiertos de la calidad del agua potable",
        "Listas de espera de los hospitales públicos",
        "Contrataciones de obras públicas en datos abiertos",
        "Transparencia en la asignación de becas",
    ]
    from traza.plans import services as plans

    plans.save_plan(SYSTEM, plan, {"title": "Plan de Acción de Gobierno Abierto 2026-2028"})
    themes = {}
    for number, (key, title) in enumerate(zip(TOPICS, titles, strict=False), start=1):
        commitment = plan.commitments.get(number=number)
        themes[key] = factories.ThemeFactory(slug=f"tema-{key}", name=THEMES[key])
        plans.save_commitment(
            SYSTEM, commitment, {"title": title, "theme": themes[key]}, reason="Título final"
        )
    event = factories.EventFactory(plan=plan, key="mesa-lima", title="Mesa temática de Lima")
    now = timezone.now()
    made = []
    texts = [(key, text) for key, variants in TOPICS.items() for text in variants]
    for i in range(60):
        topic, text = texts[i % len(texts)]
        if i >= len(texts):
            text = f"{text} (lo reiteramos desde {['Arequipa', 'Cusco', 'Piura'][i % 3]})"
        channel = CHANNELS[i % 4]
        made.append(
            factories.ContributionFactory(
                plan=plan,
                channel=channel,
                event=event if channel == "event" else None,
                # the tables classify what they receive; mail and letters arrive unsorted
                theme=themes.get(topic) if channel == "event" else None,
                text=text,
                author_name=NAMES[i % 5],
                show_author=i % 2 == 0,
                author_email=f"vecina{i}@example.org" if i % 7 else "",
                received_at=now - dt.timedelta(days=60 - i),
            )
        )
    for n, contribution in zip((4, 2, 7), (made[0], made[6], made[10]), strict=True):
        for k in range(n):  # seconds, as the contribution page records them
            Second.objects.create(
                contribution=contribution,
                name=f"Vecina {k}",
                email=f"s{k}-{contribution.pk}@example.org",
            )
    workbench.save_template(
        SYSTEM,
        None,
        {
            "name": "Incorporado al compromiso",
            "outcome": "adopted",
            "body": "Hola {nombre}: gracias por su aporte {cita}. Lo incorporamos en el "
            "compromiso «{compromiso}»: {enlace_compromiso}",
        },
    )
    return plan, made


def sign_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context, context.new_page()


def submit(page, locator) -> None:
    """Click a submit button and wait for the page it leads to (no script: a real POST)."""
    with page.expect_navigation():
        locator.click()


def check(page):
    """Every workbench page: one h1, Spanish, fits a phone, no axe violation."""
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", level=1).count() == 1
    assert page.locator("html").get_attribute("lang") == "es"
    assert fits_a_phone(page), f"{page.url}: {widest(page)}"
    assert_no_axe_violations(page)


def test_a_whole_triage_on_a_phone_without_javascript(
    live_server, browser, django_user_model, settings
):
    settings.TRAZA_RESPONSE_FOUR_EYES = True
    settings.TRAZA_BASE_URL = live_server.url
    plan, made = load_plan()
    drafter = staff(django_user_model, "secretaria")
    approver = staff(django_user_model, "coordinador")
    queue = f"{live_server.url}{reverse('workbench:queue', args=[plan.pk])}"

    context, page = sign_in(browser, live_server, drafter)
    try:
        page.goto(f"{live_server.url}{reverse('workbench:index')}")
        check(page)
        page.goto(f"{live_server.url}{reverse('workbench:templates')}")
        check(page)
        page.goto(queue)
        check(page)
        assert page.locator("table.queue tbody tr").count() == 25
        # the proposals, computed on request
        submit(
            page,
            page.locator(f"form[action='{reverse('workbench:triage', args=[plan.pk])}'] button"),
        )
        assert page.locator(".wb-groups li").count() >= 1
        check(page)

        # one group, decided at once with a text for each person
        submit(page, page.locator(".wb-groups form button").first)
        check(page)
        page.select_option("#id_outcome", "adopted")
        page.select_option("#id_deciding_body", "thematic_table")
        page.select_option("#id_versions", index=0)
        page.select_option("#id_template", label="Incorporado al compromiso")
        submit(page, page.locator("form.wb-form button[type=submit]"))
        areas = page.locator("textarea[name^=text_]")
        group_size = areas.count()
        assert group_size >= 2
        check(page)
        first_name = areas.first.get_attribute("name")
        group_ids = [
            int(areas.nth(i).get_attribute("name").split("_")[1]) for i in range(group_size)
        ]
        assert "Hola " in areas.nth(1).input_value()
        areas.first.fill("Estimada Rosa: su pedido llegó a la mesa y lo incorporamos. Gracias.")
        submit(page, page.locator("button[name=step][value=preview]"))
        check(page)
        assert (
            page.locator("pre.wb-mail").count() + page.locator("p.wb-no-mail").count() >= group_size
        )
        assert "Estimada Rosa" in page.locator("main").inner_text()
        assert page.locator("button[name=step][value=publish]").count() == 0  # four-eyes
        submit(page, page.locator("button[name=step][value=draft]"))
        assert ResponseDraft.objects.filter(contribution__in=group_ids).count() == group_size

        # one forwarded to another entity, from its own page
        forwarded = next(c for c in made if "parque" in c.text)
        page.goto(f"{live_server.url}{reverse('workbench:contribution', args=[forwarded.pk])}")
        check(page)
        page.select_option("#id_outcome", "forwarded")
        page.fill("#id_forwarded_to", "Municipalidad Distrital de Miraflores")
        page.fill(
            "#id_body",
            "Hola {nombre}: su pedido no es parte del plan; lo derivamos a {entidad}, "
            "que le responderá.",
        )
        submit(page, page.locator("form.wb-form button[type=submit]"))
        submit(page, page.locator("button[name=step][value=preview]"))
        check(page)
        submit(page, page.locator("button[name=step][value=draft]"))

        # the drafter sees the drafts but may not approve her own
        page.goto(f"{live_server.url}{reverse('workbench:drafts', args=[plan.pk])}")
        check(page)
        for box in page.locator("input[name=drafts]").all():
            box.check()
        submit(page, page.locator("button[name=action][value=publish]"))
        assert not Response.objects.filter(contribution__in=group_ids).exists()
    finally:
        context.close()

    # a second account approves them all
    context, page = sign_in(browser, live_server, approver)
    try:
        page.goto(f"{live_server.url}{reverse('workbench:drafts', args=[plan.pk])}")
        check(page)
        for _ in range(5):  # 25 drafts a page: approve page after page
            boxes = page.locator("input[name=drafts]").all()
            if not boxes:
                break
            for box in boxes:
                box.check()
            submit(page, page.locator("button[name=action][value=publish]"))
        decided = [*group_ids, forwarded.pk]
        published = Response.objects.filter(contribution__in=decided, published_at__isnull=False)
        assert published.count() == len(decided)
        assert not ResponseDraft.objects.filter(contribution__in=decided).exists()
    finally:
        context.close()

    # the mail worker delivers; each journey page shows its answer
    mail.outbox.clear()
    deliver_due()
    told = [c for c in made if c.pk in decided and c.author_email]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.author_email for c in told)
    edited = next(c for c in made if c.pk == int(first_name.split("_")[1]))
    if edited.author_email:  # the text written for her, not the template's
        (personal,) = [m for m in mail.outbox if m.to == [edited.author_email]]
        assert "Estimada Rosa" in personal.body and "{" not in personal.body
    public = browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        reader = public.new_page()
        for response in Response.objects.filter(contribution__in=decided).select_related(
            "contribution"
        ):
            reader.goto(f"{live_server.url}{response.contribution.get_absolute_url()}")
            body = reader.locator("main").inner_text()
            assert response.text.split("\n")[0][:40] in body
            assert fits_a_phone(reader)
        reader.goto(f"{live_server.url}{forwarded.get_absolute_url()}")
        assert "Municipalidad Distrital de Miraflores" in reader.locator("main").inner_text()
    finally:
        public.close()
