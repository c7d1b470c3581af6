from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from home import backups


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database and "
        "MEDIA_ROOT, check every table and file against it, then migrate."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", help="The backup's .tar.gz file.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Write over a database and files that already hold something.",
        )

    def handle(self, *args, archive: str, replace: bool, **options) -> None:
        try:
            manifest = backups.restore(Path(archive), replace=replace)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(
            f"Restored {len(manifest.tables)} tables and {len(manifest.files):,} files from the "
            f"backup made at {manifest.created}; every row count and checksum matches."
        )
