"""``shorten``: text shortened for display ends at a word boundary (issue 17.6)."""

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from traza.core.text import ELLIPSIS, shorten

words = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)


@given(text=words, limit=st.integers(min_value=1, max_value=120))
def test_a_shortened_text_is_a_prefix_at_a_word_boundary(text, limit):
    result = shorten(text, limit)
    assert len(result) <= limit
    if len(text) <= limit:
        assert result == text  # fits: untouched, no ellipsis
        return
    assert result.endswith(ELLIPSIS)
    prefix = result[: -len(ELLIPSIS)]
    assert text.startswith(prefix)
    has_boundary = any(text[i].isspace() and text[:i].strip() for i in range(1, limit))
    if has_boundary:  # the cut falls on a space, after a whole word
        assert text[len(prefix)].isspace()
        assert not prefix[-1].isspace()
    else:  # one word longer than the limit: cut inside it, still marked
        assert prefix == text[: limit - len(ELLIPSIS)]


def test_examples():
    assert shorten("Implementar el sistema de datos abiertos", 20) == "Implementar el…"
    assert shorten("Implementar el sistema", 22) == "Implementar el sistema"
    assert shorten("Implementar el sistema", 21) == "Implementar el…"
    assert shorten("abc defg", 4) == "abc…"  # the space right after the room is a boundary
    assert shorten("Supercalifragilistic", 6) == "Super…"  # one long word: cut inside
    assert shorten("a\nsecond line", 8) == "a…"


def test_limit_must_be_positive():
    with pytest.raises(ValueError):
        shorten("text", 0)


def test_the_template_filter():
    rendered = Template("{% load shorten %}{{ t|shorten:20 }}|{{ none|shorten:5 }}").render(
        Context({"t": "Implementar el sistema de datos abiertos", "none": None})
    )
    assert rendered == "Implementar el…|"
