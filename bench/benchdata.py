"""Many generated contributions, for the export memory benchmark (bench/export_memory.py) and
its test (tests/api/test_export_memory.py).

The rows are written with ``bulk_create``, outside the services: no permission check, no
trace, no signals (the search index is not what is measured). That is why this lives beside
the benchmarks and not in the installed package: nothing in Traza may write untraced."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    from traza.plans.models import ActionPlan


def generate_contributions(plan: ActionPlan, n: int, batch: int = 5000) -> None:
    """``n`` contributions of about 400 characters, written in batches."""
    from traza.cocreation.models import Contribution

    start = timezone.now() - dt.timedelta(days=30)
    text = "Propuesta ciudadana sobre transparencia y participación en el presupuesto. " * 5
    for first in range(0, n, batch):
        Contribution.objects.bulk_create(
            Contribution(
                plan=plan,
                channel="web_form",
                text=f"{i} {text}",
                received_at=start + dt.timedelta(seconds=i),
                author_name=f"Persona {i}",
                author_email=f"persona{i}@example.org",
            )
            for i in range(first, min(first + batch, n))
        )


def peak_export_bytes(name: str = "contributions") -> tuple[int, int]:
    """Stream the dataset's CSV to nowhere; return (rows, peak bytes allocated meanwhile)."""
    import tracemalloc

    from traza.api.downloads import csv_rows
    from traza.api.opendata import DATASETS

    tracemalloc.start()
    tracemalloc.reset_peak()
    rows = -1
    for _line in csv_rows(DATASETS[name]):
        rows += 1
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return rows, peak
