from django.core.management.base import BaseCommand

from traza.api.downloads import dictionary_markdown


class Command(BaseCommand):
    help = "Print the open data dictionary (Markdown), as docs/data/dictionary.md holds it."

    def handle(self, *args, **options):
        self.stdout.write(dictionary_markdown(), ending="")
