"""The triage engine in the workbench: computed by ``run_triage`` (permission, trace, outside
the write transaction), stored in ``TriageRun``, read back by ``plan_triage`` in a bounded
number of queries, stale when the inputs change, and run for big plans by ``traza triage``."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from traza.core.models import TraceEvent
from traza.core.services import SYSTEM
from traza.plans.models import Theme
from traza.workbench.models import TriageRun
from traza.workbench.services import run_triage
from traza.workbench.suggestions import (
    ContributionProposals,
    Match,
    PlanTriage,
    plan_triage,
)
from traza.workbench.suggestions import (
    Group as ProposedGroup,
)

CAMAS = "Que publiquen en internet cuántas camas de emergencia libres hay en cada hospital."
CAMAS_COPY = (
    "RV: Que publiquen en internet cuántas camas de emergencia libres hay en cada hospital. "
    "Saludos cordiales"
)
CAMAS_OTHER = (
    "Quiero saber en línea la disponibilidad de camas en emergencia de los hospitales, "
    "para no ir de hospital en hospital con mi papá enfermo."
)
EXTORSION = (
    "En Trujillo cobran cupos a los mototaxistas. Pedimos una política contra la extorsión "
    "en La Libertad con participación de los vecinos."
)
EXTORSION_2 = (
    "La extorsión en La Libertad no para: que la policía y la ciudadanía trabajen juntas "
    "para prevenir los cupos a los negocios de Trujillo."
)
PARQUE = "Que arreglen los juegos del parque de mi barrio y pongan más bancas y árboles."
WHEN = dt.datetime(2024, 3, 12, 16, tzinfo=dt.UTC)


def theme(slug: str, name: str) -> Theme:
    return Theme.objects.filter(slug=slug).first() or factories.ThemeFactory(slug=slug, name=name)


def build_plan(extra: int = 0):
    """A small realistic plan: two themes, two live commitments with milestones, a discarded
    proposal, and contributions (two asking for the same thing, a copy, two about extortion,
    one about nothing the plan promises, and ``extra`` more about beds)."""
    plan = factories.PlanFactory()
    salud = theme("salud", "Salud")
    seguridad = theme("seguridad", "Seguridad ciudadana")
    camas = factories.CommitmentFactory(
        plan=plan,
        number=1,
        title="Central de información de los servicios de emergencia hospitalaria",
        summary="Publicar en línea la disponibilidad de camas operativas de emergencia.",
        theme=salud,
    )
    factories.MilestoneFactory(
        commitment=camas, number=1, text="Plataforma web con las camas libres por hospital"
    )
    extorsion = factories.CommitmentFactory(
        plan=plan,
        number=2,
        title="Política de prevención contra las extorsiones en la región La Libertad",
        summary="Diseñar con participación ciudadana una política contra la extorsión.",
        theme=seguridad,
    )
    factories.MilestoneFactory(
        commitment=extorsion, number=1, text="Mesas con transportistas y comerciantes"
    )
    discarded = factories.CommitmentFactory(
        plan=plan,
        number=3,
        title="Cámaras de vigilancia contra la extorsión en Trujillo",
        theme=seguridad,
        status="discarded",
        decision_reason="Lo cubre el compromiso 2.",
    )
    texts = [CAMAS, CAMAS_OTHER, CAMAS_COPY, EXTORSION, EXTORSION_2, PARQUE]
    texts += [f"{CAMAS_OTHER} Lo pido desde el distrito {n}." for n in range(extra)]
    contributions = [
        factories.ContributionFactory(plan=plan, text=text, received_at=WHEN) for text in texts
    ]
    return plan, contributions, {"camas": camas, "extorsion": extorsion, "discarded": discarded}


def account(django_user_model, name, role):
    user = django_user_model.objects.create_user(name, f"{name}@example.org", "x-Strong-pass-1")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return django_user_model.objects.get(pk=user.pk)


@pytest.mark.django_db(transaction=True)
def test_round_trip_on_a_small_plan(django_user_model):
    plan, (camas, camas_other, copy, ext1, ext2, parque), targets = build_plan()
    drafter = account(django_user_model, "redactora", "response_drafter")
    assert plan_triage(plan) is None  # never run

    run = run_triage(drafter, plan)
    assert run.contributions == 6 and run.seconds >= 0

    triage = plan_triage(plan)
    assert isinstance(triage, PlanTriage)
    assert triage.run == run and not triage.stale
    # similar contributions grouped (the copy with them), the extortion pair together
    members = [set(g.contribution_ids) for g in triage.groups]
    assert {camas.pk, camas_other.pk, copy.pk} in members
    assert {ext1.pk, ext2.pk} in members
    assert all(len(g.contribution_ids) >= 2 for g in triage.groups)
    assert [len(g.contribution_ids) for g in triage.groups] == sorted(
        (len(g.contribution_ids) for g in triage.groups), reverse=True
    )

    first = triage.for_contribution(camas.pk)
    assert isinstance(first, ContributionProposals)
    group = triage.group(first.group_key)
    assert isinstance(group, ProposedGroup) and camas.pk in group.contribution_ids
    assert group.words and 0 < group.score <= 1
    # the copy is flagged as a near-duplicate, both ways
    assert first.duplicates and first.duplicates[0][0] == copy.pk
    assert triage.for_contribution(copy.pk).duplicates[0][0] == camas.pk
    assert not triage.for_contribution(camas_other.pk).duplicates
    # the theme and the commitment suggested, with the words that matched
    assert isinstance(first.theme, Match)
    assert first.theme.label == "Salud" and 0 < first.theme.score <= 1
    assert first.targets[0].target_id == targets["camas"].pk
    assert first.targets[0].label == str(targets["camas"])
    assert "camas" in first.targets[0].words
    extortion = triage.for_contribution(ext1.pk)
    assert extortion.theme.label == "Seguridad ciudadana"
    assert extortion.targets[0].target_id == targets["extorsion"].pk
    # a discarded proposal is never a target
    assert all(
        m.target_id != targets["discarded"].pk
        for c in (camas, camas_other, copy, ext1, ext2, parque)
        for m in triage.for_contribution(c.pk).targets
    )
    # about nothing the plan promises: no commitment suggested (the engine abstains)
    off_topic = triage.for_contribution(parque.pk)
    assert off_topic.targets == () and off_topic.group_key is None
    assert off_topic.duplicates == ()
    # unknown contribution or group: empty proposals, None
    assert triage.for_contribution(10**9) == ContributionProposals()
    assert triage.group("nope") is None

    # traced: who, and counts only (never a contribution's words)
    event = TraceEvent.objects.get(object_type="workbench.triagerun")
    assert event.action == "create" and event.actor_id == drafter.pk
    assert event.plan_id == plan.pk and event.scope == f"plans.actionplan:{plan.pk}"
    assert "camas" not in event.summary.lower() and "6" in event.summary
    assert event.changes == {"contributions": [None, 6]}

    # run again: the same row, updated, traced as an update
    run_triage(drafter, plan)
    assert TriageRun.objects.count() == 1
    assert list(
        TraceEvent.objects.filter(object_type="workbench.triagerun").values_list(
            "action", flat=True
        )
    ) == ["create", "update"]


@pytest.mark.django_db
def test_stale_after_a_new_or_changed_input():
    plan, _, targets = build_plan()
    run_triage(SYSTEM, plan)
    assert not plan_triage(plan).stale
    new = factories.ContributionFactory(
        plan=plan, text="Más camas de emergencia en el hospital regional", received_at=WHEN
    )
    triage = plan_triage(plan)
    assert triage.stale
    assert triage.for_contribution(new.pk) == ContributionProposals()  # not read yet
    run_triage(SYSTEM, plan)
    assert not plan_triage(plan).stale
    # a commitment edited (a new milestone) changes what the engine would suggest
    factories.MilestoneFactory(commitment=targets["camas"], number=2, text="Aplicativo móvil")
    assert plan_triage(plan).stale


@pytest.mark.django_db
def test_another_plans_contributions_do_not_make_it_stale():
    plan, _, _ = build_plan()
    run_triage(SYSTEM, plan)
    other = factories.PlanFactory()
    factories.ContributionFactory(plan=other, text=CAMAS, received_at=WHEN)
    assert not plan_triage(plan).stale


@pytest.mark.django_db(transaction=True)
def test_an_outsider_is_refused_and_nothing_is_written(outsider, django_user_model):
    plan, _, _ = build_plan()
    events = TraceEvent.objects.count()
    with pytest.raises(PermissionDenied):
        run_triage(outsider, plan)
    participant = account(django_user_model, "participante", "participant")
    with pytest.raises(PermissionDenied):
        run_triage(participant, plan)
    assert not TriageRun.objects.exists()
    assert TraceEvent.objects.count() == events
    assert plan_triage(plan) is None


@pytest.mark.django_db
def test_plan_triage_reads_in_a_bounded_number_of_queries():
    """Three queries (the run and the two aggregates of the stale check), whatever the plan's
    size; reading every contribution's proposals and every group adds none."""
    counts = []
    for extra in (0, 40):
        plan, contributions, _ = build_plan(extra=extra)
        run_triage(SYSTEM, plan)
        with CaptureQueriesContext(connection) as queries:
            triage = plan_triage(plan)
            for c in contributions:
                proposals = triage.for_contribution(c.pk)
                if proposals.group_key:
                    assert triage.group(proposals.group_key)
        counts.append(len(queries))
    assert counts == [3, 3]


