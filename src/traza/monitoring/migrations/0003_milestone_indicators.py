"""Indicators written as text on milestones become Indicator rows (the milestone fields go)."""

from django.db import migrations


def forward(apps, schema_editor):
    Milestone = apps.get_model("plans", "Milestone")
    Indicator = apps.get_model("monitoring", "Indicator")
    for milestone in Milestone.objects.exclude(indicator=""):
        Indicator.objects.create(
            milestone=milestone,
            key="indicator",
            name=milestone.indicator[:500],
            level=milestone.indicator_level or "activity",
            baseline=milestone.baseline,
            target=milestone.target,
        )


def backward(apps, schema_editor):
    Indicator = apps.get_model("monitoring", "Indicator")
    for indicator in Indicator.objects.filter(milestone__isnull=False, key="indicator"):
        milestone = indicator.milestone
        milestone.indicator = indicator.name
        milestone.indicator_level = indicator.level
        milestone.baseline = indicator.baseline
        milestone.target = indicator.target
        milestone.save()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_completionoverride_indicator_measurement_and_more")]

    operations = [migrations.RunPython(forward, backward)]
