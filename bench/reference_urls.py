"""The reference server's one view: each address's saved bytes (``BENCH_REFERENCE_PAGES``, a
pickle of ``{full path: (content type, body)}`` written by bench/pages.py), from memory."""

import os
import pickle
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.urls import re_path

PAGES: dict[str, tuple[str, bytes]] = pickle.loads(
    Path(os.environ["BENCH_REFERENCE_PAGES"]).read_bytes()
)


def saved(request: HttpRequest) -> HttpResponse:
    content_type, body = PAGES[request.get_full_path()]
    return HttpResponse(body, content_type=content_type)


urlpatterns = [re_path(r"", saved)]
