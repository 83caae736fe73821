"""When the database does not answer, a clear 503 page (rendered without touching the
database) instead of a 500; the broken connection is dropped, so the next request after the
database returns simply works. And input hygiene: control characters and over-long values
in addresses and forms are a 400 before anything reads them."""

from __future__ import annotations

import re
from contextlib import suppress

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.gzip import GZipMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

DOWN = (OperationalError, InterfaceError)


def database_down_response() -> HttpResponse:
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "30"
    return response


class DatabaseDownMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        except DOWN:
            return self._down()

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, DOWN) and not _integrity(exception):
            return self._down()
        return None

    def _down(self) -> HttpResponse:
        for connection in connections.all(initialized_only=True):
            with suppress(DatabaseError):
                connection.close()
        return database_down_response()


def _integrity(exception: Exception) -> bool:
    """A locked SQLite file is contention, not an outage."""
    return "locked" in str(exception).lower()


# Input hygiene. NUL cannot be stored in PostgreSQL text (the query fails with a 500) and the
# other C0 control characters break XML, spreadsheets and terminals; no address or query needs
# any of them. In form bodies, tab, carriage return and line feed are ordinary text; a vertical
# tab or form feed is how word processors paste a line or page break, so it becomes a line
# break; the other control characters are dropped (no person types them), and a NUL, which
# only a broken or hostile client sends, refuses the form.
CONTROL_IN_ADDRESS = re.compile("[\x00-\x1f]")
CONTROL_IN_BODY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
BREAKS_IN_BODY = re.compile("[\x0b\x0c]")
DROPPED_IN_BODY = re.compile("[\x01-\x08\x0e-\x1f]")
# Longer than any page address, token, search or filter of Traza.
MAX_PATH_LENGTH = 2000
MAX_QUERY_VALUE_LENGTH = 1000
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


class CleanInputMiddleware:
    """Refuses, before any view or query runs, a request whose path, query string or form
    values hold a NUL, or whose path or query values hold another control character or are
    over-long: a small translated 400 page (JSON under /api/), never a 500. Other control
    characters in form values are cleaned, so pasted text is kept. Lengths of form values stay with
    the forms, which know their fields; the API's bodies are JSON, which the API reads."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = self._problem(request)
        if problem is not None:
            return bad_request(request, problem)
        return self.get_response(request)

    def _problem(self, request: HttpRequest) -> str | None:
        control = _("The address contains a character that is not allowed (a control character).")
        path = request.path
        if len(path) > MAX_PATH_LENGTH:
            return _("The address is too long.")
        if CONTROL_IN_ADDRESS.search(path):
            return control
        for key, values in request.GET.lists():
            for text in (key, *values):
                if CONTROL_IN_ADDRESS.search(text):
                    return control
                if len(text) > MAX_QUERY_VALUE_LENGTH:
                    return _(
                        "A value in the address is too long (at most %(limit)s characters)."
                    ) % {"limit": MAX_QUERY_VALUE_LENGTH}
        api = request.path.startswith("/api/")  # JSON bodies, read (and limited) by the API
        if request.method == "POST" and request.content_type in FORM_TYPES and not api:
            try:
                fields = list(request.POST.lists())
            except MultiPartParserError:
                return _("The form could not be read.")
            if any("\x00" in text for key, values in fields for text in (key, *values)):
                return _("The form contains a character that is not allowed (a control character).")
            if any(
                CONTROL_IN_BODY.search(text) for key, values in fields for text in (key, *values)
            ):
                _clean_form(request, fields)
        return None


def _clean_form(request: HttpRequest, fields: list[tuple[str, list[str]]]) -> None:
    """Replace the posted values by their cleaned text (files are left as they are)."""
    cleaned = request.POST.copy()
    for key, values in fields:
        cleaned.setlist(
            key, [DROPPED_IN_BODY.sub("", BREAKS_IN_BODY.sub("\n", text)) for text in values]
        )
    cleaned._mutable = False
    request.POST = cleaned  # type: ignore[assignment]  # immutable again, as Django leaves it


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    page = render_to_string(
        "400.html", {"message": message, "LANGUAGE_CODE": translation.get_language()}
    )
    return HttpResponse(page, status=400)


#: Formats that are compressed already (XLSX, DOCX and ODF are zip archives).
PACKED = {
    "application/zip",
    "application/gzip",
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
    "image/png",
    "image/jpeg",
    "image/webp",
}


class PublicGZipMiddleware(GZipMiddleware):
    """Gzip what anyone may read; leave signed-in pages uncompressed.

    Compression saves most on the public pages that rural connections load. A signed-in
    person's pages can show personal data next to text from the address (filters, searches),
    the mix a BREACH attack needs to recover a secret from compressed sizes; they are few
    and small, so they go out as they are. (The CSRF token is masked anew in every response.)
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return response
        if response.get("Content-Type", "").split(";")[0].strip() in PACKED:
            return response  # compressed already: gzip would spend time to gain nothing
        return super().process_response(request, response)
