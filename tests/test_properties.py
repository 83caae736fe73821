"""Property-based tests (hypothesis): whatever a person types into a public form and
whatever file is fed to the importers, no server error and no half-written record."""

import csv
import datetime as dt
import io
import json
import os
import time
from pathlib import Path

import pytest
from django.core import signing
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from traza.cocreation.forms import SALT

TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300
) | st.sampled_from(
    ["", " ", "\x00", "=1+1", "<script>x</script>", "a" * 6000, "'; DROP TABLE x;--"]
)
FIELD_VALUES = st.dictionaries(
    st.sampled_from(
        [
            "text",
            "author_name",
            "author_email",
            "author_organization",
            "show_author",
            "consent",
            "email",
            "name",
            "organization",
            "sector",
            "region",
            "access_needs",
            "theme",
            "commitment",
            "plan",
            "frequency",
            "display_name",
            "password",
            "password_again",
            "username",
            "q",
            "code",
            "status",
            "percent",
            "narrative",
            "fact_date",
            "milestone",
            "website",
            "started",
        ]
    ),
    TEXT,
    max_size=12,
)
PROPERTY = settings(
    max_examples=int(os.environ.get("TRAZA_PROPERTY_EXAMPLES", "20")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def human(data: dict) -> dict:
    """Most examples carry a valid human check, so the validation behind it is reached."""
    data = dict(data)
    data.setdefault("started", signing.dumps(time.time() - 10, salt=SALT))
    return data


@pytest.fixture
def places(sample_plan, django_user_model):
    from traza.core.services import SYSTEM
    from traza.forum import services as forum_services
    from traza.monitoring import services as monitoring_services
    from traza.plans import services as plan_services

    plan = plan_services.set_plan_stage(SYSTEM, sample_plan, "co_creation")
    commitment = plan.commitments.first()
    plan_services.set_commitment_status(SYSTEM, commitment, "proposal", reason="prueba")
    event = plan.events.first()
    from traza.cocreation import services as cocreation_services

    cocreation_services.save_event(
        SYSTEM,
        event,
        {
            "starts_at": timezone.now() + dt.timedelta(days=30),
            "ends_at": timezone.now() + dt.timedelta(days=30, hours=2),
            "registration_opens_at": timezone.now() - dt.timedelta(days=1),
            "registration_closes_at": timezone.now() + dt.timedelta(days=29),
            "status": "scheduled",
        },
    )
    forum = forum_services.save_forum(
        SYSTEM, None, {"member": plan.member, "name": "Foro", "established_on": dt.date(2020, 1, 1)}
    )
    report = monitoring_services.generate_self_assessment(SYSTEM, plan, "final")
    contribution = plan.contributions.first()
    return [
        f"/planes/{plan.pk}/aportar/",
        f"/eventos/{event.pk}/inscribirse/",
        contribution.get_absolute_url(),
        f"/compromisos/{commitment.pk}/debate/",
        f"/autoevaluaciones/{report.pk}/",
        f"/foro/{forum.pk}/",
        f"/seguir/plan/{plan.pk}/",
        "/cuenta/registro/",
        "/cuenta/ingresar/",
        "/cuenta/contrasena/",
        "/privacidad/",
    ]


@PROPERTY
@given(data=FIELD_VALUES, which=st.integers(min_value=0, max_value=10))
def test_no_public_form_fails_whatever_is_typed(client, places, data, which):
    response = client.post(places[which], human(data))
    assert response.status_code < 500, (places[which], data)


@PROPERTY
@given(q=TEXT, kind=TEXT, page=TEXT)
def test_search_never_fails(client, db, q, kind, page):
    response = client.get("/buscar/", {"q": q, "type": kind, "page": page})
    assert response.status_code < 500


EXAMPLE = json.loads(
    (Path(__file__).resolve().parents[1] / "docs" / "data" / "example-import.json").read_text()
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=10,
)


def paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths(child, (*prefix, index))


EXAMPLE_PATHS = [p for p in paths(EXAMPLE) if p]


@PROPERTY
@given(where=st.sampled_from(EXAMPLE_PATHS), value=JSON_VALUES)
def test_the_json_importer_reports_or_imports_never_crashes(db, where, value):
    from traza.api.transfer import ImportProblem, import_data
    from traza.core.services import SYSTEM
    from traza.plans.models import ActionPlan

    data = json.loads(json.dumps(EXAMPLE))
    target = data
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    before = ActionPlan.objects.count()
    try:
        import_data(SYSTEM, data, "property.json")
    except ImportProblem:
        assert ActionPlan.objects.count() == before  # all or nothing


OGP_CSV = Path(__file__).resolve().parent / "data" / "ogp-commitments-open-parliament.csv"
with OGP_CSV.open(encoding="utf-8-sig", newline="") as handle:
    _reader = csv.DictReader(handle)
    OGP_HEADER = _reader.fieldnames
    OGP_ROW = next(_reader)


@PROPERTY
@given(changes=st.dictionaries(st.sampled_from(OGP_HEADER), TEXT, max_size=6))
def test_the_ogp_importer_reports_bad_rows_never_crashes(db, tmp_path_factory, changes):
    from traza.assessment.ogp_import import import_ogp_csv
    from traza.core.services import SYSTEM

    row = {**OGP_ROW, **{k: v.replace("\x00", "") for k, v in changes.items()}}
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=OGP_HEADER)
    writer.writeheader()
    writer.writerow(row)
    path = tmp_path_factory.mktemp("ogp") / "rows.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    result = import_ogp_csv(SYSTEM, path)
    assert result.rows == 1 and result.imported + len({p[0] for p in result.problems}) >= 1
