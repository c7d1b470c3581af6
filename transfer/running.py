"""Running an import, from the command or the background task: finding what the run reads (the
file given on the command line, or the one uploaded on the administrators' page), and handing
it to its importer.

The spreadsheet and ModernGov importers read their source into a plan (``transfer.plan``),
outside any transaction, and ``transfer.writing`` writes it (``transfer.importing.execute``).
An importer without ``read`` (the archive's) is a single ``run(importer, path)``, all of it in
the transaction.
"""

from __future__ import annotations

import importlib
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Q

from boards.files import local_copy
from boards.roles import Role
from transfer import writing
from transfer.importing import Importer, execute
from transfer.models import ImportRun

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from transfer.plan import Plan


@dataclass
class ImportInput:
    """What one run reads."""

    # The file or folder (a spreadsheet, a folder or zip of CSV or XML files); None when a
    # ModernGov site is read at its address.
    path: Path | None
    # The zip of papers beside a spreadsheet.
    papers: Path | None
    # A ModernGov site's address.
    address: str
    # A scratch folder for the run (papers' PDFs checked and waiting to be written).
    workdir: Path
    options: dict[str, Any] = field(default_factory=dict)
    # What the source is called in the problems ("history.xlsx").
    label: str = ""


def perform(run: ImportRun, *, report: Callable[[str], None] | None = None) -> ImportRun:
    """Run the import ``run`` describes, and return it finished."""
    module = importlib.import_module(f"transfer.importers.{run.source}")
    with ExitStack() as stack:
        given = _input(run, stack)
        if not hasattr(module, "read"):
            return execute(
                run,
                lambda importer: module.run(importer, given.path or Path(run.label)),
                source=f"{run.source}:{run.label}",
                report=report,
            )
        plans: list[Plan] = []
        by = importing_user(run)
        return execute(
            run,
            lambda importer: writing.write(importer, plans[0], by=by) if plans else None,
            source=module.source(given),
            report=report,
            read=lambda importer: plans.append(module.read(importer, given)),
        )


def _input(run: ImportRun, stack: ExitStack) -> ImportInput:
    options = dict(run.options or {})
    address = options.get("address", "")
    if run.upload:
        path: Path | None = stack.enter_context(_local(run.upload))
    elif address:
        path = None
    else:
        path = Path(run.label)
    if run.papers:
        papers: Path | None = stack.enter_context(_local(run.papers))
    elif options.get("papers"):
        papers = Path(options["papers"])
    else:
        papers = None
    workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="scrutiny-import-")))
    label = options.get("filename") or (path.name if path is not None else address)
    return ImportInput(
        path=path, papers=papers, address=address, workdir=workdir, options=options, label=label
    )


@contextmanager
def _local(file: Any) -> Iterator[Path]:
    with local_copy(file) as path:
        yield path


def importing_user(run: ImportRun) -> User | None:
    """Who the import is done by: who started it on the page; for the command, the user it
    names (``--user``), or else the first administrator."""
    if run.started_by is not None:
        return run.started_by
    users = get_user_model().objects.filter(is_active=True)
    if username := (run.options or {}).get("user"):
        return users.filter(username=username).first()
    return (
        users.filter(Q(is_superuser=True) | Q(groups__name=Role.ADMINISTRATOR))
        .order_by("pk")
        .first()
    )


__all__ = ["ImportInput", "Importer", "perform"]
