# The institution officer moves to plans (plans 0005 declares it there): monitoring forgets it
# in Django's state only; the table monitoring_officer and its rows stay for plans.Officer.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("monitoring", "0004_alter_progressreport_submitted_by"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Officer")],
            database_operations=[],
        ),
    ]
