import datetime
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from boards.files import is_local
from home import backups


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files into one archive "
        "(scrutiny-backup-<date>-<time>.tar.gz in the folder given, or the current one)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", nargs="?", default=".", help="Where to write the backup.")

    def handle(self, *args, folder: str, **options) -> None:
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        archive = Path(folder) / f"scrutiny-backup-{stamp}.tar.gz"
        try:
            manifest = backups.backup(archive)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        if not is_local(default_storage):
            self.stdout.write(
                "The files are kept in the object store (STORAGE_URL), which keeps them safe "
                "with its own versioning or replication: this backup holds the database."
            )
        rows = sum(manifest.tables.values())
        self.stdout.write(
            f"Backed up {len(manifest.tables)} tables ({rows:,} rows) and "
            f"{len(manifest.files):,} files to {archive}"
        )
