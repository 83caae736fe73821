import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def healthz(request: HttpRequest) -> JsonResponse:
    """Database, outbox and storage, for load balancers and monitoring: 200 when the site
    can serve, 503 when the database or the file storage cannot be used."""
    checks: dict = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError as error:
        checks["database"] = f"error: {type(error).__name__}"
        healthy = False
    if healthy:
        from traza.notifications.models import MessageStatus, OutboxMessage

        pending = OutboxMessage.objects.filter(status=MessageStatus.QUEUED)
        oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
        checks["outbox"] = {
            "queued": pending.count(),
            "failed": OutboxMessage.objects.filter(status=MessageStatus.FAILED).count(),
            "uncertain": OutboxMessage.objects.filter(status=MessageStatus.UNCERTAIN).count(),
            "oldest_queued_seconds": int((timezone.now() - oldest).total_seconds())
            if oldest
            else 0,
        }
    try:
        name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
        default_storage.delete(name)
        checks["storage"] = "ok"
    except OSError as error:
        checks["storage"] = f"error: {type(error).__name__}"
        healthy = False
    checks["status"] = "ok" if healthy else "error"
    return JsonResponse(checks, status=200 if healthy else 503)
