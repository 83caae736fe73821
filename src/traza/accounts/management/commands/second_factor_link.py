from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from traza.accounts import services
from traza.core.services import SYSTEM


class Command(BaseCommand):
    help = (
        "Issue a one-time link with which a staff account sets up its second factor, e-mailed "
        "to the account's address through the outbox (traced)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="remove the account's current second factor first (a lost phone)",
        )
        parser.add_argument(
            "--print",
            action="store_true",
            help="print the link instead of e-mailing it (the first account of a new site, "
            "before e-mail works); give it only to the account's owner",
        )

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No account named {options['username']!r}.")
        if not user.is_staff:
            raise CommandError(f"{user.get_username()!r} is not a staff account.")
        send = not options["print"]
        if send and not user.email:
            raise CommandError(f"{user.get_username()!r} has no e-mail address; use --print.")
        try:
            if options["reset"]:
                link = services.reset_second_factor(SYSTEM, user, send=send)
            else:
                link = services.issue_enrolment(user, SYSTEM, send=send)
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        if send:
            self.stdout.write(f"A one-time link was e-mailed to {user.get_username()}'s address.")
        else:
            self.stdout.write(link)
