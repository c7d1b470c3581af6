"""What every importer shares: the run's progress and problems, and writing a record once.

An importer (``transfer.importers.spreadsheet``, ``.moderngov``, ``.archive``) reads its source
and calls ``importer.upsert(...)`` for each record, ``importer.problem(...)`` for each thing
wrong, ``importer.warn(...)`` for each thing left out or assumed, and ``importer.progress(...)``
as it goes. ``execute(run, work, read=...)`` runs it in two phases:

1. ``read(importer)``, if given, outside any transaction: whatever is slow and writes nothing
   (opening the spreadsheet and checking every cell, fetching a ModernGov site's responses and
   documents, checking each PDF and reading its text). Its progress is saved on the run as it
   goes (at most about once a second), so the run's page can show it.
2. ``work(importer)``, in one transaction: writing the records. It is rolled back at the end of
   a dry run, or when any problem was found in either phase, so a dry run lists every row's
   problems and a real run writes all or nothing. Progress inside the transaction cannot be
   seen by another connection (the page's), so the page says "Writing" until it ends.

Why not commit batch by batch, so that the page could count the writing too? A run that found a
problem halfway would then leave half a council behind, and the promise "correct the file and
run it again; nothing was written" would not hold. Writing is the quick part: the slow parts
(the network, the PDFs) are all in the first phase, where progress is visible.

Records are matched through their provenance (``ImportedRecord``: source and external id), so
running the same file twice finds what the first run wrote and changes nothing; a record is
saved only when a value differs ("unchanged" otherwise, in the run's counts).

Files saved while writing (papers' PDFs) are deleted again if the transaction is rolled back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.db import models, transaction
from django.utils import timezone

from transfer.models import ImportedRecord, ImportRun

logger = logging.getLogger(__name__)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
WARNING = "warning"
# The run's progress is saved at most this often while reading (a row at a time would be a
# write per row).
PROGRESS_SAVE_SECONDS = 1.0


class _RollBack(Exception):
    """Leaves the transaction of a dry run, or of a run that found problems."""


class ImportStopped(Exception):
    """The source cannot be read at all (a site that does not answer, a file that is not a
    spreadsheet): recorded as a problem of the run, in these words, not as a failure."""

    def __init__(self, message: str, *, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where


class Importer:
    """The context an importer writes through, for one run."""

    def __init__(
        self,
        run: ImportRun,
        *,
        source: str,
        report: Callable[[str], None] | None = None,
    ) -> None:
        self.run = run
        self.source = source
        self.report = report or (lambda line: None)
        self.counts: dict[str, dict[str, int]] = {}
        self.problems: list[dict[str, str]] = []
        self._saved_at = 0.0
        self._stored: list[tuple[Storage, str]] = []

    @property
    def dry_run(self) -> bool:
        return self.run.dry_run

    @property
    def has_errors(self) -> bool:
        return any(problem.get("level") != WARNING for problem in self.problems)

    # Progress and problems.

    def progress(self, stage: str, done: int = 0, total: int = 0) -> None:
        """Where the run has got to: kept on the run (the page shows it) and reported. Outside a
        transaction it is saved when the stage changes, when it is complete, and otherwise at
        most once a second."""
        stage = stage[:200]
        changed = stage != self.run.stage
        self.run.stage, self.run.done, self.run.total = stage, done, total
        due = time.monotonic() - self._saved_at >= PROGRESS_SAVE_SECONDS
        if not (changed or due or (total and done >= total)):
            return
        if not transaction.get_connection().in_atomic_block:
            self.run.save(update_fields=["stage", "done", "total", "modified"])
            self._saved_at = time.monotonic()
        self.report(f"{stage} ({done} of {total})" if total else stage)

    def problem(self, where: str, message: str, *, field: str = "") -> None:
        """Something wrong with the source: nothing will be written until it is put right."""
        self.problems.append({"where": where, "field": field, "message": message})
        self.report(f"{where}: {field + ': ' if field else ''}{message}")

    def warn(self, where: str, message: str, *, field: str = "") -> None:
        """Something left out or assumed, said so that someone can check it; the run goes on."""
        self.problems.append({"where": where, "field": field, "message": message, "level": WARNING})
        self.report(f"{where}: {field + ': ' if field else ''}{message} (warning)")

    def problems_of(
        self, where: str, error: ValidationError, *, field_names: Mapping[str, str] | None = None
    ) -> None:
        """Each message of a model's ``full_clean()`` as a problem, with its field (named as the
        source names it, through ``field_names``)."""
        names = field_names or {}
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                for message in errors:
                    name = "" if field == "__all__" else names.get(field, field)
                    self.problem(where, message, field=name)
        else:
            for message in error.messages:
                self.problem(where, message)

    def count(self, model: type[models.Model], action: str) -> None:
        kind = self.counts.setdefault(model._meta.model_name or "", {})
        kind[action] = kind.get(action, 0) + 1

    # Files.

    def stored(self, storage: Storage, name: str) -> None:
        """A file saved while writing: deleted again if the writing is rolled back."""
        self._stored.append((storage, name))

    def _delete_stored(self) -> None:
        for storage, name in self._stored:
            try:
                storage.delete(name)
            except OSError:
                logger.warning("Could not delete %s after a rolled back import", name)
        self._stored.clear()

    # Provenance.

    def _provenance(self, model: type[models.Model], external_id: str) -> ImportedRecord | None:
        return ImportedRecord.objects.filter(
            source=self.source,
            content_type=ContentType.objects.get_for_model(model),
            external_id=external_id,
        ).first()

    def find[M: models.Model](self, model: type[M], external_id: str) -> M | None:
        """The record this source's ``external_id`` was imported as, if it was."""
        provenance = self._provenance(model, external_id)
        if provenance is None:
            return None
        return model._default_manager.filter(pk=provenance.object_id).first()

    def fingerprint_of(self, model: type[models.Model], external_id: str) -> str:
        """The fingerprint remembered with the record (the hash of its file), or ""."""
        provenance = self._provenance(model, external_id)
        return provenance.fingerprint if provenance is not None else ""

    def remember(
        self, record: models.Model, external_id: str, *, fingerprint: str | None = None
    ) -> None:
        content_type = ContentType.objects.get_for_model(type(record))
        provenance, created = ImportedRecord.objects.get_or_create(
            source=self.source,
            content_type=content_type,
            external_id=external_id,
            defaults={
                "object_id": str(record.pk),
                "first_run": self.run,
                "last_run": self.run,
                "fingerprint": fingerprint or "",
            },
        )
        if created:
            return
        wanted = (
            str(record.pk),
            self.run.pk,
            provenance.fingerprint if fingerprint is None else fingerprint,
        )
        if (provenance.object_id, provenance.last_run_id, provenance.fingerprint) != wanted:
            provenance.object_id, provenance.last_run_id, provenance.fingerprint = wanted
            provenance.save(update_fields=["object_id", "last_run", "fingerprint"])

    # Writing.

    def upsert[M: models.Model](
        self,
        model: type[M],
        external_id: str,
        values: Mapping[str, Any],
        *,
        where: str,
        match: Callable[[], M | None] | None = None,
        exclude_from_clean: list[str] | None = None,
        create_only: Mapping[str, Any] | None = None,
        m2m: Mapping[str, Iterable[models.Model]] | None = None,
        field_names: Mapping[str, str] | None = None,
        on_change: Callable[[M, str], None] | None = None,
    ) -> M | None:
        """The record ``external_id`` names, created or brought up to ``values``; saved only when
        something differs, so a second run of the same source changes nothing. ``match`` finds
        a record already there that was not imported (a board set up by hand), to adopt it.
        ``create_only`` values are given to a new record only (when a publication was recorded,
        say); ``m2m`` sets many-to-many fields (compared as sets). ``on_change(record,
        action)`` is called when the record was created or updated. Returns None, with the
        problems recorded, when the values do not make a valid record."""
        record = self.find(model, external_id) or (match() if match else None)
        action = CREATED if record is None else UNCHANGED
        if record is None:
            record = model(**values, **(create_only or {}))
        else:
            for name, value in values.items():
                if _value_of(record, name) != _value_of_given(value):
                    setattr(record, name, value)
                    action = UPDATED
        wanted_m2m = {
            name: {related.pk for related in related_records}
            for name, related_records in (m2m or {}).items()
        }
        if action == UNCHANGED and record.pk is not None:
            for name, pks in wanted_m2m.items():
                if set(getattr(record, name).values_list("pk", flat=True)) != pks:
                    action = UPDATED
        if action != UNCHANGED:
            try:
                record.full_clean(exclude=exclude_from_clean)
            except ValidationError as error:
                self.problems_of(where, error, field_names=field_names)
                return None
            record.save()
            for name, pks in wanted_m2m.items():
                getattr(record, name).set(pks)
        self.remember(record, external_id)
        self.count(model, action)
        if action != UNCHANGED and on_change is not None:
            on_change(record, action)
        return record


