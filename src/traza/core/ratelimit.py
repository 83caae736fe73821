"""Rate limits on public writes and on the open-data API, per client address (behind a
reverse proxy: TRAZA_TRUSTED_PROXIES), counted in the shared cache (use Redis or Memcached
when several application servers run)."""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from traza.core.clients import client_ip


def _client_ip(group: str, request: HttpRequest) -> str:
    """The client's own address, also behind the trusted reverse proxies (traza.core.clients):
    otherwise every citizen would share the proxy's limit."""
    return client_ip(request)


#: A plan's generated document (``reports:download``), rendered from the data on request:
#: limited as the API and the open-data downloads are.
GENERATED_DOCUMENT = re.compile(r"/(documentos|documents)/[\w-]+\.(es|en)\.(docx|pdf|xlsx)$")


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.TRAZA_RATE_LIMITS:
            limited = self._limited(request)
            if limited is not None:
                return limited
        return self.get_response(request)

    def _limited(self, request: HttpRequest) -> HttpResponse | None:
        path = request.path
        if path.startswith(("/api/", "/data/")) or GENERATED_DOCUMENT.search(path):
            group, rate = "api", settings.TRAZA_API_RATE
        elif request.method == "POST" and "/admin/" not in path:
            group, rate = "forms", settings.TRAZA_FORM_RATE
        else:
            return None
        if not is_ratelimited(request, group=group, key=_client_ip, rate=rate, increment=True):
            return None
        message = _("Too many requests from your address. Please wait a minute and try again.")
        response: HttpResponse
        if group == "api":
            response = JsonResponse({"detail": message}, status=429)
        else:
            response = HttpResponse(
                render_to_string("429.html", {"message": message}, request=request), status=429
            )
        response["Retry-After"] = "60"
        return response
