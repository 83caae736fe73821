from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from traza.assessment.ogp_import import import_ogp_csv
from traza.core.services import SYSTEM


class Command(BaseCommand):
    help = "Import OGP's commitments data (CSV): members, plans, commitments and IRM ratings."

    def add_arguments(self, parser):
        parser.add_argument("file", help="OGP's commitments export, as CSV")

    def handle(self, *args, file: str, **options):
        with translation.override(settings.LANGUAGE_CODE):  # messages in the site's language
            self._import(file)

    def _import(self, file: str) -> None:
        try:
            result = import_ogp_csv(SYSTEM, file)
        except OSError as error:
            raise CommandError(str(error)) from None
        for row, column, reason in sorted(result.problems + result.warnings):
            self.stderr.write(
                _("row %(row)s, column “%(column)s”: %(reason)s")
                % {"row": row, "column": column, "reason": reason}
            )
        changed = ", ".join(f"{n} {name}" for name, n in sorted(result.changed.items()))
        self.stdout.write(
            _("%(imported)s of %(rows)s rows imported; changed: %(changed)s.")
            % {
                "imported": result.imported,
                "rows": result.rows,
                "changed": changed or _("nothing"),
            }
        )
        if result.problems and not result.imported:
            raise CommandError(_("Nothing could be imported."))
