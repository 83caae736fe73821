"""When the database does not answer, a clear 503 page (rendered without touching the
database) instead of a 500; the broken connection is dropped, so the next request after the
database returns simply works."""

from __future__ import annotations

from contextlib import suppress

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

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
