"""``manage.py export_council OUT.zip``: everything the council holds, to take it elsewhere."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from transfer import export

# Ids of the OParl objects when the site's address is not known (".invalid" is reserved for
# names that resolve nowhere).
UNKNOWN_SITE = "https://scrutiny.invalid"


class Command(BaseCommand):
    help = (
        "Export every record of the council (as OParl JSON with every field of each record, "
        "the history of changes, the accounts without passwords or second factors) and every "
        "stored file into one zip, which `import_council archive` reads into an empty install. "
        "NOT FOR PUBLICATION: the export holds exempt information, drafts and personal data; "
        "keep it as securely as the live system."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="The zip to write, e.g. council-export.zip.")
        parser.add_argument(
            "--site-url",
            default="",
            help="The site's address, for the OParl objects' ids (default: SITE_URL).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Write over the zip if it exists already."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        if out.exists() and not options["force"]:
            raise CommandError(f"{out} exists already: give another name, or --force.")
        if not out.parent.is_dir():
            raise CommandError(f"There is no folder {out.parent} to write {out.name} in.")
        site_url = options["site_url"] or settings.SITE_URL or UNKNOWN_SITE
        if not site_url.startswith(("https://", "http://")):
            raise CommandError("--site-url must start with https:// (or http://).")
        partial = out.with_name(out.name + ".partial")
        try:
            with open(partial, "wb") as file:
                manifest = export.export_council(
                    file, site_url=site_url, report=lambda line: self.stdout.write(line)
                )
            os.replace(partial, out)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Could not write {out}: {error}") from error
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        records = sum(manifest["counts"].values())
        self.stdout.write(
            f"Exported {records:,} records and {len(manifest['files']):,} files to {out}."
        )
        if manifest["missingFiles"]:
            self.stderr.write(
                f"{len(manifest['missingFiles'])} file(s) named by records were not in the "
                "file storage (listed in the manifest's missingFiles)."
            )
        self.stdout.write(
            self.style.WARNING(
                "Not for publication: the export holds exempt information and personal data."
            )
        )
