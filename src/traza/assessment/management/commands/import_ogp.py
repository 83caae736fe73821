from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from traza.assessment.ogp_import import OgpFileProblem, import_ogp_csv
from traza.core import sealing
from traza.core.services import SYSTEM


class Command(BaseCommand):
    help = "Import OGP's commitments data (CSV): members, plans, commitments and IRM ratings."

    def add_arguments(self, parser):
        parser.add_argument("file", help="OGP's commitments export, as CSV")
        parser.add_argument(
            "--encoding",
            help="the file's encoding (default: UTF-8, else Windows-1252 with a note)",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="import nothing when any row has a problem (default: leave those rows out)",
        )

    def handle(self, *args, file: str, encoding=None, strict=False, **options):
        # messages in the site's language; the trace sealed once, at the end (one service
        # call, one transaction, per row)
        with translation.override(settings.LANGUAGE_CODE), sealing.deferred():
            self._import(file, encoding, strict)

    def _import(self, file: str, encoding: str | None, strict: bool) -> None:
        try:
            result = import_ogp_csv(SYSTEM, file, encoding=encoding, strict=strict)
        except OSError as error:
            raise CommandError(str(error)) from None
        except OgpFileProblem as problem:
            raise CommandError(
                _("%(file)s cannot be imported: %(problem)s") % {"file": file, "problem": problem}
            ) from None
        for note in result.notes:
            self.stderr.write(note)
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
        if strict and result.problems:
            count = len({row for row, _column, _reason in result.problems})
            raise CommandError(
                ngettext(
                    "Nothing was imported: %(count)d row has a problem (--strict).",
                    "Nothing was imported: %(count)d rows have problems (--strict).",
                    count,
                )
                % {"count": count}
            )
        if result.problems and not result.imported:
            raise CommandError(_("Nothing could be imported."))
