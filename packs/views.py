"""Agenda packs: download, build, and watch a build's progress.

Who may have which edition is ``packs.may_download``: the public pack once the agenda is
published, the members' pack only for those the visibility rule lets read the board's exempt
papers. Anyone else gets a 404, as for an exempt paper.
"""

from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from boards import downloads, formatting, uploads
from boards.access import can_edit, is_staff
from boards.models import Meeting
from boards.views.common import HtmxHttpRequest
from boards.visibility import Audience
from packs import services as packs
from packs.models import AgendaPack


def _meeting_and_edition(request: HtmxHttpRequest, pk: int, edition: str) -> Meeting:
    if edition not in AgendaPack.Edition.values:
        raise Http404("No such edition.")
    meeting = get_object_or_404(
        Meeting.objects.select_related("board__support_officer", "board__head_of_scrutiny"),
        pk=pk,
    )
    if not packs.may_download(Audience.of(request.user), meeting, edition):
        raise Http404("No such pack.")
    return meeting


def _status_url(meeting: Meeting, edition: str) -> str:
    return reverse("packs:pack-status", kwargs={"pk": meeting.pk, "edition": edition})


def _file_response(request: HtmxHttpRequest, pack: AgendaPack) -> HttpResponseBase:
    """The pack's file, only while everything in it is still its audience's to read: if a
    paper in it has since been made exempt or withdrawn (or minutes unpublished), the file is
    removed and nobody gets it, whatever the state of the worker."""
    if not packs.may_serve(pack):
        packs.withdraw_unservable([pack.meeting])
        raise Http404("This pack is out of date: a newer one is on its way.")
    meeting = pack.meeting
    name = f"{meeting.board.name} {formatting.short_date(meeting.starts_at)} {pack.edition} pack"
    return downloads.file_response(
        request,
        pack.file,
        modified=pack.built_at or pack.modified,
        filename=uploads.safe_download_name(name),
    )


@require_GET
def pack_download(request: HtmxHttpRequest, pk: int, edition: str) -> HttpResponseBase:
    """The current pack; if it is out of date it is built (here when small, else by the worker,
    while the status page shows progress). ``?previous`` gives the last good pack as it is."""
    meeting = _meeting_and_edition(request, pk, edition)
    if "previous" in request.GET:
        pack = AgendaPack.objects.filter(meeting=meeting, edition=edition).first()
        if pack is None or not pack.has_file:
            raise Http404("No pack has been built yet.")
        return _file_response(request, pack)
    pack, current = packs.request(meeting, edition)
    if current:
        return _file_response(request, pack)
    return redirect(_status_url(meeting, edition))


@require_POST
def pack_build(request: HtmxHttpRequest, pk: int, edition: str) -> HttpResponse:
    """Ask for the pack to be brought up to date; those who may edit the board may force a
    rebuild."""
    meeting = _meeting_and_edition(request, pk, edition)
    rebuild = bool(request.POST.get("rebuild")) and can_edit(request.user, meeting.board)
    packs.request(meeting, edition, rebuild=rebuild, retry=True)
    url = _status_url(meeting, edition)
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_GET
@vary_on_headers("HX-Request")
def pack_status(request: HtmxHttpRequest, pk: int, edition: str) -> HttpResponse:
    meeting = _meeting_and_edition(request, pk, edition)
    pack = AgendaPack.objects.filter(meeting=meeting, edition=edition).first()
    current = pack is not None and not pack.in_progress and packs.is_current(pack)
    template = "packs/pack_status.html"
    waiting_for_a_worker = packs.waiting_for_a_worker(pack)
    if request.htmx:
        template += "#progress"
    return render(
        request,
        template,
        {
            "meeting": meeting,
            "edition": edition,
            "edition_label": AgendaPack.Edition(edition).label,
            "pack": pack,
            "current": current,
            "waiting_for_a_worker": waiting_for_a_worker,
            # No worker, no progress to show: asked less often whether one has started.
            "poll_every": "5s" if waiting_for_a_worker else "1s",
            "show_worker_help": is_staff(request.user),
            "awaiting_conversion": packs.awaiting_conversion(meeting, edition),
            "download_url": reverse(
                "packs:pack-download", kwargs={"pk": meeting.pk, "edition": edition}
            ),
            "status_url": _status_url(meeting, edition),
        },
    )
