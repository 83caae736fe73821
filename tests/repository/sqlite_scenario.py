"""Run by tests/repository/test_extraction_after_commit.py in its own process, against a
file-based SQLite database configured exactly as settings.py configures it: a document whose
text is slow to extract is uploaded through the admin while a citizen sends a contribution.
Prints what happened as JSON."""

import json
import os
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traza.settings")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import django

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402

from tests.cocreation.test_contributions import form_data  # noqa: E402
from tests.repository import bombs  # noqa: E402


def main() -> None:
    call_command("migrate", verbosity=0)
    from traza.accounts.models import User
    from traza.cocreation.models import Contribution
    from traza.core.services import SYSTEM
    from traza.plans import services as plans
    from traza.repository.models import DocumentVersion

    result = {}
    with connection.cursor() as cursor:
        result["journal_mode"] = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        result["busy_timeout"] = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
    admin = User.objects.create_superuser("admin", "admin@example.org", "x-Strong-pass-1")
    member = plans.save_member(SYSTEM, None, {"slug": "pe", "name": "Perú"})
    plan = plans.save_plan(
        SYSTEM,
        None,
        {
            "member": member,
            "number": 1,
            "title": "Plan",
            "period_start": 2024,
            "period_end": 2026,
            "stage": "co_creation",
        },
    )
    slow = bombs.slow_pdf(int(os.environ.get("SLOW_PDF_MB", "10")))

    def upload() -> None:
        client = Client(raise_request_exception=False)
        client.force_login(admin)
        started = time.monotonic()
        response = client.post(
            "/admin/repository/document/add/",
            bombs.document_form(SimpleUploadedFile("acta.pdf", slow), plan=plan.pk),
        )
        result["upload_status"] = response.status_code
        result["upload_seconds"] = time.monotonic() - started
        connections.close_all()

    uploading = threading.Thread(target=upload)
    uploading.start()
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and not DocumentVersion.objects.exists():
        time.sleep(0.05)  # the version is visible once the upload's transaction committed
    result["uploading_when_contribution_sent"] = uploading.is_alive()
    started = time.monotonic()
    response = Client(raise_request_exception=False).post(
        f"/planes/{plan.pk}/aportar/", form_data()
    )
    result["contribution_status"] = response.status_code
    result["contribution_seconds"] = time.monotonic() - started
    result["uploading_when_contribution_saved"] = uploading.is_alive()
    uploading.join()
    result["contributions"] = Contribution.objects.count()
    result["text_status"] = [getattr(v, "text_status", None) for v in DocumentVersion.objects.all()]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
