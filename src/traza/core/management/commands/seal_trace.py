from django.core.management.base import BaseCommand

from traza.core import sealing


class Command(BaseCommand):
    help = (
        "Seal the trace events that wait for it (each is normally sealed right after its "
        "transaction commits; `traza worker` and `traza checkpoint` seal too). Prints how many."
    )

    def handle(self, *args, **options):
        sealed = sealing.seal_pending(wait=True)
        self.stdout.write(f"Sealed {sealed} events; {sealing.pending_count()} wait.")
