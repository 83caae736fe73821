"""Spanish content on English pages says it is Spanish (WCAG 3.1.2, language of parts): one
tag, ``{% content_lang %}``, marks plan and commitment titles and texts, contributions and
responses; Spanish pages carry no extra attribute."""

import re

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from tests.cocreation.conftest import draft, moderator  # noqa: F401 (fixtures)
from traza.core.templatetags.content_lang import content_lang


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def test_the_tag_marks_content_only_on_pages_in_another_language(settings):
    with translation.override("en"):
        assert content_lang() == ' lang="es"'
        assert render("<p{% content_lang %}>{{ t }}</p>", t="Hola") == '<p lang="es">Hola</p>'
        assert render("<dd{% content_lang v %}>—</dd>", v="") == "<dd>—</dd>"  # placeholder
        assert content_lang(language="qu") == ' lang="qu"'
    with translation.override("es"):
        assert content_lang() == ""
        assert render("<p{% content_lang %}>{{ t }}</p>", t="Hola") == "<p>Hola</p>"
    with translation.override("es-pe"):
        assert content_lang() == ""
    settings.TRAZA_CONTENT_LANGUAGE = "en"
    with translation.override("en"):
        assert content_lang() == ""
    with translation.override("es"):
        assert content_lang() == ' lang="en"'


def english(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def spanish(name: str, *args) -> str:
    with translation.override("es"):
        return reverse(name, args=args)


def marked(page: str, text: str) -> bool:
    """Whether ``text`` sits inside an element that carries lang="es"."""
    for match in re.finditer(r'<(\w+)[^>]*\slang="es"[^>]*>', page):
        end = page.find(f"</{match[1]}>", match.end())
        if text in page[match.end() : end]:
            return True
    return False


@pytest.mark.django_db
def test_english_pages_mark_spanish_content_and_spanish_pages_do_not(client, sample_plan):
    commitment = sample_plan.commitments.get(number=1)
    contribution = sample_plan.contributions.get(text__startswith="Publicar")
    pages = [
        ("plans:plan", [sample_plan.pk], [sample_plan.title, commitment.title]),
        ("plans:commitment", [commitment.pk], [commitment.title, sample_plan.title]),
        ("cocreation:contributions", [sample_plan.pk], ["Mapas abiertos de calidad del aire."]),
        ("cocreation:contribution", [contribution.pk], [contribution.text, sample_plan.title]),
        ("plans:home", [], [sample_plan.title]),
        ("cocreation:event", [contribution.event.pk], [contribution.event.title]),
    ]
    for name, args, texts in pages:
        page = client.get(english(name, *args)).content.decode()
        assert '<html lang="en"' in page, name
        for text in texts:
            assert marked(page, text), (name, text)
        page = client.get(spanish(name, *args)).content.decode()
        assert 'lang="es"' not in page.split("<body", 1)[1], name
    response_text = contribution.response.text
    if response_text:
        page = client.get(english("cocreation:contribution", contribution.pk)).content.decode()
        assert marked(page, response_text.split("\n")[0][:40])


def test_english_discussion_marks_each_message_spanish(client, draft, moderator):  # noqa: F811
    from traza.cocreation import services
    from traza.cocreation.models import DiscussionPost, PostStatus

    services.post_message(
        draft,
        {"text": "¿Cómo se medirá?", "author_name": "Ana", "author_email": "a@example.org"},
    )
    services.moderate_post(moderator, DiscussionPost.objects.get(), PostStatus.PUBLISHED)
    page = client.get(english("cocreation:discussion", draft.pk)).content.decode()
    assert marked(page, "¿Cómo se medirá?")
