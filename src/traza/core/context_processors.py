from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url


def site(request: HttpRequest) -> dict:
    """Site name and, for the language switch, this page's address in every language."""
    path = request.get_full_path()
    return {
        "site_name": settings.TRAZA_SITE_NAME,
        "language_links": [
            (code, name, translate_url(path, code)) for code, name in settings.LANGUAGES
        ],
    }
