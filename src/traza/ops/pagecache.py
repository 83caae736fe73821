"""Public pages served from a cache that the trace invalidates (issue 15).

A public page is a function of the data, the language, the address and the clock. Every
change to the data writes a trace event, so the id of the newest event is a version of all
the data: a page is stored under its address, its language and that version, and the next
write — whatever it changes — makes every stored page unreachable. Two things public pages
show change without a trace event, and are part of the version too: the outbox (the journey
says when the author was told) and the trace's signed checkpoints. What depends on the clock
alone (a consultation that closes, days waiting) is bounded by the entry's lifetime,
``TRAZA_PAGE_CACHE_SECONDS`` (60 by default; 0 turns the cache off).

Only what anyone would get is stored: GET requests without a session or pending messages
(so nobody signed in, no "saved" notice), answered 200 with the whole body at once, that set
no cookie and do not vary by cookie — a page with a form carries a CSRF token bound to its
visitor's cookie and is never stored. The cache is the ``pages`` alias: memory of each
process by default, Redis shared by all of them when ``REDIS_URL`` is set.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.cache import cc_delim_re

#: Addresses never stored: live state (health), staff and sign-in pages, uploaded files.
NEVER = ("/healthz", "/admin/", "/mesa-de-trabajo/", "/workbench/", "/cuenta/", "/account/")
#: Cookies that make a request personal: a session (signed in), a notice or a receipt to show.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages", "traza_receipt")


def data_version() -> str:
    """The newest trace event, checkpoint and sent message: one query of three indexed
    maxima, changed by every write a public page can show."""
    tables = [
        (apps.get_model("core", "TraceEvent"), "id"),
        (apps.get_model("core", "TraceCheckpoint"), "id"),
        (apps.get_model("notifications", "OutboxMessage"), "sent_at"),
    ]
    columns = ", ".join(
        f"(SELECT MAX({quote(column)}) FROM {quote(model._meta.db_table)})"
        for model, column in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        row = cursor.fetchone()
    return ".".join("" if value is None else str(value) for value in row)


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def cache_seconds() -> int:
    return int(getattr(settings, "TRAZA_PAGE_CACHE_SECONDS", 0))


def cacheable_request(request: HttpRequest) -> bool:
    path = request.path.removeprefix("/en")  # English pages live under /en/
    return (
        request.method == "GET"
        and not path.startswith(NEVER)
        and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
    )


def cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    """A whole 200 that is the same for anyone: it used no CSRF token (the CSRF middleware,
    outside this one, has not yet set its cookie) and wrote nothing in a session."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    session = getattr(request, "session", None)
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or (session is not None and session.modified):
        return False
    vary = {v.lower() for v in cc_delim_re.split(response.get("Vary", "")) if v}
    control = response.get("Cache-Control", "").lower()
    return "cookie" not in vary and "private" not in control and "no-store" not in control


def page_key(request: HttpRequest, version: str) -> str:
    address = f"{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    stamp = hashlib.sha256(version.encode()).hexdigest()[:16]  # a key without spaces
    return f"page:{stamp}:{getattr(request, 'LANGUAGE_CODE', '')}:{digest}"


class PublicPageCacheMiddleware:
    """Answer a public GET from the ``pages`` cache when the data has not changed since the
    page was stored (after the locale and authentication middleware: the language is known,
    and what comes after — second factor, messages, rate limits, CSP — runs on a miss only;
    its headers are stored with the page)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = cache_seconds()
        if seconds <= 0 or not cacheable_request(request):
            return self.get_response(request)
        cache = caches["pages"]
        key = page_key(request, data_version())
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Traza-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if cacheable_response(request, response):
            headers = [(k, v) for k, v in response.items() if k.lower() != "content-length"]
            cache.set(key, (response.status_code, headers, response.content), seconds)
            response["X-Traza-Cache"] = "miss"
        return response
