"""A national-scale dataset for the page benchmark (issue 15.6): 10 plans, 2,000 commitments,
8,000 milestones, 200 events and N contributions, each with a published reasoned response,
with the trace events of all of it, the search index and the maintained counts of contributions.

    DATABASE_URL=postgres://postgres@127.0.0.1/traza_bench_national_10000 \\
        .venv/bin/python bench/national.py --contributions 10000      # also 200000, 1000000

The skeleton (member, themes, organisations, plans) is written through the services. The rest
is written with ``bulk_create`` in batches, outside the services: no permission check, no
validation, no signals, no e-mail. Its trace events are written beside it in bulk, shaped as
the services write them (the same object types, scopes, plans, summaries and changes) and
waiting to be sealed, and sealed by the trace's own sealer (``core.sealing``) after they
commit, so ``traza verify-trace`` passes; the search index is rebuilt at the end with
``repository.search.reindex_all``, and the counts of contributions recounted with
``cocreation.services.tallies.rebuild``. That is why this lives beside the benchmarks and not in
the installed package: nothing in Traza may write untraced, and nothing but a benchmark may
write its trace by hand.

What is left out: commitment versions, response revisions' history beyond the first, seconds,
discussion, progress reports, evidence.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traza.settings")
    import django

    django.setup()

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

REASON = "National-scale benchmark data (bench/national.py)"
#: The dataset's shape besides its contributions (issue 15's table).
PLANS, COMMITMENTS_PER_PLAN, MILESTONES_PER_COMMITMENT, EVENTS_PER_PLAN = 10, 200, 4, 20
#: Share of all contributions in the first plan, and on its busiest commitment (issue 15: the
#: plan contributions list had 92,000 of 200,000; one commitment 4,803).
FIRST_PLAN_SHARE, HOT_COMMITMENT_SHARE = 0.46, 0.024
#: A word in every contribution (the "search for a common word" row).
COMMON_WORD = "presupuesto"

THEMES = [
    "Salud",
    "Educación",
    "Ambiente",
    "Seguridad ciudadana",
    "Transporte",
    "Integridad pública",
    "Agua y saneamiento",
    "Industrias extractivas",
    "Justicia",
    "Gobierno digital",
]
SUBJECTS = [
    "el presupuesto participativo del distrito",
    "las compras públicas del gobierno regional",
    "los datos abiertos de salud",
    "la calidad del agua en los ríos",
    "las rutas del transporte urbano",
    "la atención en los centros de salud",
    "las becas para estudiantes rurales",
    "el canon minero y su uso",
    "las denuncias de corrupción",
    "la seguridad en los parques",
]
ASKS = [
    "Pido que se publique cada mes",
    "Propongo una mesa de seguimiento con vecinos sobre",
    "Solicitamos un informe trimestral en lenguaje sencillo sobre",
    "Sugiero un mapa en línea que muestre",
    "Exigimos plazos visibles para",
]
OUTCOMES = [
    ("adopted", "", "Se acoge: el compromiso incorpora la propuesta en su segundo hito."),
    ("partially_adopted", "", "Se acoge en parte: se publicará cada trimestre, no cada mes."),
    ("not_adopted", "no_budget", "No se acoge: no hay presupuesto asignado este año."),
    ("out_of_scope", "outside_competence", "Fuera de alcance: corresponde al gobierno local."),
    ("duplicate", "", "Igual a otro aporte ya respondido en este plan."),
]
CHANNELS = ["web_form", "email", "event", "virtual_forum", "letter"]


@dataclass
class Dataset:
    plans: list[int]
    hot_commitment: int
    contribution: int  # one with a published response, in the first plan
    contributions: int
    seconds: float


class Trace:
    """Appends events in bulk, each as ``core.services.record`` builds it and waiting to be
    sealed (its ``TracePending`` row), without the services around it. The sealer chains them
    once the transaction has committed (:meth:`seal`)."""

    def __init__(self, batch: int = 5000) -> None:
        from traza.core.models import TraceEvent
        from traza.core.services import actor_label

        self.actor = actor_label(None)
        self.batch = batch
        self.pending: list[TraceEvent] = []
        self.written = 0

    def add(
        self,
        obj: Any,
        *,
        summary: str,
        changes: dict[str, Any],
        scope: Any = None,
        action: str = "create",
    ) -> None:
        from traza.core.models import TraceEvent
        from traza.core.scopes import plan_of
        from traza.core.services import object_key

        scoped = scope or obj
        event = TraceEvent(
            occurred_at=timezone.now(),
            actor_label=self.actor,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_label=str(obj)[:300],
            scope=object_key(scoped),
            plan_id=plan_of(scoped),
            summary=summary[:300],
            reason=REASON,
            changes=changes,
        )
        self.pending.append(event)
        if len(self.pending) >= self.batch:
            self.flush()

    def created(self, obj: Any, scope: Any = None) -> None:
        """The event ``save_traced`` writes for a new object: its non-empty values."""
        from traza.core.services import _editable_fields, _summary, field_values

        values = field_values(obj, _editable_fields(type(obj)))
        changes = {k: [None, v] for k, v in values.items() if v not in (None, "", False)}
        self.add(obj, summary=_summary(obj, True, changes), changes=changes, scope=scope)

    def flush(self) -> None:
        from traza.core.models import TraceEvent, TracePending

        TraceEvent.objects.bulk_create(self.pending)  # their ids, from the sequence, set
        TracePending.objects.bulk_create(TracePending(event=event) for event in self.pending)
        self.written += len(self.pending)
        self.pending = []

    @staticmethod
    def seal() -> int:
        """Seal what was written (after its transaction committed), as the sealer does."""
        from traza.core.sealing import seal_pending

        return seal_pending(wait=True)


def _bulk(model: Any, objects: Iterable[Any], batch: int = 5000) -> list[Any]:
    objects = list(objects)
    for first in range(0, len(objects), batch):
        model.objects.bulk_create(objects[first : first + batch])
    return objects


def _skeleton(plan_count: int) -> tuple[list[Any], list[Any], list[Any]]:
    """Member, themes, organisations and plans, through the services (traced as usual)."""
    from traza.core.services import SYSTEM
    from traza.plans import services

    member = services.save_member(
        SYSTEM, None, {"slug": "bench-national", "name": "País de referencia (ficticio)"}
    )
    themes = [
        services.save_theme(SYSTEM, None, {"slug": f"bench-{i}", "name": f"{name} (bench)"})
        for i, name in enumerate(THEMES, 1)
    ]
    organizations = [
        services.save_organization(
            SYSTEM,
            None,
            {
                "slug": f"bench-org-{i}",
                "name": f"Ministerio de referencia {i}",
                "sector": "public",
            },
        )
        for i in range(1, 21)
    ]
    plans = [
        services.save_plan(
            SYSTEM,
            None,
            {
                "member": member,
                "number": number,
                "title": f"Plan de Acción Nacional de referencia {number} (ficticio)",
                "period_start": 2004 + 2 * number,
                "period_end": 2005 + 2 * number,
                "stage": "implementation" if number == plan_count else "closed",
                "is_fictional": True,
            },
        )
        for number in range(1, plan_count + 1)
    ]
    plans.reverse()  # the newest (and busiest) plan first
    return plans, themes, organizations


def generate(
    contributions: int,
    *,
    plan_count: int = PLANS,
    commitments_per_plan: int = COMMITMENTS_PER_PLAN,
    milestones_per_commitment: int = MILESTONES_PER_COMMITMENT,
    events_per_plan: int = EVENTS_PER_PLAN,
    batch: int = 5000,
    seed: int = 15,
    log: Callable[[str], None] = print,
) -> Dataset:
    """Write the dataset into the (migrated, empty of it) database of this process; the
    shape's other sizes can be made smaller (the generator's test)."""
    from traza.cocreation.models import Contribution, Event, Response, ResponseRevision
    from traza.cocreation.services import tallies
    from traza.core.services import trace_language
    from traza.plans.models import Commitment, Milestone
    from traza.repository import search

    rng = random.Random(seed)
    began = time.perf_counter()
    now = timezone.now().replace(microsecond=0)
    with transaction.atomic(), trace_language():
        plans, themes, organizations = _skeleton(plan_count)
        trace = Trace(batch)

        events = _bulk(
            Event,
            (
                Event(
                    plan=plan,
                    key=f"mesa-{n}",
                    kind="thematic_table" if n % 4 else "regional_workshop",
                    title=f"Mesa {n} del plan {plan.number}: {THEMES[n % len(THEMES)]}",
                    description="Mesa de cocreación (datos ficticios de referencia).",
                    region="Lima" if n % 3 else "Cusco",
                    starts_at=now - dt.timedelta(days=200 - n),
                    ends_at=now - dt.timedelta(days=200 - n, hours=-3),
                    organiser=organizations[n % len(organizations)],
                    status="held",
                )
                for plan in plans
                for n in range(1, events_per_plan + 1)
            ),
            batch,
        )
        for event in events:
            trace.created(event)
        events_of = {plan.pk: [e for e in events if e.plan_id == plan.pk] for plan in plans}
        log(f"  {len(events):,} events")

        commitments = _bulk(
            Commitment,
            (
                Commitment(
                    plan=plan,
                    number=n,
                    title=f"Compromiso {n}: {SUBJECTS[n % len(SUBJECTS)]} con datos abiertos",
                    summary=f"{ASKS[n % len(ASKS)]} {SUBJECTS[(n + 3) % len(SUBJECTS)]}.",
                    problem="La ciudadanía no conoce a tiempo cómo se usan los recursos.",
                    lead_organization=organizations[n % len(organizations)],
                    theme=themes[n % len(themes)],
                    access_to_information=n % 2 == 0,
                    civic_participation=n % 3 == 0,
                    public_accountability=n % 5 == 0,
                    starts_on=dt.date(2004 + 2 * plan.number, 1, 1),
                    ends_on=dt.date(2005 + 2 * plan.number, 12, 31),
                    status="approved",
                )
                for plan in plans
                for n in range(1, commitments_per_plan + 1)
            ),
            batch,
        )
        for commitment in commitments:
            trace.created(commitment)
        commitments_of = {
            plan.pk: [c for c in commitments if c.plan_id == plan.pk] for plan in plans
        }
        log(f"  {len(commitments):,} commitments")

        milestones = _bulk(
            Milestone,
            (
                Milestone(
                    commitment=commitment,
                    number=n,
                    text=f"Hito {n}: publicar {SUBJECTS[(commitment.number + n) % len(SUBJECTS)]}",
                    starts_on=commitment.starts_on,
                    ends_on=commitment.ends_on,
                    deliverable="Informe publicado en datos abiertos",
                )
                for commitment in commitments
                for n in range(1, milestones_per_commitment + 1)
            ),
            batch,
        )
        for milestone in milestones:
            trace.created(milestone, scope=milestone.commitment)
        log(f"  {len(milestones):,} milestones")

        first_plan = plans[0]
        hot = commitments_of[first_plan.pk][0]
        hot_share = HOT_COMMITMENT_SHARE / FIRST_PLAN_SHARE
        start = now - dt.timedelta(days=365)
        span = int(dt.timedelta(days=300).total_seconds())
        sample = 0
        for first in range(0, contributions, batch):
            rows = []
            for i in range(first, min(first + batch, contributions)):
                plan = first_plan if rng.random() < FIRST_PLAN_SHARE else rng.choice(plans[1:])
                draw = rng.random()
                if plan is first_plan and draw < hot_share:
                    commitment = hot
                elif draw < 0.7:
                    commitment = rng.choice(commitments_of[plan.pk])
                else:
                    commitment = None
                channel = CHANNELS[i % len(CHANNELS)]
                subject = SUBJECTS[rng.randrange(len(SUBJECTS))]
                rows.append(
                    Contribution(
                        plan=plan,
                        channel=channel,
                        event=rng.choice(events_of[plan.pk]) if channel == "event" else None,
                        theme=themes[rng.randrange(len(themes))],
                        commitment=commitment,
                        text=(
                            f"{ASKS[i % len(ASKS)]} {subject}, con el {COMMON_WORD} "
                            f"ejecutado y sus responsables. Aporte de referencia {i}: "
                            "queremos saber qué se hizo con lo que se prometió y cuándo."
                        ),
                        received_at=start + dt.timedelta(seconds=rng.randrange(span)),
                        author_name=f"Participante {i}",
                        author_email=f"participante{i}@example.org",
                        show_author=i % 4 == 0,
                    )
                )
            Contribution.objects.bulk_create(rows)
            responses = []
            for contribution in rows:
                outcome, reason, text = OUTCOMES[contribution.pk % len(OUTCOMES)]
                published = contribution.received_at + dt.timedelta(days=rng.randint(1, 60))
                responses.append(
                    Response(
                        contribution=contribution,
                        outcome=outcome,
                        reason_category=reason,
                        text=text,
                        deciding_body="thematic_table",
                        decided_on=published.date(),
                        published_at=min(published, now),
                    )
                )
            Response.objects.bulk_create(responses)
            from traza.cocreation.services.contributions import CONTRIBUTION_TRACED_FIELDS
            from traza.cocreation.services.responses import DECISION_FIELDS
            from traza.core.services import field_values

            revisions = []
            for contribution, response in zip(rows, responses, strict=True):
                summary = gettext("Received contribution %(number)s through %(channel)s") % {
                    "number": contribution.pk,
                    "channel": contribution.get_channel_display(),
                }
                trace.add(
                    contribution,
                    summary=summary,
                    changes={
                        k: [None, v]
                        for k, v in field_values(contribution, CONTRIBUTION_TRACED_FIELDS).items()
                    },
                )
                trace.created(response, scope=contribution)
                snapshot = field_values(response, DECISION_FIELDS)
                snapshot["changed_versions"] = []
                revisions.append(
                    ResponseRevision(
                        response=response,
                        number=1,
                        snapshot=snapshot,
                        created_at=response.published_at,
                    )
                )
                if not sample and contribution.plan_id == first_plan.pk:
                    sample = contribution.pk
            ResponseRevision.objects.bulk_create(revisions)
            log(f"  {first + len(rows):,} contributions and responses")
        trace.flush()
        log(f"  {trace.written:,} trace events written in bulk")
    sealing = time.perf_counter()
    sealed = Trace.seal()
    log(f"  {sealed:,} trace events sealed ({time.perf_counter() - sealing:.0f} s)")

    indexing = time.perf_counter()
    with transaction.atomic():
        entries = search.reindex_all()
    log(f"  {entries:,} search entries ({time.perf_counter() - indexing:.0f} s)")
    counting = time.perf_counter()
    counted = tallies.rebuild()  # the bulk writes bypassed the signals that keep the counts
    log(f"  {counted:,} contributions counted ({time.perf_counter() - counting:.0f} s)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Dataset(
        plans=[p.pk for p in plans],
        hot_commitment=hot.pk,
        contribution=sample,
        contributions=contributions,
        seconds=time.perf_counter() - began,
    )


def main() -> int:
    from django.core.management import call_command

    from traza.cocreation.models import Contribution

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contributions", type=int, default=10_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if Contribution.objects.exists():
        print("This database already holds contributions: use an empty one.", file=sys.stderr)
        return 2
    print(f"{connection.vendor}: writing {args.contributions:,} contributions and the rest")
    dataset = generate(args.contributions)
    print(f"done in {dataset.seconds:.0f} s: {dataset}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
