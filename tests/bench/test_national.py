"""bench/national.py, the generator of the national-scale benchmark (issue 15.6), at a tiny
size: what it writes in bulk keeps the trace verifiable and is found by the search, so the
generator cannot rot between the runs of ``make bench``."""

import importlib.util
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.core.trace_helpers import sealed_and_verified
from traza.cocreation.models import Contribution, Response
from traza.core.models import TraceEvent
from traza.repository import search
from traza.repository.models import SearchEntry

NATIONAL = Path(__file__).resolve().parents[2] / "bench" / "national.py"


@pytest.fixture(scope="module")
def national():
    """bench/national.py writes in bulk outside the services: not part of the package."""
    spec = importlib.util.spec_from_file_location("bench_national", NATIONAL)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db(transaction=True)
def test_the_generated_dataset_verifies_and_is_searchable(national, make_plan, client):
    make_plan(n=1, m=1)  # the generated events follow a trace that already has events
    before = TraceEvent.objects.count()
    dataset = national.generate(
        200,
        plan_count=2,
        commitments_per_plan=5,
        milestones_per_commitment=2,
        events_per_plan=2,
        batch=64,  # several batches, so the chain crosses them
        log=lambda _line: None,
    )

    assert sealed_and_verified() is None
    assert Contribution.objects.filter(plan_id__in=dataset.plans).count() == 200
    assert Response.objects.filter(published_at__isnull=False).count() >= 200
    # one event per contribution and per response, at least, after the earlier ones
    written = TraceEvent.objects.filter(id__gt=before)
    assert written.filter(object_type="cocreation.contribution").count() == 200
    assert written.filter(object_type="cocreation.response").count() == 200
    sample = Contribution.objects.get(pk=dataset.contribution)
    assert written.in_scope(sample).count() == 2
    assert set(
        written.filter(scope_type="cocreation.contribution").values_list("plan_id", flat=True)
    ) <= set(dataset.plans)

    # the search index holds every contribution, and finds them by their words
    assert SearchEntry.objects.filter(kind="contribution").count() == 200
    found = search.search(national.COMMON_WORD, kind="contribution")
    assert found.hits
    generated = {
        reverse("cocreation:contribution", args=[pk])
        for pk in Contribution.objects.values_list("pk", flat=True)
    }
    assert {hit.url for hit in found.hits} <= generated

    # the pages the benchmark measures answer on it
    response = client.get(reverse("cocreation:contribution", args=[sample.pk]))
    assert response.status_code == 200
    assert client.get(reverse("plans:commitment", args=[dataset.hot_commitment])).status_code == 200
