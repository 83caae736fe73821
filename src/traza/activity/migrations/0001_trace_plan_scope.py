"""Fill TraceEvent.plan_id (core 0002) for the events written before it existed, from their
scope: the plan itself, or the plan of the commitment, event or contribution they are scoped
to. It lies outside the hashed payload, so the trace still verifies. Here, in the top floor,
because only it may read those apps; the scopes are the ones ``apps.py`` registers."""

from collections import defaultdict

from django.db import migrations

# label of the scope → (app, model, field holding its plan: "pk" for the plan itself)
SCOPES = {
    "plans.actionplan": ("plans", "ActionPlan", "pk"),
    "plans.commitment": ("plans", "Commitment", "plan_id"),
    "cocreation.event": ("cocreation", "Event", "plan_id"),
    "cocreation.contribution": ("cocreation", "Contribution", "plan_id"),
}
BATCH = 500


def fill(apps, schema_editor):
    TraceEvent = apps.get_model("core", "TraceEvent")
    if "scope" not in {field.name for field in TraceEvent._meta.fields}:
        return  # the compact trace (core 0005) came first: its events already carry their plan
    for label, (app_label, model_name, field) in SCOPES.items():
        prefix = f"{label}:"
        keys = list(
            TraceEvent.objects.filter(plan_id__isnull=True, scope__startswith=prefix)
            .order_by()
            .values_list("scope", flat=True)
            .distinct()
        )
        if not keys:
            continue
        model = apps.get_model(app_label, model_name)
        key_of = {key[len(prefix) :]: key for key in keys}
        pks = list(key_of)
        by_plan = defaultdict(list)
        for start in range(0, len(pks), BATCH):
            rows = model.objects.filter(pk__in=pks[start : start + BATCH]).values_list("pk", field)
            for pk, plan_id in rows:
                if plan_id is not None:
                    by_plan[plan_id].append(key_of[str(pk)])
        for plan_id, scoped in by_plan.items():
            for start in range(0, len(scoped), BATCH):
                TraceEvent.objects.filter(
                    plan_id__isnull=True, scope__in=scoped[start : start + BATCH]
                ).update(plan_id=plan_id)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_traceevent_plan_id"),
        ("plans", "0001_initial"),
        ("cocreation", "0002_contribution_response_responserevision_and_more"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
