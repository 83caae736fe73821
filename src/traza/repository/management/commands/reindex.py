from django.core.management.base import BaseCommand

from traza.repository.search import reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index from the database (after an upgrade or a restore)."

    def handle(self, *args, **options):
        self.stdout.write(f"{reindex_all()} entries indexed.")
