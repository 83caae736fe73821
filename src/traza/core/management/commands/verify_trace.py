import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from traza.core import checkpoints, replay, sealing
from traza.core.services import Target, Verified, verify_trace_from


class Command(BaseCommand):
    help = (
        "Verify the trace: each event's hash, the chain, and the Merkle root of every signed "
        "checkpoint. Goes on from the last verification (kept in TRAZA_TRACE_VERIFIED_FILE) "
        "unless --full; --checkpoint FILE also checks against a checkpoint saved elsewhere. "
        "Events waiting to be sealed are sealed first, unless --no-seal."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--full",
            action="store_true",
            help="Verify from the first event, and the data against the trace (--data).",
        )
        parser.add_argument(
            "--data",
            action="store_true",
            help="Also replay the trace and compare it with the data: a row changed without "
            "its trace event is named.",
        )
        parser.add_argument(
            "--no-seal",
            action="store_true",
            help="Verify what is sealed only, writing nothing (e.g. on a read-only replica).",
        )
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="A checkpoint saved earlier (JSON, as /trace/checkpoints.json gives it); "
            "the trace must still give its root. Implies --full.",
        )

    def handle(self, *args, full=False, data=False, checkpoint=(), no_seal=False, **options):
        if not no_seal:
            sealing.seal_pending(wait=True)
        state_file = Path(settings.TRAZA_TRACE_VERIFIED_FILE)
        saved = [self._saved(Path(name)) for name in checkpoint]
        start = Verified()
        if not full and not saved and state_file.exists():
            try:
                start = Verified.from_json(json.loads(state_file.read_text()))
            except (ValueError, KeyError, TypeError) as error:
                raise CommandError(
                    f"{state_file} cannot be read ({error}): run with --full."
                ) from None
        reached, problem = verify_trace_from(start, saved=saved)
        if problem:
            raise CommandError(f"The trace is broken at {problem}.")
        if full or data:
            found = list(replay.mismatches(limit=20))
            if found:
                raise CommandError(
                    "The data does not match the trace:\n" + "\n".join(str(m) for m in found)
                )
        state_file.write_text(json.dumps(reached.as_json()))
        state_file.chmod(0o600)
        newest = checkpoints.latest()
        signed = f"; newest checkpoint: {newest.size} events" if newest else "; no checkpoint yet"
        how = f"from event #{start.size + 1}" if start.size else "in full"
        pending = sealing.pending_count()
        waiting = f"; {pending} recorded events wait to be sealed" if pending else ""
        self.stdout.write(
            f"The trace verifies: {reached.size} events, chain intact "
            f"(checked {how}{signed}{waiting})."
        )

    def _saved(self, path: Path) -> Target:
        try:
            data = json.loads(path.read_text())
            checkpoint = checkpoints.from_json(data)
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise CommandError(f"{path} is not a checkpoint: {error}") from None
        key = checkpoints.public_key()
        if key is None or not checkpoints.signature_valid(checkpoint, key):
            raise CommandError(f"{path} is not signed by this instance's key.")
        return Target(checkpoint.size, checkpoint.root_hash, f"the checkpoint saved in {path}")
