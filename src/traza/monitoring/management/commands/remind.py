from django.core.management.base import BaseCommand

from traza.monitoring.services import send_due_reminders


class Command(BaseCommand):
    help = "Write reminders to officers whose milestones are due soon (run it daily)."

    def handle(self, *args, **options):
        self.stdout.write(f"{send_due_reminders()} reminder(s) written to the outbox.")
