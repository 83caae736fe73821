"""A compact trace (issue 14, point 4): the object's and the scope's model labels become the ids
of their content types, the object's and the scope's ids integers, and the changes deflated
JSON (``core.tracefields``). The values an event's hash covers are read back exactly as they
were written, so every event recorded before still verifies against its seal and the
checkpoints."""

from django.db import migrations, models

import traza.core.tracefields


def _check_ids(TraceEvent) -> None:
    """Every object and scope id recorded so far is an integer (every traced primary key is):
    the integer columns would otherwise lose what the hash covers."""
    rows = TraceEvent.objects.values_list("id", "object_id", "scope").iterator(chunk_size=5000)
    for pk, object_id, scope in rows:
        label, _sep, scope_id = scope.rpartition(":")
        if not (object_id.isdigit() and scope_id.isdigit() and label):
            raise RuntimeError(
                f"trace event {pk}: object id {object_id!r} or scope {scope!r} is not of the "
                "form the compact trace stores (an integer id, 'app_label.model:id')"
            )


def _content_types(apps, TraceEvent) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    labels = set(TraceEvent.objects.values_list("object_type", flat=True).distinct())
    labels |= {
        scope.rpartition(":")[0]
        for scope in TraceEvent.objects.values_list("scope", flat=True).distinct().iterator()
    }
    for label in labels:
        app_label, _sep, model = label.partition(".")
        ContentType.objects.get_or_create(app_label=app_label, model=model)


TYPES_AND_IDS = {
    "postgresql": """
        UPDATE core_traceevent e SET object_type_new = o.id, scope_type = s.id,
            object_id_new = CAST(e.object_id AS bigint),
            scope_id = CAST(split_part(e.scope, ':', 2) AS bigint)
        FROM django_content_type o, django_content_type s
        WHERE e.object_type = o.app_label || '.' || o.model
          AND split_part(e.scope, ':', 1) = s.app_label || '.' || s.model
    """,
    "sqlite": """
        UPDATE core_traceevent SET
            object_type_new = (SELECT id FROM django_content_type c
                               WHERE c.app_label || '.' || c.model = object_type),
            scope_type = (SELECT id FROM django_content_type c
                          WHERE c.app_label || '.' || c.model
                                = substr(scope, 1, instr(scope, ':') - 1)),
            object_id_new = CAST(object_id AS INTEGER),
            scope_id = CAST(substr(scope, instr(scope, ':') + 1) AS INTEGER)
    """,
}


def compact(apps, schema_editor):
    from traza.core.tracefields import pack_changes

    TraceEvent = apps.get_model("core", "TraceEvent")
    _check_ids(TraceEvent)
    _content_types(apps, TraceEvent)
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(TYPES_AND_IDS[connection.vendor])
        last = 0
        while True:
            rows = list(
                TraceEvent.objects.filter(id__gt=last)
                .order_by("id")
                .values_list("id", "changes")[:5000]
            )
            if not rows:
                break
            cursor.executemany(
                "UPDATE core_traceevent SET changes_new = %s WHERE id = %s",
                [(pack_changes(changes), pk) for pk, changes in rows],
            )
            last = rows[-1][0]
        cursor.execute(
            "SELECT COUNT(*) FROM core_traceevent WHERE object_type_new IS NULL "
            "OR scope_type IS NULL OR object_id_new IS NULL OR scope_id IS NULL "
            "OR changes_new IS NULL"
        )
        if cursor.fetchone()[0]:
            raise RuntimeError("some trace events could not be converted to the compact trace")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_trace_seals"),
    ]

    operations = [
        migrations.AddField(
            model_name="traceevent",
            name="object_type_new",
            field=traza.core.tracefields.ModelLabelField(null=True),
        ),
        migrations.AddField(
            model_name="traceevent",
            name="object_id_new",
            field=traza.core.tracefields.TextIdField(null=True),
        ),
        migrations.AddField(
            model_name="traceevent",
            name="scope_type",
            field=traza.core.tracefields.ModelLabelField(null=True),
        ),
        migrations.AddField(
            model_name="traceevent",
            name="scope_id",
            field=traza.core.tracefields.TextIdField(null=True),
        ),
        migrations.AddField(
            model_name="traceevent",
            name="changes_new",
            field=traza.core.tracefields.PackedJSONField(null=True),
        ),
        migrations.RunPython(compact, migrations.RunPython.noop, elidable=False),
        migrations.RemoveIndex(model_name="traceevent", name="core_tracee_scope_6d3f5a_idx"),
        migrations.RemoveIndex(model_name="traceevent", name="core_tracee_object__82e43b_idx"),
        migrations.RemoveField(model_name="traceevent", name="object_type"),
        migrations.RemoveField(model_name="traceevent", name="object_id"),
        migrations.RemoveField(model_name="traceevent", name="scope"),
        migrations.RemoveField(model_name="traceevent", name="changes"),
        migrations.RenameField(
            model_name="traceevent", old_name="object_type_new", new_name="object_type"
        ),
        migrations.RenameField(
            model_name="traceevent", old_name="object_id_new", new_name="object_id"
        ),
        migrations.RenameField(model_name="traceevent", old_name="changes_new", new_name="changes"),
        migrations.AlterField(
            model_name="traceevent",
            name="object_type",
            field=traza.core.tracefields.ModelLabelField(verbose_name="object type"),
        ),
        migrations.AlterField(
            model_name="traceevent",
            name="object_id",
            field=traza.core.tracefields.TextIdField(verbose_name="object id"),
        ),
        migrations.AlterField(
            model_name="traceevent",
            name="scope_type",
            field=traza.core.tracefields.ModelLabelField(
                help_text="The object whose public timeline shows this event (e.g. a commitment).",
                verbose_name="scope",
            ),
        ),
        migrations.AlterField(
            model_name="traceevent",
            name="scope_id",
            field=traza.core.tracefields.TextIdField(verbose_name="scope id"),
        ),
        migrations.AlterField(
            model_name="traceevent",
            name="changes",
            field=traza.core.tracefields.PackedJSONField(verbose_name="changes"),
        ),
        migrations.AddIndex(
            model_name="traceevent",
            index=models.Index(fields=["scope_type", "scope_id"], name="core_trace_scope_idx"),
        ),
        migrations.AddIndex(
            model_name="traceevent",
            index=models.Index(fields=["object_type"], name="core_trace_object_idx"),
        ),
    ]
