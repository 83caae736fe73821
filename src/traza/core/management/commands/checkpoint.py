import json

from django.core.management.base import BaseCommand, CommandError

from traza.core import checkpoints
from traza.core.services import write_checkpoint


class Command(BaseCommand):
    help = (
        "Sign a checkpoint of the trace (its size and Merkle root) and publish it at "
        "/trace/checkpoints.json; nothing when no event was added since the last one. Run it "
        "hourly (docs/operations.md)."
    )

    def handle(self, *args, **options):
        try:
            checkpoint = write_checkpoint()
        except checkpoints.TraceMismatch as problem:
            raise CommandError(f"Not signed: the trace does not verify ({problem}).") from None
        if checkpoint is None:
            self.stdout.write("No new events since the last checkpoint: nothing signed.")
            return
        self.stdout.write(json.dumps(checkpoints.as_json(checkpoint), indent=2))
