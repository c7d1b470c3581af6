"""The administrators' pages for moving a council's records in: the runs, starting one, and a
run's progress, counts and problems."""

from __future__ import annotations

import functools

from django.apps import apps
from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from boards.access import Ability, ability_required, acting_user
from boards.views.common import STATUS_INVALID, HtmxHttpRequest
from transfer import tasks
from transfer.forms import ImportForm
from transfer.models import ImportedRecord, ImportRun

RUNS_LISTED = 50
PROBLEMS_LISTED = 1000


@require_GET
@ability_required(Ability.ADMINISTER)
def import_list(request: HtmxHttpRequest) -> HttpResponse:
    runs = ImportRun.objects.select_related("started_by")[:RUNS_LISTED]
    return render(request, "transfer/import_list.html", {"runs": runs})


@require_http_methods(["GET", "POST"])
@ability_required(Ability.ADMINISTER)
def import_start(request: HtmxHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload, papers, address = data.get("upload"), data.get("papers"), data.get("address")
        options: dict[str, str] = {}
        if upload:
            options["filename"] = upload.name
        if papers:
            options["papers_filename"] = papers.name
        if address:
            options["address"] = address
        with transaction.atomic():
            run = ImportRun.objects.create(
                source=data["source"],
                label=((upload.name if upload else address) or "")[:500],
                dry_run=data["dry_run"],
                started_by=acting_user(request),
                options=options,
            )
            if upload:
                run.upload.save(upload.name, upload, save=False)
            if papers:
                run.papers.save(papers.name, papers, save=False)
            run.save()
            transaction.on_commit(functools.partial(tasks.run_import.enqueue, run.pk))
        return redirect(run)
    return render(
        request,
        "transfer/import_start.html",
        {"form": form},
        status=STATUS_INVALID if form.errors else 200,
    )


@require_GET
@ability_required(Ability.ADMINISTER)
def import_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ImportRun.objects.select_related("started_by"), pk=pk)
    template = "transfer/import_detail.html"
    if request.htmx:
        template += "#progress"
    imported = (
        ImportedRecord.objects.filter(last_run=run)
        .values("content_type__app_label", "content_type__model")
        .annotate(records=Count("pk"))
        .order_by("content_type__model")
        if run.wrote
        else []
    )
    response = render(
        request,
        template,
        {
            "run": run,
            "errors": run.errors[:PROBLEMS_LISTED],
            "warnings": run.warnings[:PROBLEMS_LISTED],
            "listed": PROBLEMS_LISTED,
            "counts": sorted((_kind_name(kind), actions) for kind, actions in run.counts.items()),
            "imported": imported,
            "status_url": reverse("transfer:import-detail", args=[run.pk]),
            "provenance_url": reverse("admin:transfer_importedrecord_changelist")
            + f"?last_run__id__exact={run.pk}",
        },
    )
    response["Vary"] = "HX-Request"
    return response


def _kind_name(model_name: str) -> str:
    """ "meeting" as people say it: "Meetings"."""
    for model in apps.get_models():
        if model._meta.model_name == model_name:
            return capfirst(str(model._meta.verbose_name_plural))
    return model_name


@require_POST
@ability_required(Ability.ADMINISTER)
def import_again(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The same files or address again: after a clean dry run, for real (or checked again)."""
    previous = get_object_or_404(ImportRun, pk=pk)
    if not previous.is_finished:
        messages.error(request, "This import is still running.")
        return redirect(previous)
    with transaction.atomic():
        run = ImportRun.objects.create(
            source=previous.source,
            label=previous.label,
            dry_run=request.POST.get("dry_run") == "on",
            started_by=acting_user(request),
            options=previous.options,
            upload=previous.upload.name,
            papers=previous.papers.name,
        )
        transaction.on_commit(functools.partial(tasks.run_import.enqueue, run.pk))
    return redirect(run)
