from django.db import migrations, models


def known_texts(apps, schema_editor):
    """Versions uploaded before have their text already, or none: those with none are left
    pending, so ``traza extract-text`` reads them again within the limits."""
    DocumentVersion = apps.get_model("repository", "DocumentVersion")
    DocumentVersion.objects.exclude(text="").update(text_status="extracted")


class Migration(migrations.Migration):
    dependencies = [("repository", "0002_fulltext")]

    operations = [
        migrations.AddField(
            model_name="documentversion",
            name="text_status",
            field=models.CharField(
                choices=[
                    ("pending", "text not extracted yet"),
                    ("extracted", "text extracted"),
                    ("no_text", "no text is extracted from this type of file"),
                    ("too_large", "text not extracted: the file needs more memory than allowed"),
                    ("too_slow", "text not extracted: it took longer than allowed"),
                    ("unreadable", "text not extracted: the file could not be read"),
                ],
                default="pending",
                editable=False,
                max_length=12,
                verbose_name="text",
            ),
        ),
        migrations.RunPython(known_texts, migrations.RunPython.noop),
    ]
