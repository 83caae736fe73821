"""The server-error page speaks the visitor's language and says so in <html lang>."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from traza.core.views import server_error


@pytest.mark.parametrize(("language", "title"), [("es", "Algo salió mal"), ("en", "Something")])
def test_the_server_error_page_is_marked_in_its_language(language, title):
    with translation.override(language):
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{language}">' in html
    assert title in html
