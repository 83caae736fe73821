from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from traza.cocreation.services import tallies


class Command(BaseCommand):
    help = _(
        "Check the maintained counts of contributions against a recount from the data; "
        "--rebuild recounts them (after writing contributions in bulk)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--rebuild", action="store_true", help=_("Recount and replace the counts.")
        )

    def handle(self, *args, **options) -> None:
        if options["rebuild"]:
            counted = tallies.rebuild()
            self.stdout.write(_("%(n)d contributions counted.") % {"n": counted})
            return
        wrong = tallies.differences()
        if wrong:
            raise CommandError(
                _("The counts differ from the data (run with --rebuild): %(what)s")
                % {"what": "; ".join(wrong)}
            )
        self.stdout.write(_("The counts equal a recount from the data."))
