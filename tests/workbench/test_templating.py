"""Response templates: placeholders in Spanish and English, filled for each person within
the privacy rules; unknown or unfillable ones are errors naming them and whom they fail."""

import pytest
from django.utils import translation

from tests import factories
from traza.workbench import templating
from traza.workbench.forms import TemplateForm


@pytest.fixture
def plan(db):
    return factories.plan_with_commitments(n=2, m=1)


@pytest.fixture
def named(plan):
    return factories.ContributionFactory(
        plan=plan,
        author_name="Rosa Mamani",
        show_author=True,
        text="Pedimos que la municipalidad publique cada mes los contratos de obras. "
        "Además, que se puedan descargar en formato abierto para revisarlos con los vecinos.",
    )


@pytest.fixture
def anonymous(plan):
    return factories.ContributionFactory(
        plan=plan, author_name="Juan Pérez", show_author=False, text="Más datos abiertos."
    )


def test_placeholders_are_read_with_escaped_braces():
    assert templating.placeholders_in("Hola {nombre}, {{literal}} y {cita}.") == ["nombre", "cita"]
    assert templating.parse("{{a}}") == ["{", "a", "}"]
    with pytest.raises(templating.TemplateSyntaxProblem):
        templating.parse("Hola {nombre")
    with pytest.raises(templating.TemplateSyntaxProblem):
        templating.parse("una llave } sola")


def test_a_quote_is_shortened_at_a_word_or_sentence():
    long = "palabra " * 60
    quoted = templating.quote(long)
    assert quoted.startswith("“palabra") and quoted.endswith("…”") and len(quoted) < 170
    assert templating.quote("Corto.") == "“Corto”"  # the full stop goes after the quote
    assert templating.quote("¿Cuándo?") == "“¿Cuándo?”"
    sentence = "Primera idea completa aquí dentro del límite de la cita larga. " + "x " * 100
    assert templating.quote(sentence, length=100) == (
        "“Primera idea completa aquí dentro del límite de la cita larga”"
    )


@pytest.mark.django_db
def test_the_name_only_with_consent_and_links_absolute(named, anonymous, plan, settings):
    settings.TRAZA_BASE_URL = "https://traza.example.org"
    version = plan.commitments.get(number=1).versions.last()
    body = "Hola {nombre}: sobre {cita}, ver {compromiso} en {enlace_compromiso} y {enlace_aporte}."
    text = templating.render(body, named, versions=[version])
    assert text.startswith("Hola Rosa Mamani: sobre “Pedimos que la municipalidad")
    assert f"https://traza.example.org{version.commitment.get_absolute_url()}" in text
    with translation.override("en"):  # a member of staff working in English
        english = templating.render(body, named, versions=[version])
    assert english == text  # the links are the site language's, as the e-mail is
    assert f"https://traza.example.org{named.get_absolute_url()}" in text
    assert "Commitment 1" in text
    with translation.override("en"):
        other = templating.render("Hello {name}", anonymous)
    assert other == "Hello participant"  # never the name they did not consent to show
    assert "Juan" not in templating.render("{nombre}{name}{cita}", anonymous)


@pytest.mark.django_db
def test_unknown_and_unresolved_placeholders_name_the_contributions(named, anonymous):
    problems = templating.check(
        "Hola {nombre}, {compromisso} y {entidad}", [named, anonymous], forwarded_to=""
    )
    assert problems.unknown == ["compromisso"]
    assert problems.unresolved == {"entidad": [named, anonymous]}
    with translation.override("en"):
        messages = problems.messages()
        names = str(named), str(anonymous)
    assert any("{compromisso} does not exist" in m for m in messages)
    assert any("{entidad}" in m and names[0] in m and names[1] in m for m in messages)
    assert not templating.check("Hola {nombre}", [named, anonymous])
    assert templating.check("{compromiso}", [named]).unresolved == {"compromiso": [named]}
    filled = templating.render("{entidad} recibió {{su}} aporte", named, forwarded_to="SUNASS")
    assert filled == "SUNASS recibió {su} aporte"


def test_leftover_placeholders_are_found_in_final_texts():
    assert templating.leftover_placeholders("Hola {nombre}, gracias") == ["nombre"]
    assert templating.leftover_placeholders("Hola {{nombre}}") == []
    assert templating.leftover_placeholders("Sin marcas {otra}") == []


@pytest.mark.django_db
def test_the_template_form_refuses_unknown_placeholders():
    with translation.override("en"):
        form = TemplateForm({"name": "Mala", "outcome": "", "body": "Hola {nombrr}"})
        assert not form.is_valid()
        assert "{nombrr}" in str(form.errors["body"])
        broken = TemplateForm({"name": "Rota", "outcome": "", "body": "Hola {nombre"})
        assert not broken.is_valid()
    assert TemplateForm({"name": "Buena", "outcome": "adopted", "body": "Hola {nombre}"}).is_valid()
