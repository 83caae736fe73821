"""Indicators once typed as text on milestones survive the move to Indicator rows."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("plans", "0003_commitment_ogp_id"),
    ("monitoring", "0002_completionoverride_indicator_measurement_and_more"),
]
AFTER = [("plans", "0004_remove_milestone_baseline_remove_milestone_indicator_and_more")]


@pytest.mark.django_db(transaction=True)
def test_milestone_indicator_text_becomes_an_indicator():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    member = old.get_model("plans", "Member").objects.create(slug="pe", name="Perú")
    plan = old.get_model("plans", "ActionPlan").objects.create(
        member=member, number=1, title="Plan", period_start=2024, period_end=2026
    )
    commitment = old.get_model("plans", "Commitment").objects.create(plan=plan, number=1, title="C")
    Milestone = old.get_model("plans", "Milestone")
    Milestone.objects.create(
        commitment=commitment,
        number=1,
        text="Portal publicado",
        indicator="Estaciones que publican a diario",
        indicator_level="outcome",
        baseline="0",
        target="6",
    )
    Milestone.objects.create(commitment=commitment, number=2, text="Sin indicador")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    indicators = list(new.get_model("monitoring", "Indicator").objects.all())
    assert [(i.name, i.level, i.baseline, i.target, i.milestone.number) for i in indicators] == [
        ("Estaciones que publican a diario", "outcome", "0", "6", 1)
    ]
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
