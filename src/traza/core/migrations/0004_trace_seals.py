"""The trace sealed after commit (issue 14): each event's place in the chain and hash move to
``TraceSeal``, written by the sealer, so that writers no longer serialise on one lock. Every
event recorded before keeps its hash: it is sealed at the position of its ``id``, which its
hash covers, and the chain and checkpoints verify as before."""

import django.db.models.deletion
from django.db import migrations, models


def seal_existing_events(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO core_traceseal (position, event_id, hash) "
                "SELECT id, id, decode(hash, 'hex') FROM core_traceevent ORDER BY id"
            )
            # the events' ids were given by the writer until now: the sequence starts after them
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('core_traceevent', 'id'), "
                "COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM core_traceevent"
            )
        return
    TraceEvent = apps.get_model("core", "TraceEvent")
    TraceSeal = apps.get_model("core", "TraceSeal")
    last = 0
    while True:
        rows = list(
            TraceEvent.objects.filter(id__gt=last).order_by("id").values_list("id", "hash")[:5000]
        )
        if not rows:
            return
        TraceSeal.objects.bulk_create(
            TraceSeal(position=pk, event_id=pk, hash=bytes.fromhex(digest)) for pk, digest in rows
        )
        last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_trace_checkpoint"),
    ]

    operations = [
        migrations.CreateModel(
            name="TracePending",
            fields=[
                (
                    "event",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="core.traceevent",
                    ),
                ),
            ],
            options={
                "verbose_name": "event waiting to be sealed",
                "verbose_name_plural": "events waiting to be sealed",
                "ordering": ["event"],
            },
        ),
        migrations.CreateModel(
            name="TraceSeal",
            fields=[
                (
                    "position",
                    models.BigIntegerField(
                        primary_key=True, serialize=False, verbose_name="position"
                    ),
                ),
                ("hash", models.BinaryField(max_length=32, verbose_name="hash")),
                (
                    "event",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="seal",
                        to="core.traceevent",
                        verbose_name="event",
                    ),
                ),
            ],
            options={
                "verbose_name": "trace seal",
                "verbose_name_plural": "trace seals",
                "ordering": ["position"],
            },
        ),
        migrations.RunPython(seal_existing_events, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="traceevent",
            name="hash",
        ),
        migrations.RemoveField(
            model_name="traceevent",
            name="previous_hash",
        ),
        migrations.AlterField(
            model_name="traceevent",
            name="occurred_at",
            field=models.DateTimeField(verbose_name="when"),
        ),
    ]
