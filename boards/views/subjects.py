"""Subjects: the list everyone reads, and the officers' and clerks' pages that make and edit
them and file agenda items under them. A subject's history (its page and PDF) is the record of
meetings' (``minutes.views``).

A subject is the council's, not one board's: any scrutiny officer or clerk may make or edit one
(``staff_required``); filing an item under it is a change to the item, so it needs the right to
edit the item's board (``get_editable``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from boards import forms, services
from boards.access import get_editable, is_staff, staff_required
from boards.models import AgendaItem, Subject
from boards.views.common import STATUS_INVALID, HtmxHttpRequest, apply_error
from boards.visibility import Audience

SUBJECTS_PER_PAGE = 50


@require_GET
def subject_list(request: HtmxHttpRequest) -> HttpResponse:
    """The subjects the visitor may see, each with how many of its items they may see and the
    date of the latest meeting: in a fixed number of queries, a page at a time."""
    audience = Audience.of(request.user)
    items = (
        AgendaItem.objects.visible_to(audience)
        .filter(subject=OuterRef("pk"))
        .order_by()
        .values("subject")
    )
    subjects = (
        Subject.objects.visible_to(audience)
        .annotate(
            item_count=Coalesce(Subquery(items.annotate(n=Count("pk")).values("n")), 0),
            latest=Subquery(items.annotate(latest=Max("meeting__starts_at")).values("latest")),
        )
        .order_by("title", "pk")
    )
    page = Paginator(subjects, SUBJECTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "boards/subject_list.html",
        {"subjects": page, "can_create": is_staff(request.user)},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def subject_create(request: HtmxHttpRequest) -> HttpResponse:
    form = forms.SubjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subject = services.subject_create(
                title=form.cleaned_data["title"], description=form.cleaned_data["description"]
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(
                request,
                f"The subject “{subject.title}” has been made. Link agenda items to it from "
                "their agenda.",
            )
            return redirect(subject.get_absolute_url())
    status = STATUS_INVALID if form.errors else 200
    return render(request, "boards/subject_form.html", {"form": form}, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def subject_edit(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    subject = get_object_or_404(Subject, slug=slug)
    form = forms.SubjectForm(request.POST or None, instance=subject)
    if request.method == "POST" and form.is_valid():
        try:
            services.subject_update(
                subject=subject,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"The subject “{subject.title}” has been saved.")
            return redirect(subject.get_absolute_url())
    status = STATUS_INVALID if form.errors else 200
    # The form holds what was typed: the page names the subject as it is saved.
    saved = Subject.objects.get(pk=subject.pk) if form.errors else subject
    return render(
        request, "boards/subject_form.html", {"form": form, "subject": saved}, status=status
    )


ITEM_SUBJECT_ACTIONS = {"choose", "new", "unlink"}


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_subject(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """File an agenda item under a subject there is, or under a new one made from its title, or
    under none."""
    item = get_editable(
        request.user,
        AgendaItem.objects.select_related("meeting__board", "subject"),
        "meeting__board",
        pk=pk,
    )
    choose = forms.SubjectChoiceForm(prefix="choose", initial={"subject": item.subject_id})
    new = forms.SubjectForm(prefix="new", initial={"title": item.title})
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ITEM_SUBJECT_ACTIONS:
            return HttpResponse("Choose a subject, make one, or remove the link.", status=400)
        subject: Subject | None = None
        if action == "choose":
            choose = forms.SubjectChoiceForm(request.POST, prefix="choose")
            if choose.is_valid():
                subject = choose.cleaned_data["subject"]
        elif action == "new":
            new = forms.SubjectForm(request.POST, prefix="new")
            if new.is_valid():
                try:
                    subject = services.subject_create(
                        title=new.cleaned_data["title"],
                        description=new.cleaned_data["description"],
                    )
                except ValidationError as error:
                    apply_error(new, error)
        if subject is not None or action == "unlink":
            services.agenda_item_subject_set(item=item, subject=subject)
            if subject is None:
                messages.success(request, f"Item {item.shown_number} is no longer on a subject.")
            else:
                messages.success(
                    request,
                    f"Item {item.shown_number} is now on the subject “{subject.title}”.",
                )
            editor = reverse("boards:agenda-edit", kwargs={"pk": item.meeting_id})
            return redirect(f"{editor}#item-{item.pk}")
    status = STATUS_INVALID if choose.errors or new.errors else 200
    return render(
        request,
        "boards/agenda_item_subject.html",
        {"item": item, "meeting": item.meeting, "choose": choose, "new": new},
        status=status,
    )
