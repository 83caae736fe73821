"""The public timeline of a commitment (/compromisos/<id>/cronologia/): the commitment's trace
says what happened, the rows say what it is now; the same number of queries whatever the
number of entries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.activity.conftest import Busy, event_of, happen
from traza.activity.queries import commitment_timeline
from traza.plans.models import Commitment


def kinds(commitment) -> list[str]:
    return [str(e.kind) for e in commitment_timeline(commitment)]


def queries_of(commitment) -> int:
    commitment = Commitment.objects.select_related("origin_event").get(pk=commitment.pk)
    with CaptureQueriesContext(connection) as captured:
        commitment_timeline(commitment)
    return len(captured)


def test_everything_that_happened_to_the_commitment_oldest_first(busy):
    happen(busy)
    entries = commitment_timeline(busy.commitment)
    assert [e.date for e in entries] == sorted(e.date for e in entries)
    shown = kinds(busy.commitment)
    for kind in [
        "Propuesto",
        "Versión 1",
        "Inicia el hito 1",
        "Vence el hito 1",
        "Avance del hito 1: 10 %",
        "Medición",
        "Evaluación del MRI",
        "Respuesta fundamentada",
        "Nivel de cumplimiento fijado en limitado",
    ]:
        assert kind in shown, kind
    # the other commitment of the plan: only its own versions, and the response is not its
    other = busy.plan.commitments.get(number=2)
    assert set(kinds(other)) == {"Versión 1", "Versión 2", "Versión 3"}


def test_no_query_per_entry(make_plan):
    counts = []
    for times, number in ((1, 1), (3, 2)):
        plan = make_plan(n=1, m=2, number=number)
        busy = Busy(plan, plan.commitments.get(), event_of(plan))
        happen(busy, times)
        counts.append(queries_of(busy.commitment))
    assert counts[0] == counts[1] <= 10  # the trace, then one batch per kind shown


def test_only_what_happened_is_read(make_plan):
    commitment = make_plan(n=1, m=0).commitments.get()
    assert queries_of(commitment) == 2  # the trace, the versions
    assert kinds(commitment) == ["Versión 1"]


def test_the_page(client, busy):
    happen(busy)
    page = client.get(f"/compromisos/{busy.commitment.pk}/cronologia/")
    assert page.status_code == 200 and "Avance del hito 1: 10 %" in page.content.decode()
    assert (
        f"/compromisos/{busy.commitment.pk}/cronologia/"
        in client.get(busy.commitment.get_absolute_url()).content.decode()
    )
    english = client.get(f"/en/commitments/{busy.commitment.pk}/timeline/").content.decode()
    assert "Progress on milestone 1: 10 %" in english
    assert client.get("/compromisos/999999/cronologia/").status_code == 404
