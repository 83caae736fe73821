from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from traza.ops import backup as backups


class Command(BaseCommand):
    help = "Restore a backup into this empty, migrated instance (checksums and the trace are verified)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        try:
            manifest = backups.restore(path)
        except backups.RestoreError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {path}: the database and {len(manifest['files'])} files.")
