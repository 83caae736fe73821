# The institution officer moves from monitoring to plans, beside the organisation it speaks
# for. Only Django's state moves (monitoring 0005 forgets it first): the table keeps its name
# (monitoring_officer) and its rows. The content type follows the model, so its permissions,
# and the groups holding them, stay.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, old="monitoring", new="plans"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if ContentType.objects.using(db).filter(app_label=new, model="officer").exists():
        return
    ContentType.objects.using(db).filter(app_label=old, model="officer").update(app_label=new)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old="plans", new="monitoring")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("monitoring", "0005_move_officer_to_plans"),
        ("plans", "0004_remove_milestone_baseline_remove_milestone_indicator_and_more"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Officer",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "organization",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="officers",
                                to="plans.organization",
                                verbose_name="organisation",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="officer_of",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="account",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "institution officer",
                        "verbose_name_plural": "institution officers",
                        "db_table": "monitoring_officer",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "organization"), name="officer_once"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back, elidable=False),
    ]
