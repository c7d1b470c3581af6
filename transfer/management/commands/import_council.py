"""``manage.py import_council spreadsheet|moderngov|archive PATH``: bring a council's records in."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from transfer.importing import execute
from transfer.models import ImportRun


class Command(BaseCommand):
    help = (
        "Import bodies, people, memberships, meetings, agenda items and papers from a spreadsheet "
        "(CSV or XLSX), a ModernGov web service (saved XML or the site's address), or an export "
        "of this app. --dry-run checks every row and writes nothing; running the same source "
        "twice changes nothing the second time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", choices=ImportRun.Source.values)
        parser.add_argument("path", help="The file, folder or (for ModernGov) site address.")
        parser.add_argument("--papers", help="A zip of the papers a spreadsheet names.")
        parser.add_argument("--dry-run", action="store_true", help="Check, writing nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        run = ImportRun.objects.create(
            source=options["source"],
            label=options["path"],
            dry_run=options["dry_run"],
            options={"papers": options["papers"]} if options["papers"] else {},
        )
        importer = importlib.import_module(f"transfer.importers.{run.source}")
        run = execute(
            run,
            lambda context: importer.run(context, Path(options["path"])),
            source=f"{run.source}:{run.label}",
            report=lambda line: self.stdout.write(line),
        )
        for kind, actions in sorted(run.counts.items()):
            summary = ", ".join(f"{number} {action}" for action, number in sorted(actions.items()))
            self.stdout.write(f"{kind}: {summary}")
        if run.status == ImportRun.Status.FAILED:
            raise CommandError(run.error)
        if run.problems:
            raise CommandError(
                f"{len(run.problems)} problem(s) found; nothing was written. "
                "Correct them and run again."
            )
        self.stdout.write("Dry run: nothing was written." if run.dry_run else "Imported.")
