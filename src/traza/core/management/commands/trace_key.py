from django.core.management.base import BaseCommand, CommandError

from traza.core import checkpoints


class Command(BaseCommand):
    help = (
        "Create the Ed25519 key that signs the trace's checkpoints, in "
        "TRAZA_TRACE_SIGNING_KEY_FILE (0600), and print its public key; --show prints the "
        "public key of the existing one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--show", action="store_true", help="Only print the public key.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace an existing key (old checkpoints "
            "then no longer verify here: keep the old public key, docs/operations.md).",
        )

    def handle(self, *args, show=False, force=False, **options):
        path = checkpoints.key_path()
        if show:
            if not path.exists():
                raise CommandError(f"There is no key at {path}: run `traza trace-key`.")
            key = checkpoints.signing_key()
        else:
            if path.exists() and not force:
                raise CommandError(f"{path} exists already (use --force to replace it).")
            key = checkpoints.generate_key(path, overwrite=force)
            self.stderr.write(f"Wrote the signing key to {path}.")
        public = key.public_key()
        self.stdout.write(checkpoints.public_key_pem(public).rstrip())
        self.stdout.write(f"key id: {checkpoints.key_id(public)}")
