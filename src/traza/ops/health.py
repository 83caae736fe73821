"""``/healthz``: for load balancers and monitoring. The database and the file storage are
checked here; every other part is a probe its app registers (``traza.core.hooks``)."""

import hmac
import threading
import time
import uuid
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited

from traza.core import hooks
from traza.core.ratelimit import _client_ip

# The storage is proven writable by writing (and deleting) a small file at most once a
# minute per process and storage location, not on every call; a failure is checked again at
# the next call.
STORAGE_PROBE_SECONDS = 60
_storage_checked: dict[tuple, float] = {}
_storage_lock = threading.Lock()


def _storage_problem() -> str | None:
    key = (
        str(getattr(default_storage, "bucket_name", "")),
        str(getattr(default_storage, "location", "")),
    )
    with _storage_lock:
        checked = _storage_checked.get(key)
        if checked is not None and time.monotonic() - checked < STORAGE_PROBE_SECONDS:
            return None
    try:
        name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
        default_storage.delete(name)
    except Exception as error:  # any storage failure (OSError, the S3 client's errors)
        with _storage_lock:
            _storage_checked.pop(key, None)
        return f"error: {type(error).__name__}"
    with _storage_lock:
        _storage_checked[key] = time.monotonic()
    return None


def _may_see_details(request: HttpRequest) -> bool:
    """Staff, or a monitor presenting ``Authorization: Bearer <TRAZA_HEALTH_TOKEN>``."""
    if _has_health_token(request):
        return True
    try:
        return bool(request.user.is_staff)
    except (DatabaseError, AttributeError):  # no database, no session: the public answer
        return False


def _has_health_token(request: HttpRequest) -> bool:
    expected = getattr(settings, "TRAZA_HEALTH_TOKEN", "")
    scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
    if not expected or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: ``ok`` (200), ``degraded`` (200: the site serves,
    but mail is uncertain, failed or waiting too long) or ``down`` (503, with Retry-After: the
    database or the file storage cannot be used). The public sees the status only; staff and
    the bearer of TRAZA_HEALTH_TOKEN also see the database, storage and probes' details (the
    outbox's, from notifications)."""
    if (
        settings.TRAZA_RATE_LIMITS
        and not _has_health_token(request)
        and is_ratelimited(
            request,
            group="healthz",
            key=_client_ip,
            rate=getattr(settings, "TRAZA_HEALTH_RATE", "120/m"),
            increment=True,
        )
    ):
        response = JsonResponse({"status": "limited"}, status=429)
        response["Retry-After"] = "60"
        return response
    details: dict = {}
    problems: list[str] = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        details["database"] = "ok"
        for name, probe in hooks.health_probes().items():
            details[name], probe_problems = probe()
            problems += probe_problems
    except DatabaseError as error:
        details["database"] = f"error: {type(error).__name__}"
        problems.insert(0, "database")
    storage_problem = _storage_problem()
    details["storage"] = storage_problem or "ok"
    if storage_problem:
        problems.insert(0, "storage")
    down = details["database"] != "ok" or storage_problem is not None
    status = "down" if down else "degraded" if problems else "ok"
    body: dict[str, Any] = {"status": status}
    if _may_see_details(request):
        body.update(details, problems=problems)
    response = JsonResponse(body, status=503 if down else 200)
    if down:
        response["Retry-After"] = "30"
    return response
