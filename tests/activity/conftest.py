"""What happens to a plan, written through the services (so the trace holds it)."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from traza.assessment import services as assessment
from traza.cocreation import services as cocreation
from traza.cocreation.models import Event
from traza.core.services import SYSTEM
from traza.monitoring import services as monitoring
from traza.plans import services as plans
from traza.plans.models import ActionPlan, Commitment
from traza.repository import services as repository

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Busy:
    plan: ActionPlan
    commitment: Commitment
    event: Event


def event_of(plan: ActionPlan, key: str = "taller") -> Event:
    starts = timezone.now() - dt.timedelta(days=30)
    return cocreation.save_event(
        SYSTEM,
        None,
        {
            "plan": plan,
            "key": key,
            "kind": "regional_workshop",
            "title": f"Taller {key}",
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=3),
        },
    )


def happen(busy: Busy, times: int = 1) -> None:
    """``times`` of everything: responses (one changing the commitment, one at the event),
    accepted progress with a measurement, a measurement, a rating, documents of the plan, the
    commitment and the event, the completion set by hand."""
    plan, commitment, event = busy.plan, busy.commitment, busy.event
    milestone = commitment.milestones.order_by("number").first()
    indicator = monitoring.save_indicator(
        SYSTEM,
        None,
        {
            "commitment": commitment,
            "key": "portales",
            "name": "Portales",
            "level": "output",
            "unit": "portales",
        },
    )
    for n in range(times):
        about = cocreation.record_contribution(
            SYSTEM,
            {
                "plan": plan,
                "channel": "email",
                "text": f"Propuesta {n}",
                "received_at": timezone.now(),
                "commitment": commitment,
            },
        )
        cocreation.publish_response(
            SYSTEM,
            about,
            {
                "outcome": "adopted",
                "text": f"Se incorporó {n}",
                "deciding_body": "secretariat",
                "decided_on": timezone.localdate(),
            },
            versions=[commitment.versions.order_by("-number").first()],
        )
        there = cocreation.record_contribution(
            SYSTEM,
            {
                "plan": plan,
                "channel": "event",
                "text": f"En el taller {n}",
                "received_at": timezone.now(),
                "event": event,
            },
        )
        cocreation.publish_response(
            SYSTEM,
            there,
            {
                "outcome": "not_adopted",
                "reason_category": "no_budget",
                "text": f"No {n}",
                "deciding_body": "secretariat",
                "decided_on": timezone.localdate(),
            },
        )
        monitoring.save_measurement(
            SYSTEM,
            None,
            {"indicator": indicator, "value": str(n), "measured_on": dt.date(2025, 1, 1)},
        )
        report = monitoring.submit_progress(
            SYSTEM,
            milestone,
            {
                "status": "in_progress",
                "percent": 10 + n,
                "narrative": f"Avance {n}",
                "fact_date": dt.date(2025, 2, 1),
            },
            measurements=[(indicator, "5", dt.date(2025, 2, 1))],
            links=[("Portal", "https://datos.example.gob.pe")],
        )
        monitoring.review_progress(SYSTEM, report, True)
        for title, extra in (
            ("del plan", {}),
            ("del compromiso", {"commitment": commitment}),
            ("del taller", {"event": event}),
        ):
            repository.publish_document(
                SYSTEM,
                {
                    "kind": "action_plan",
                    "title": f"Documento {title} {n}",
                    "document_date": "2025-06-15",
                    "plan": plan,
                    **extra,
                },
                SimpleUploadedFile("d.pdf", PDF),
                "Versión aprobada",
            )
    assessment.save_rating(
        SYSTEM,
        None,
        {
            "commitment": commitment,
            "methodology": "A_2017",
            "stage": "design",
            "source": "Informe de diseño",
            "assessed_on": dt.date(2025, 3, 1),
        },
    )
    plans.save_milestone(
        SYSTEM, milestone, {"starts_on": dt.date(2024, 1, 1), "ends_on": dt.date(2025, 12, 31)}
    )
    plans.save_commitment(SYSTEM, commitment, {"origin_event": event})
    monitoring.override_completion(SYSTEM, commitment, "limited", "Por decisión del foro")


@pytest.fixture
def busy(make_plan) -> Busy:
    """A plan with two commitments and an event, where nothing happened yet."""
    plan = make_plan(n=2, m=2)
    return Busy(plan, plan.commitments.get(number=1), event_of(plan))
