"""Time the generated documents (traza.reports) on a plan of 200 commitments with texts of a
realistic length (each box of OGP's commitment template a paragraph, 5 milestones each)."""

from __future__ import annotations

import os
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traza.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from traza.core.services import SYSTEM  # noqa: E402
from traza.plans import services  # noqa: E402
from traza.reports.services import generate  # noqa: E402

COMMITMENTS, MILESTONES = 200, 5
TARGET_SECONDS = 10
PARAGRAPH = (
    "La información sobre la ejecución de las obras públicas está dispersa en varios "
    "sistemas y no se publica en formatos abiertos; la ciudadanía no puede seguir su avance "
    "ni comparar costos, y las denuncias llegan tarde. "
) * 3


def build():
    member = services.save_member(SYSTEM, None, {"slug": "bench", "name": "Bench"})
    theme = services.save_theme(SYSTEM, None, {"slug": "bench", "name": "Integridad pública"})
    org = services.save_organization(
        SYSTEM, None, {"slug": "bench", "name": "Ministerio de Economía", "sector": "public"}
    )
    plan = services.save_plan(
        SYSTEM,
        None,
        {"member": member, "number": 1, "title": "Bench", "period_start": 2024, "period_end": 2026},
    )
    for i in range(1, COMMITMENTS + 1):
        services.save_commitment(
            SYSTEM,
            None,
            {
                "plan": plan,
                "number": i,
                "title": f"Compromiso {i}: datos abiertos de la contratación pública",
                "summary": PARAGRAPH,
                "problem": PARAGRAPH,
                "status_quo": PARAGRAPH,
                "change_sought": PARAGRAPH,
                "contribution": PARAGRAPH,
                "theme": theme,
                "lead_organization": org,
                "access_to_information": True,
                "status": "approved",
            },
            milestones=[
                (
                    None,
                    {
                        "number": j,
                        "text": f"Hito {j}: publicar el conjunto de datos y su diccionario",
                        "deliverable": "Conjunto de datos publicado en el portal",
                    },
                )
                for j in range(1, MILESTONES + 1)
            ],
        )
    return plan


def main() -> int:
    call_command("migrate", verbosity=0)
    plan = build()
    failed = False
    for fmt in ("docx", "pdf"):
        start = time.perf_counter()
        generated = generate(plan, "action_plan", fmt, "es")
        elapsed = time.perf_counter() - start
        ok = elapsed < TARGET_SECONDS
        failed |= not ok
        print(
            f"action plan, {COMMITMENTS} commitments, {fmt}: {elapsed:.1f} s "
            f"({len(generated.data) // 1024} KiB), target < {TARGET_SECONDS} s "
            f"{'ok' if ok else 'MISSED'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