@pytest.mark.django_db
def test_hidden_contributions_are_not_read():
    """Only public contributions: one hidden by moderation is proposed nowhere."""
    from traza.cocreation.models import Contribution

    plan, contributions, _ = build_plan()
    public = Contribution.objects.public().filter(plan=plan).count()
    run = run_triage(SYSTEM, plan)
    assert run.contributions == public == len(contributions)
    assert set(run.result["contributions"]) == {str(c.pk) for c in contributions}


@pytest.mark.django_db
def test_the_command_runs_the_triage_as_the_system():
    plan, _, _ = build_plan()
    out = io.StringIO()
    call_command("triage", str(plan.pk), stdout=out)
    assert "6 contribution(s) read" in out.getvalue()
    run = TriageRun.objects.get(plan=plan)
    event = TraceEvent.objects.get(object_type="workbench.triagerun")
    assert event.actor_id is None and event.actor_label == "system"
    assert run.result["groups"]
    with pytest.raises(CommandError):
        call_command("triage", "999999", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_the_engine_runs_outside_any_transaction(monkeypatch):
    """A long computation must not hold a write transaction (locks) open; only the storing
    of its result is atomic."""
    from traza.workbench.services import triage as module

    seen = []
    real = module.compute

    def spy(*args, **kwargs):
        seen.append(connection.in_atomic_block)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "compute", spy)
    plan, _, _ = build_plan()
    run_triage(SYSTEM, plan)
    assert seen == [False]
    assert TriageRun.objects.filter(plan=plan).exists()


@pytest.mark.django_db
def test_a_plan_with_nothing_yet():
    """No contributions, no commitments: an empty run, not an error; then contributions with
    no commitment to suggest get none."""
    plan = factories.PlanFactory()
    run = run_triage(SYSTEM, plan)
    assert run.contributions == 0 and run.result["groups"] == []
    assert plan_triage(plan).groups == [] and not plan_triage(plan).stale
    lone = factories.ContributionFactory(plan=plan, text=CAMAS, received_at=WHEN)
    factories.ContributionFactory(plan=plan, text=CAMAS_COPY, received_at=WHEN)
    assert plan_triage(plan).stale
    run_triage(SYSTEM, plan)
    proposals = plan_triage(plan).for_contribution(lone.pk)
    assert proposals.targets == ()
    assert proposals.duplicates and proposals.group_key
