"""Indicators once typed as text on milestones survive the move to Indicator rows."""

import pytest
from django.contrib.auth import get_user_model
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


@pytest.mark.django_db(transaction=True)
def test_officers_move_to_plans_with_their_rows_and_permissions():
    """plans 0005 / monitoring 0005: the same table and rows, the content type renamed, so
    the groups that held the officer permissions still hold them."""
    before = [
        ("monitoring", "0004_alter_progressreport_submitted_by"),
        ("plans", "0004_remove_milestone_baseline_remove_milestone_indicator_and_more"),
    ]
    after = [("plans", "0005_officer")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    content_type = old.get_model("contenttypes", "ContentType").objects.get(model="officer")
    assert content_type.app_label == "monitoring"
    permission = old.get_model("auth", "Permission").objects.get(codename="delete_officer")
    group = old.get_model("auth", "Group").objects.create(name="rotación")
    group.permissions.add(permission)
    user = get_user_model().objects.create(username="oficial")  # accounts is not rolled back
    organization = old.get_model("plans", "Organization").objects.create(
        slug="minam", name="Ministerio del Ambiente", sector="public"
    )
    old.get_model("monitoring", "Officer").objects.create(
        user_id=user.pk, organization=organization
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    assert "officer" not in new.all_models["monitoring"]
    officer = new.get_model("plans", "Officer").objects.get()
    assert (officer.user.username, officer.organization.slug) == ("oficial", "minam")
    held = new.get_model("auth", "Group").objects.get(name="rotación").permissions.get()
    assert (held.codename, held.content_type.app_label) == ("delete_officer", "plans")
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
