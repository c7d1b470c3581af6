"""The officer's and clerk's pages: new meetings, the agenda editor, papers and publication.

Every view checks that the user may edit the board (clerks: every board; scrutiny officers:
the boards they support). htmx requests get the page's partials; without JavaScript each form
posts and redirects as usual.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget, trigger_client_event

from boards import forms, report_templates, services, uploads
from boards.access import Ability, ability_required, acting_user, get_editable, has_ability
from boards.documents import agenda_for
from boards.models import AgendaItem, Board, Meeting, Paper
from boards.publication import earliest_recorded_publication, is_late
from boards.views.common import STATUS_INVALID, HtmxHttpRequest, apply_error, editable_meeting
from boards.visibility import Audience


def _item(request: HtmxHttpRequest, pk: int) -> AgendaItem:
    return get_editable(request.user, AgendaItem.objects.all(), "meeting__board", pk=pk)


def _done(request: HtmxHttpRequest, url: str) -> HttpResponse:
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    board = get_editable(request.user, Board.objects.all(), None, slug=slug)
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                board=board,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                venue=data["venue"],
                pre_meeting_at=data["pre_meeting_at"],
                recording_allowed=data["recording_allowed"],
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, "Meeting created, with the board's standard agenda items.")
            return _done(request, meeting_editor_url(meeting))
    status = STATUS_INVALID if form.errors else 200
    return render(
        request, "boards/meeting_form.html", {"form": form, "board": board}, status=status
    )


def meeting_editor_url(meeting: Meeting) -> str:
    return reverse("boards:agenda-edit", kwargs={"pk": meeting.pk})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_move(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = editable_meeting(request, pk)
    form = forms.MoveMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_move(
                meeting=meeting,
                starts_at=forms.london_datetime(data["date"], data["start_time"]),
                reason=data["reason"],
                correction=data["correction"],
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            done = "date has been corrected" if data["correction"] else "meeting has been moved"
            messages.success(request, f"The {done}.")
            return _done(request, meeting.get_absolute_url())
    return render(
        request,
        "boards/meeting_change.html",
        {"form": form, "meeting": meeting, "action": "move"},
        status=STATUS_INVALID if form.errors else 200,
    )


MEETING_STOPS = {"cancel": services.meeting_cancel, "postpone": services.meeting_postpone}
PAST_TENSE = {"cancel": "cancelled", "postpone": "postponed"}


@login_required
@require_http_methods(["GET", "POST"])
def meeting_stop(request: HtmxHttpRequest, pk: int, action: str) -> HttpResponse:
    """Cancel or postpone a meeting, with the reason the public will see."""
    meeting = editable_meeting(request, pk)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            MEETING_STOPS[action](meeting=meeting, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"The meeting has been {PAST_TENSE[action]}.")
            return _done(request, meeting.get_absolute_url())
    return render(
        request,
        "boards/meeting_change.html",
        {"form": form, "meeting": meeting, "action": action},
        status=STATUS_INVALID if form.errors else 200,
    )


def _editor_context(request: HtmxHttpRequest, meeting: Meeting, **extra) -> dict:
    return {
        "meeting": meeting,
        "can_publish": has_ability(request.user, Ability.PUBLISH_AGENDAS),
        "items": agenda_for(meeting, Audience(sees_drafts=True)),
        "add_form": forms.AgendaItemForm(prefix="new"),
        **extra,
    }


@login_required
@require_http_methods(["GET"])
def agenda_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = editable_meeting(request, pk)
    context = _editor_context(request, meeting)
    return render(request, "boards/agenda_edit.html", context)


def _render_items(request: HtmxHttpRequest, meeting: Meeting, announce: str = "", focus: str = ""):
    """The agenda list after a change: the partial for htmx (announcing the change to screen
    readers and keeping the keyboard focus where it was), else back to the editor."""
    if not request.htmx:
        if announce:
            messages.success(request, announce)
        return redirect(meeting_editor_url(meeting))
    context = _editor_context(request, meeting, announce=announce)
    response = render(request, "boards/agenda_edit.html#agenda-items", context)
    if focus:
        trigger_client_event(response, "scrutiny:focus", {"id": focus}, after="settle")
    return response


@login_required
@require_POST
def agenda_item_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = editable_meeting(request, pk)
    form = forms.AgendaItemForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            item = services.agenda_item_add(
                meeting=meeting, item=form.save(commit=False), wards=form.cleaned_data["wards"]
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            return _render_items(
                request,
                meeting,
                announce=f"Item {item.shown_number} added.",
                focus=f"item-{item.pk}",
            )
    context = _editor_context(request, meeting, add_form=form)
    if not request.htmx:
        return render(request, "boards/agenda_edit.html", context, status=STATUS_INVALID)
    response = render(request, "boards/agenda_edit.html#add-item", context, status=STATUS_INVALID)
    return reswap(retarget(response, "#add-item"), "outerHTML")


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def agenda_item_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = forms.AgendaItemForm(request.POST or None, instance=item, prefix=f"item-{item.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_update(
                item=form.save(commit=False), wards=form.cleaned_data["wards"]
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            return _render_items(
                request,
                item.meeting,
                announce=f"Item {item.shown_number} saved.",
                focus=f"item-{item.pk}",
            )
    status = STATUS_INVALID if form.errors else 200
    context = {"form": form, "item": item}
    if not request.htmx:
        return render(request, "boards/agenda_item_form.html", context, status=status)
    response = render(request, "boards/agenda_item_form.html#item-form", context, status=status)
    return reswap(retarget(response, f"#item-{item.pk}"), "innerHTML")


@login_required
@require_POST
def agenda_item_move(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    direction = request.POST.get("direction")
    if direction not in {"up", "down"}:
        return HttpResponse("Choose up or down.", status=400)
    services.agenda_item_move(item=item, by=-1 if direction == "up" else 1)
    item.refresh_from_db()
    return _render_items(
        request,
        item.meeting,
        announce=f"{item.title} is now item {item.shown_number}.",
        focus=f"move-{direction}-{item.pk}",
    )


@login_required
@require_POST
def agenda_reorder(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = editable_meeting(request, pk)
    try:
        ordered = [int(value) for value in request.POST.getlist("item")]
        services.agenda_items_reorder(meeting=meeting, ordered_ids=ordered)
    except (ValueError, ValidationError):
        messages.error(
            request, "The agenda changed while you were moving items. It has been reloaded."
        )
    return _render_items(request, meeting, announce="Agenda reordered.")


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_remove(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    return _remove(request, item, item.meeting, services.agenda_item_remove, item=item)


@login_required
@require_http_methods(["GET", "POST"])
def paper_upload(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = forms.PaperUploadForm(
        request.POST or None, request.FILES or None, instance=Paper(agenda_item=item)
    )
    if request.method == "POST" and form.is_valid():
        paper = form.save(commit=False)
        try:
            services.paper_upload(paper=paper, upload=form.cleaned_data["file"])
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"{paper.title} attached to item {item.shown_number}.")
            _say_what_happens(request, form)
            return redirect(meeting_editor_url(item.meeting))
    return render(
        request,
        "boards/paper_upload.html",
        {"form": form, "item": item, "meeting": item.meeting},
        status=STATUS_INVALID if form.errors else 200,
    )


def _say_what_happens(request: HtmxHttpRequest, form: forms.PaperFileForm) -> None:
    if form.is_document:
        messages.info(request, CONVERTING_MESSAGE)
    if form.removed:
        messages.warning(request, form.removed.sentence())


CONVERTING_MESSAGE = (
    "It is being converted to PDF, which usually takes less than a minute. Until then it is "
    "left out of the agenda pack, and the agenda cannot be published."
)


def _editable_paper(request: HtmxHttpRequest, pk: int) -> tuple[Paper, AgendaItem]:
    paper = get_object_or_404(Paper.objects.select_related("agenda_item__meeting__board"), pk=pk)
    return paper, _item(request, paper.agenda_item_id)


@login_required
@require_http_methods(["GET", "POST"])
def paper_replace(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Upload the file of a paper not yet published again (say, a document whose conversion
    failed, corrected); a published paper keeps its file on the record."""
    paper, item = _editable_paper(request, pk)
    if paper.is_written or paper.is_published or paper.withdrawn_at:
        raise Http404("Only the file of an uploaded paper not yet published can be replaced.")
    form = forms.PaperFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.paper_upload(paper=paper, upload=form.cleaned_data["file"])
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"The file of {paper.title} has been replaced.")
            _say_what_happens(request, form)
            return redirect(meeting_editor_url(item.meeting))
    return render(
        request,
        "boards/paper_replace.html",
        {"form": form, "item": item, "meeting": item.meeting, "paper": paper},
        status=STATUS_INVALID if form.errors else 200,
    )


