"""What every importer shares: the run's progress and problems, and writing a record once.

An importer (``transfer.importers.spreadsheet``, ``.moderngov``, ``.archive``) is a function
``run(importer: Importer, path: Path) -> None`` that reads its source and calls
``importer.upsert(...)`` for each record, ``importer.problem(...)`` for each thing wrong, and
``importer.progress(...)`` as it goes. ``execute(run, work)`` runs it: everything is written in
one transaction, rolled back at the end of a dry run or when any problem was found, so a dry
run lists every row's errors and a real run writes all or nothing.

Records are matched through their provenance (``ImportedRecord``: source and external id), so
running the same file twice finds what the first run wrote and changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from transfer.models import ImportedRecord, ImportRun

logger = logging.getLogger(__name__)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class _RollBack(Exception):
    """Leaves the transaction of a dry run, or of a run that found problems."""


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

    @property
    def dry_run(self) -> bool:
        return self.run.dry_run

    # Progress and problems.

    def progress(self, stage: str, done: int = 0, total: int = 0) -> None:
        """Where the run has got to: kept on the run (the page shows it) and reported."""
        self.run.stage, self.run.done, self.run.total = stage[:200], done, total
        if not transaction.get_connection().in_atomic_block:
            self.run.save(update_fields=["stage", "done", "total", "modified"])
        self.report(f"{stage} ({done} of {total})" if total else stage)

    def problem(self, where: str, message: str, *, field: str = "") -> None:
        self.problems.append({"where": where, "field": field, "message": message})
        self.report(f"{where}: {field + ': ' if field else ''}{message}")

    def problems_of(self, where: str, error: ValidationError) -> None:
        """Each message of a model's ``full_clean()`` as a problem, with its field."""
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                for message in errors:
                    self.problem(where, message, field="" if field == "__all__" else field)
        else:
            for message in error.messages:
                self.problem(where, message)

    def count(self, model: type[models.Model], action: str) -> None:
        kind = self.counts.setdefault(model._meta.model_name or "", {})
        kind[action] = kind.get(action, 0) + 1

    # Provenance.

    def find[M: models.Model](self, model: type[M], external_id: str) -> M | None:
        """The record this source's ``external_id`` was imported as, if it was."""
        object_id = (
            ImportedRecord.objects.filter(
                source=self.source,
                content_type=ContentType.objects.get_for_model(model),
                external_id=external_id,
            )
            .values_list("object_id", flat=True)
            .first()
        )
        return None if object_id is None else model._default_manager.filter(pk=object_id).first()

    def remember(self, record: models.Model, external_id: str) -> None:
        content_type = ContentType.objects.get_for_model(type(record))
        provenance, created = ImportedRecord.objects.get_or_create(
            source=self.source,
            content_type=content_type,
            external_id=external_id,
            defaults={"object_id": str(record.pk), "first_run": self.run, "last_run": self.run},
        )
        if not created and (provenance.object_id, provenance.last_run_id) != (
            str(record.pk),
            self.run.pk,
        ):
            provenance.object_id, provenance.last_run = str(record.pk), self.run
            provenance.save(update_fields=["object_id", "last_run"])

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
    ) -> M | None:
        """The record ``external_id`` names, created or brought up to ``values``; saved only when
        something differs, so a second run of the same source changes nothing. ``match`` finds
        a record already there that was not imported (a board set up by hand), to adopt it.
        Returns None, with the problems recorded, when the values do not make a valid record."""
        record = self.find(model, external_id) or (match() if match else None)
        action = CREATED if record is None else UNCHANGED
        if record is None:
            record = model(**values)
        else:
            for name, value in values.items():
                if _value_of(record, name) != _value_of_given(value):
                    setattr(record, name, value)
                    action = UPDATED
        if action != UNCHANGED:
            try:
                record.full_clean(exclude=exclude_from_clean)
            except ValidationError as error:
                self.problems_of(where, error)
                return None
            record.save()
        self.remember(record, external_id)
        self.count(model, action)
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
) -> ImportRun:
    """Run ``work`` for ``run``: all of it in one transaction, rolled back for a dry run or when
    it found problems. The run records its counts, problems and outcome."""
    importer = Importer(run, source=source, report=report)
    run.status, run.started_at = ImportRun.Status.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at", "modified"])
    try:
        with transaction.atomic():
            work(importer)
            if run.dry_run or importer.problems:
                raise _RollBack
    except _RollBack:
        pass
    except Exception as error:
        logger.exception("Import %s failed", run.pk)
        run.status, run.error = ImportRun.Status.FAILED, f"{type(error).__name__}: {error}"
    else:
        run.status = ImportRun.Status.DONE
    if run.status == ImportRun.Status.RUNNING:
        run.status = ImportRun.Status.DONE
    run.counts, run.problems, run.finished_at = importer.counts, importer.problems, timezone.now()
    run.save()
    return run