def _value_of(record: models.Model, name: str) -> Any:
    field = record._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        return getattr(record, field.attname)
    return getattr(record, name)


def _value_of_given(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def execute(
    run: ImportRun,
    work: Callable[[Importer], None],
    *,
    source: str,
    report: Callable[[str], None] | None = None,
    read: Callable[[Importer], None] | None = None,
) -> ImportRun:
    """Run ``read`` (if given) outside any transaction, then ``work`` in one transaction, rolled
    back for a dry run or when either found problems. The run records its counts, problems and
    outcome."""
    importer = Importer(run, source=source, report=report)
    run.status, run.started_at, run.error = ImportRun.Status.RUNNING, timezone.now(), ""
    run.stage, run.done, run.total = "Starting", 0, 0
    run.save(update_fields=["status", "started_at", "error", "stage", "done", "total", "modified"])
    committed = False
    try:
        if read is not None:
            read(importer)
        importer.progress(
            "Checking every record against the rules"
            if run.dry_run or importer.has_errors
            else "Writing the records"
        )
        with transaction.atomic():
            work(importer)
            if run.dry_run or importer.has_errors:
                raise _RollBack
        committed = True
    except _RollBack:
        pass
    except ImportStopped as stop:
        importer.problem(stop.where or "The source", stop.message)
    except Exception as error:
        logger.exception("Import %s failed", run.pk)
        run.status, run.error = ImportRun.Status.FAILED, f"{type(error).__name__}: {error}"
    finally:
        if not committed:
            importer._delete_stored()
    if run.status == ImportRun.Status.RUNNING:
        run.status = ImportRun.Status.DONE
    run.counts, run.problems, run.finished_at = importer.counts, importer.problems, timezone.now()
    run.stage = _outcome(run)
    run.save()
    return run


def _outcome(run: ImportRun) -> str:
    if run.status == ImportRun.Status.FAILED:
        return "Stopped by an error"
    if run.errors:
        return "Problems found: nothing was written"
    if run.dry_run:
        return "Dry run finished: nothing was written"
    return "Imported"