@login_required
@require_POST
def paper_convert(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Try the conversion of a document that failed again."""
    paper, item = _editable_paper(request, pk)
    try:
        services.paper_conversion_retry(paper=paper)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{paper.title} will be converted to PDF again.")
    return redirect("boards:paper-edit", pk=paper.pk)


@login_required
@require_GET
def report_template(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A Word report template for the item, with the council's front-sheet questions and what
    is known of the item filled in, to be written and uploaded."""
    item = get_editable(
        request.user,
        AgendaItem.objects.select_related("meeting__board", "lead_post").prefetch_related("wards"),
        "meeting__board",
        pk=pk,
    )
    response = HttpResponse(
        report_templates.report_template(item),
        content_type=uploads.DOCUMENT_CONTENT_TYPES[uploads.DOCX],
    )
    name = uploads.safe_download_name(f"report {item.title}", ".docx")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def paper_write(
    request: HtmxHttpRequest, pk: int | None = None, item_pk: int | None = None
) -> HttpResponse:
    if pk is not None:
        paper = get_object_or_404(
            Paper.objects.select_related("agenda_item__meeting__board"), pk=pk
        )
        item = _item(request, paper.agenda_item_id)
        if not paper.is_written:
            return _paper_details(request, paper, item)
    elif item_pk is not None:
        item = _item(request, item_pk)
        paper = Paper(agenda_item=item, kind=Paper.Kind.REPORT, report_date=timezone.localdate())
    else:
        raise Http404("No agenda item was given.")
    form = forms.WrittenReportForm(request.POST or None, instance=paper)
    sections = forms.ReportSectionFormSet(request.POST or None, instance=paper, prefix="sections")
    if request.method == "POST" and form.is_valid() and sections.is_valid():
        kept, removed = forms.formset_changes(sections)
        try:
            paper = services.paper_write(
                paper=form.save(commit=False), sections=kept, removed=removed
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"{paper.title} saved.")
            return redirect(paper.get_absolute_url())
    return render(
        request,
        "boards/paper_write.html",
        {"form": form, "sections": sections, "item": item, "meeting": item.meeting, "paper": paper},
        status=STATUS_INVALID if form.errors or sections.total_error_count() else 200,
    )


def _paper_details(request: HtmxHttpRequest, paper: Paper, item: AgendaItem) -> HttpResponse:
    """An uploaded paper's title, kind and exemption, changed after it was attached."""
    form = forms.PaperDetailsForm(request.POST or None, instance=paper)
    if request.method == "POST" and form.is_valid():
        try:
            services.paper_update(paper=form.save(commit=False))
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"{paper.title} saved.")
            return redirect(meeting_editor_url(item.meeting))
    return render(
        request,
        "boards/paper_details.html",
        {"form": form, "item": item, "meeting": item.meeting, "paper": paper},
        status=STATUS_INVALID if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agenda_template_edit(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The board's standard agenda, copied into each new meeting; starts from the usual one."""
    board = get_editable(request.user, Board.objects.all(), None, slug=slug)
    initial = [
        {"kind": item.kind, "title": item.title, "purpose": item.purpose}
        for item in services.standard_agenda(board)
    ]
    formset = forms.AgendaTemplateFormSet(request.POST or None, initial=initial, prefix="items")
    if request.method == "POST" and formset.is_valid():
        kept = [form for form in formset.ordered_forms if form.cleaned_data.get("title")]
        services.agenda_template_save(
            board=board,
            items=[
                services.StandardItem(
                    form.cleaned_data["kind"],
                    form.cleaned_data["title"],
                    form.cleaned_data["purpose"],
                )
                for form in kept
            ],
        )
        messages.success(request, "The standard agenda has been saved. New meetings will use it.")
        return redirect("boards:board-detail", slug=board.slug)
    return render(
        request,
        "boards/agenda_template_form.html",
        {"formset": formset, "board": board},
        status=STATUS_INVALID if formset.total_error_count() else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def board_numbering(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """How the body numbers its minutes and resolutions, as its council writes them."""
    board = get_editable(request.user, Board.objects.all(), None, slug=slug)
    form = forms.BoardNumberingForm(request.POST or None, instance=board)
    if request.method == "POST" and form.is_valid():
        services.board_numbering_set(
            board=board,
            minute_numbering=form.cleaned_data["minute_numbering"],
            minute_prefix=form.cleaned_data["minute_prefix"],
            resolution_style=form.cleaned_data["resolution_style"],
        )
        messages.success(request, "The numbering has been saved. Minutes not yet released use it.")
        return redirect("boards:board-detail", slug=board.slug)
    return render(
        request,
        "boards/board_numbering.html",
        {"form": form, "board": board},
        status=STATUS_INVALID if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def paper_withdraw(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    paper = get_object_or_404(Paper.objects.select_related("agenda_item__meeting__board"), pk=pk)
    item = _item(request, paper.agenda_item_id)
    return _remove(request, paper, item.meeting, services.paper_withdraw, paper=paper)


def _remove(request: HtmxHttpRequest, record, meeting: Meeting, service, **target) -> HttpResponse:
    """Remove an unpublished item or paper; withdraw a published one, with its reason."""
    published = record.is_published
    form = forms.ReasonForm(request.POST or None)
    form.fields["reason"].required = published
    if request.method == "POST" and form.is_valid():
        try:
            service(**target, by=acting_user(request), reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_error(form, error)
        else:
            verb = "withdrawn" if published else "removed"
            messages.success(request, f"“{record.title}” {verb}.")
            return _done(request, meeting_editor_url(meeting))
    return render(
        request,
        "boards/confirm_remove.html",
        {"form": form, "thing": record, "meeting": meeting, "published": published},
        status=STATUS_INVALID if form.errors else 200,
    )


@login_required
@ability_required(Ability.PUBLISH_AGENDAS)
@require_http_methods(["GET", "POST"])
def agenda_publish(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Publish the agenda or a supplement now; or, for a meeting already held, record when its
    papers were published before they were entered here (``?when=earlier``, the default for a
    meeting held whose papers were never published here; ``?when=now`` publishes them now)."""
    meeting = editable_meeting(request, pk)
    now = timezone.now()
    held = meeting.starts_at <= now
    recording = held and _records_earlier_publication(request, meeting)
    between = (
        (earliest_recorded_publication(meeting.date), min(meeting.date, timezone.localdate(now)))
        if recording
        else None
    )
    form = forms.PublishForm(request.POST or None, recording_between=between)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if recording:
                record = services.agenda_record_published(
                    meeting=meeting,
                    published_on=data["published_on"],
                    published_time=data["published_time"],
                    by=acting_user(request),
                )
            else:
                record = services.agenda_publish(
                    meeting=meeting, by=acting_user(request), late_reason=data["late_reason"]
                )
        except ValidationError as error:
            apply_error(form, error)
        else:
            if record.is_recorded_afterwards:
                done = (
                    f"{record.get_kind_display()} recorded as published on {record.published_when}."
                )
            else:
                done = f"{record.get_kind_display()} published."
            messages.success(request, done)
            return _done(request, meeting.get_absolute_url())
    return render(
        request,
        "boards/agenda_publish.html",
        {
            "form": form,
            "meeting": meeting,
            "held": held,
            "recording": recording,
            "late": not recording and is_late(timezone.localdate(now), meeting.date),
            "items": services.unpublished_items(meeting),
            "papers": services.unpublished_papers(meeting).select_related("agenda_item"),
        },
        status=STATUS_INVALID if form.errors else 200,
    )


def _records_earlier_publication(request: HtmxHttpRequest, meeting: Meeting) -> bool:
    """For a meeting already held: record an earlier publication (``?when=earlier``) or publish
    now (``?when=now``). Unasked, record, unless its papers have been published here before:
    then what is added after the meeting is more likely being published now."""
    when = request.GET.get("when")
    if when in ("earlier", "now"):
        return when == "earlier"
    return not meeting.publications.announced().exists()
