from django.core.management.base import BaseCommand

from traza.accounts.privacy import apply_retention
from traza.assessment.services import send_process_warnings
from traza.monitoring.services import send_due_reminders


class Command(BaseCommand):
    help = (
        "Write the daily e-mails: reminders to officers whose milestones are due soon, and "
        "warnings to the secretariat about requirements at risk; and remove personal data from "
        "registrations past their retention (run it daily)."
    )

    def handle(self, *args, **options):
        reminders = send_due_reminders()
        warnings = send_process_warnings()
        purged = apply_retention()
        self.stdout.write(
            f"{reminders} reminder(s) and {warnings} warning digest(s) written to the outbox; "
            f"{purged} registration(s) past retention pseudonymised."
        )
