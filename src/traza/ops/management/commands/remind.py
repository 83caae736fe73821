from django.core.management.base import BaseCommand

from traza.accounts.privacy import apply_retention
from traza.assessment.services import send_process_warnings
from traza.monitoring.services import send_due_reminders
from traza.workbench.services import send_weekly_digests


class Command(BaseCommand):
    help = (
        "Write the daily e-mails: reminders to officers whose milestones are due soon, and "
        "warnings to the secretariat about requirements at risk, and once a week its digest of "
        "contributions awaiting a reasoned response; and remove personal data from "
        "registrations past their retention (run it daily)."
    )

    def handle(self, *args, **options):
        reminders = send_due_reminders()
        warnings = send_process_warnings()
        digests = send_weekly_digests()
        purged = apply_retention()
        self.stdout.write(
            f"{reminders} reminder(s), {warnings} warning digest(s) and {digests} weekly "
            f"response digest(s) written to the outbox; "
            f"{purged} registration(s) past retention pseudonymised."
        )
