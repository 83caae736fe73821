from django.core.management.base import BaseCommand

from traza.repository.following import send_updates


class Command(BaseCommand):
    help = "Write the e-mails to followers (run it every few minutes; weekly digests wait a week)."

    def handle(self, *args, **options):
        self.stdout.write(f"{send_updates()} message(s) written to the outbox.")
