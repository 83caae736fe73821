from pathlib import Path

from django.core.management.base import BaseCommand

from traza.ops import backup as backups


class Command(BaseCommand):
    help = "Write a backup of the database and the files (a .tar.gz with checksums)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        manifest = backups.backup(path)
        self.stdout.write(f"{path}: the database and {len(manifest['files'])} files.")
