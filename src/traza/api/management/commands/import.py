from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from traza.api.transfer import ImportProblem, import_file
from traza.core.services import SYSTEM


class Command(BaseCommand):
    help = "Import a Traza JSON file (docs/data/import-format.md). Writes all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        file = options["file"]
        try:
            stats = import_file(SYSTEM, file)
        except ImportProblem as problem:
            raise CommandError(problem.render()) from None
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(
                _("%(file)s cannot be imported: %(error)s") % {"file": file, "error": error}
            ) from None
        except DatabaseError as error:  # rolled back: nothing was written
            raise CommandError(
                _(
                    "%(file)s cannot be imported; the database refused it (nothing was written): %(error)s"
                )
                % {"file": file, "error": str(error)[:300]}
            ) from None
        summary = ", ".join(f"{count} {name}" for name, count in sorted(stats.items()))
        self.stdout.write(
            _("Imported %(file)s: %(summary)s.")
            % {"file": file, "summary": summary or _("nothing new")}
        )
