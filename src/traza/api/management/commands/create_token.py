from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from traza.api.services import issue_token


class Command(BaseCommand):
    help = "Create an API token for an account (shown once) for a staff integration."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", help="what the integration is")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No account named {options['username']!r}.")
        _token, key = issue_token(user, options["name"])
        self.stdout.write(key)
