"""``manage.py import_council spreadsheet|moderngov|archive PATH``: bring a council's records in."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from transfer.models import ImportRun
from transfer.running import perform


def _date(value: str) -> str:
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise CommandError(f"{value!r} is not a date: write it as 2016-03-21.") from None


class Command(BaseCommand):
    help = (
        "Import bodies, people, memberships, meetings, agenda items and papers from a spreadsheet "
        "(CSV or XLSX), a ModernGov web service (a folder or zip of saved XML, or the site's "
        "address), or an export of this app. --dry-run checks every row and writes nothing; "
        "running the same source twice changes nothing the second time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", choices=ImportRun.Source.values)
        parser.add_argument(
            "path",
            help="The file or folder; for ModernGov, a folder or zip of saved XML responses, or "
            "the site's address (https://democracy.example.gov.uk).",
        )
        parser.add_argument("--papers", help="A zip of the papers a spreadsheet names.")
        parser.add_argument("--dry-run", action="store_true", help="Check, writing nothing.")
        parser.add_argument(
            "--user",
            help="Who the import is done by (published agendas are recorded by them); "
            "default: the first administrator.",
        )
        moderngov = parser.add_argument_group("ModernGov")
        moderngov.add_argument(
            "--since", type=_date, help="Meetings from this date (default: six years ago)."
        )
        moderngov.add_argument(
            "--until", type=_date, help="Meetings up to this date (default: a year from today)."
        )
        moderngov.add_argument(
            "--committee",
            action="append",
            dest="committees",
            help="Only this committee (its ModernGov ID); may be given more than once.",
        )
        moderngov.add_argument("--max-meetings", type=int, help="At most this many meetings.")
        moderngov.add_argument(
            "--max-documents", type=int, help="At most this many documents fetched."
        )
        moderngov.add_argument(
            "--no-documents", action="store_true", help="Fetch no documents, only the records."
        )
        moderngov.add_argument(
            "--site",
            help="For saved files: the site they were saved from (default: read from them).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["path"]
        run_options: dict[str, Any] = {}
        if options["papers"]:
            run_options["papers"] = options["papers"]
        if options["user"]:
            if not get_user_model().objects.filter(username=options["user"]).exists():
                raise CommandError(f"There is no user {options['user']!r}.")
            run_options["user"] = options["user"]
        if path.startswith(("http://", "https://")):
            run_options["address"] = path
        for name in ("since", "until", "committees", "max_meetings", "max_documents", "site"):
            if options.get(name):
                run_options[name] = options[name]
        if options["no_documents"]:
            run_options["documents"] = False
        run = ImportRun.objects.create(
            source=options["source"],
            label=path,
            dry_run=options["dry_run"],
            options=run_options,
        )
        run = perform(run, report=lambda line: self.stdout.write(line))
        for kind, actions in sorted(run.counts.items()):
            summary = ", ".join(f"{number} {action}" for action, number in sorted(actions.items()))
            self.stdout.write(f"{kind}: {summary}")
        for warning in run.warnings:
            field = f"{warning['field']}: " if warning.get("field") else ""
            self.stdout.write(f"Warning: {warning['where']}: {field}{warning['message']}")
        if run.status == ImportRun.Status.FAILED:
            raise CommandError(run.error)
        if run.errors:
            raise CommandError(
                f"{len(run.errors)} problem(s) found; nothing was written. "
                "Correct them and run again."
            )
        self.stdout.write("Dry run: nothing was written." if run.dry_run else "Imported.")
