from django.core.management.base import BaseCommand

from traza.repository.services import extract_pending


class Command(BaseCommand):
    help = (
        "Extract the text of document versions still waiting for it (normally done right "
        "after each upload), within the limits TRAZA_EXTRACT_*."
    )

    def handle(self, *args, **options):
        counts = extract_pending()
        if options["verbosity"]:
            summary = ", ".join(f"{status} {n}" for status, n in sorted(counts.items()))
            self.stdout.write(summary or "nothing pending")
