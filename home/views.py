from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from boards import formatting
from boards.access import Ability, ability_required, acting_user, has_ability
from boards.models import Board, Council, Meeting, Membership, Paper, Publication
from boards.visibility import Audience
from decisions import rules as decision_rules
from decisions import status as decision_status
from decisions.models import CallIn, CallInRules, ExecutiveDecision
from decisions.notices import notice_check
from home.desks import desks_of, landing_url
from home.forms import SignInForm
from inquiries.models import Inquiry
from minutes.models import Resolution
from recommendations.models import Recommendation, Statement

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from boards.models.papers import VisiblePaper


def _today() -> datetime.date:
    return timezone.localdate()


def _boards_with_current_members(today: datetime.date):
    current = Q(memberships__starts_on__lte=today) & (
        Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gte=today)
    )
    return Board.objects.select_related("support_officer", "head_of_scrutiny").annotate(
        member_count=Count("memberships", filter=current)
    )


def _upcoming(**filters):
    """The next meetings whose agendas need attention (at most 25)."""
    return (
        Meeting.objects.for_list()
        .upcoming(timezone.now())
        .filter(**filters)
        .exclude(status=Meeting.Status.CANCELLED)[:25]
    )


HOME_MEETINGS = 8
HOME_PUBLISHED = 10
HOME_PAPERS_EACH = 6


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Everyone's front page: the next meetings, what was published lately (as the visitor's
    audience may see it), the boards with their recommendation progress, and search; signed-in
    users also get their roles' pages. A fixed number of queries whatever the data."""
    audience = Audience.of(request.user)
    meetings = Meeting.objects.for_list().upcoming(timezone.now())[:HOME_MEETINGS]
    return render(
        request,
        "home/home.html",
        {
            "meetings": meetings,
            "published": _recently_published(audience),
            "boards": Board.objects.only("name", "slug", "kind", "remit"),
            "role_pages": [(desk.label, reverse(desk.url_name)) for desk in desks_of(request.user)],
        },
    )


@dataclass(frozen=True)
class Published:
    """One line of "Recently published": an agenda, its supplement, or a statement."""

    kind: str
    title: str
    url: str
    on: datetime.date
    board: Board
    papers: list = field(default_factory=list)
    more_papers: int = 0
    response_due_on: datetime.date | None = None


class PublishedPapers(TypedDict):
    """A publication's papers, as the audience may see them (prefetched for its line)."""

    visible_papers: list[VisiblePaper]


if TYPE_CHECKING:
    type RecentPublication = WithAnnotations[Publication, PublishedPapers]


def _recently_published(audience: Audience) -> list[Published]:
    """The newest published agendas, supplements and statements, newest first. Each agenda or
    supplement lists its papers through the visibility rule: a paper the audience may not read
    shows only its title and the notice that keeps it back. Drafts never appear: an agenda item
    or paper is here only once a publication includes it."""
    papers = (
        Paper.objects.visible_to(audience)
        .filter(withdrawn_at__isnull=True, agenda_item__withdrawn_at__isnull=True)
        .select_related("agenda_item", "parent")
        .order_by("position", "pk")
    )
    publications = (
        Publication.objects.select_related("meeting__board")
        .prefetch_related(Prefetch("papers", queryset=papers, to_attr="visible_papers"))
        .order_by("-published_at", "-pk")[:HOME_PUBLISHED]
    )
    statements = (
        Statement.objects.filter(published_on__isnull=False)
        .select_related("inquiry__board")
        .order_by("-published_on", "-pk")[:HOME_PUBLISHED]
    )
    found = [_publication_line(publication) for publication in publications]
    found += [
        Published(
            kind="Statement",
            title=f"{statement.title} ({statement.inquiry.title})",
            url=statement.get_absolute_url(),
            on=statement.published_on,
            board=statement.inquiry.board,
            response_due_on=statement.response_due_on,
        )
        for statement in statements
        if statement.published_on is not None  # always, as filtered above: narrows the type
    ]
    found.sort(key=lambda line: line.on, reverse=True)
    return found[:HOME_PUBLISHED]


def _publication_line(publication: RecentPublication) -> Published:
    meeting = publication.meeting
    papers = sorted(publication.visible_papers, key=_paper_order)
    for paper in papers:
        # Read by the template beside the paper's title; not a field of the model.
        paper.notice = "" if paper.content_visible else _notice(paper)  # type: ignore[attr-defined]
    return Published(
        kind="Agenda" if publication.kind == Publication.Kind.AGENDA else "Supplementary papers",
        title=f"{meeting.board.name}, {formatting.long_date(meeting.starts_at)}",
        url=meeting.get_absolute_url(),
        on=timezone.localdate(publication.published_at),
        board=meeting.board,
        papers=papers[:HOME_PAPERS_EACH],
        more_papers=max(0, len(papers) - HOME_PAPERS_EACH),
    )


def _paper_order(paper: Paper) -> tuple:
    """In agenda order: an item's report, then its appendices, then the next report."""
    report = paper.parent or paper
    return (paper.agenda_item.number, report.position, report.pk, paper.parent_id is not None)


def _notice(paper: Paper) -> str:
    """Why the public sees only this paper's title: its own exemption, its item's or its
    report's."""
    return _exemption(paper) or "Not for publication"


@require_GET
@ability_required(Ability.PREPARE_MEETINGS)
def officer_home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    boards = _boards_with_current_members(_today()).supported_by(user)
    meetings = _upcoming(board__support_officer__user=user)
    actions = Resolution.objects.open_actions().filter(minute__board__support_officer__user=user)
    call_ins = CallIn.objects.filter(
        board__support_officer__user=user, withdrawn_at__isnull=True
    ).select_related("decision", "board")
    return render(
        request,
        "home/officer_home.html",
        {
            "boards": boards,
            "meetings": meetings,
            "actions": actions,
            "today": _today(),
            "can_publish": has_ability(user, Ability.PUBLISH_AGENDAS),
            # Call-ins of the boards they support: requests to check, valid ones to schedule.
            "call_ins_to_check": call_ins.to_validate().order_by("requested_at", "pk"),
            "call_ins_to_schedule": call_ins.open()
            .filter(agenda_item__isnull=True)
            .order_by("meeting_due_on", "pk"),
        },
    )


# How far back the clerk's desk looks for decisions published late or without proper notice.
DECISIONS_LOOKBACK_DAYS = 90


@dataclass(frozen=True)
class FlaggedDecision:
    decision: ExecutiveDecision
    problem: str


def _decisions_to_watch(today: datetime.date) -> dict:
    """The clerk's executive decisions: drafts not yet published; and of those made in the last
    ``DECISIONS_LOOKBACK_DAYS``, those published later than the council's rule allows and key
    decisions taken without proper notice (three queries)."""
    rules_ = CallInRules.load()
    drafts = (
        ExecutiveDecision.objects.filter(published_at__isnull=True, withdrawn_at__isnull=True)
        .select_related("maker_body")
        .order_by("decided_on", "pk")
    )
    recent = list(
        ExecutiveDecision.objects.filter(
            withdrawn_at__isnull=True,
            decided_on__gte=today - datetime.timedelta(days=DECISIONS_LOOKBACK_DAYS),
        )
        .select_related("maker_body", "notice")
        .order_by("-decided_on", "-pk")
    )
    within = rules_.publish_within_working_days
    late = [
        FlaggedDecision(
            decision,
            f"Published on {formatting.long_date(decision.published_at)}: more than "
            f"{within} working day{'s' if within != 1 else ''} after it was made.",
        )
        for decision in recent
        if decision.published_at is not None
        and decision_rules.publication_late(
            decision.decided_on, timezone.localdate(decision.published_at), within=within
        )
    ]
    without_notice = []
    for decision in recent:
        check = notice_check(decision, rules_)
        if check is not None and not check.proper:
            without_notice.append(FlaggedDecision(decision, check.problem))
    return {
        "draft_decisions": drafts,
        "late_decisions": late,
        "decisions_without_notice": without_notice,
    }


@require_GET
@ability_required(Ability.PUBLISH_AGENDAS)
def clerk_home(request: HttpRequest) -> HttpResponse:
    boards = _boards_with_current_members(_today())
    return render(
        request,
        "home/clerk_home.html",
        {
            "boards": boards,
            "meetings": _upcoming(),
            "can_publish": True,
            **_decisions_to_watch(_today()),
        },
    )


COUNCILLOR_MEETINGS = 4


@require_GET
@ability_required(Ability.READ_MEMBER_PAPERS)
def councillor_home(request: HttpRequest) -> HttpResponse:
    """Where a councillor starts: the next meetings of their boards (and those they substitute
    at) with their published papers, exempt ones marked, which members may read; their boards'
    inquiries and overdue recommendations; what they follow; and their boards' members. A fixed
    number of queries whatever the data."""
    user = acting_user(request)
    today = _today()
    audience = Audience.of(user)
    memberships = list(
        Membership.objects.current(today)
        .filter(person__user=user)
        .select_related("board")
        .prefetch_related(
            Prefetch(
                "board__memberships",
                queryset=Membership.objects.current(today).select_related("person", "person__ward"),
                to_attr="current_members",
            )
        )
    )
    board_ids = {membership.board_id for membership in memberships}
    meetings = list(
        Meeting.objects.for_list()
        .upcoming(timezone.now())
        .filter(Q(board_id__in=board_ids) | Q(pk__in=audience.substitute_meeting_ids))[
            :COUNCILLOR_MEETINGS
        ]
    )
    _attach_papers(meetings, audience)
    inquiries = (
        Inquiry.objects.filter(board_id__in=board_ids)
        .exclude(stage=Inquiry.Stage.CLOSED)
        .select_related("board")
        .order_by("board__name", "title")
    )
    overdue = (
        Recommendation.objects.visible_to(audience)
        .published()
        .filter(statement__inquiry__board_id__in=board_ids)
        .overdue(today)
        .select_related("statement__inquiry", "parent")
        .order_by("deadline_on", "pk")
    )
    # Decisions they may call in now (a member of the executive cannot call in its own), and
    # the call-ins they signed.
    open_to_call_in = (
        ExecutiveDecision.objects.visible_to(audience)
        .published()
        .not_called_in()
        .filter(withdrawn_at__isnull=True, exclusion="", call_in_closes_at__gt=timezone.now())
        .annotate(
            call_in_requested=Exists(CallIn.objects.to_validate().filter(decision=OuterRef("pk")))
        )
        .select_related("maker_body")
        .order_by("call_in_closes_at", "pk")
    )
    signed = [
        (call_in, decision_status.call_in_progress(call_in))
        for call_in in CallIn.objects.filter(signatories__user=user)
        .select_related("decision", "board")
        .order_by("-requested_at", "-pk")
    ]
    return render(
        request,
        "home/councillor_home.html",
        {
            "memberships": memberships,
            "meetings": meetings,
            "inquiries": inquiries,
            "overdue": overdue,
            "open_to_call_in": open_to_call_in,
            "member_board_ids": audience.member_board_ids,
            "call_ins_signed": signed,
        },
    )


def _attach_papers(meetings: list[Meeting], audience: Audience) -> None:
    """Each meeting's published papers as the audience may see them, in agenda order, each
    with the notice of its exemption if it is exempt (one query for every meeting)."""
    papers = (
        Paper.objects.visible_to(audience)
        .filter(
            agenda_item__meeting__in=meetings,
            publication__isnull=False,
            withdrawn_at__isnull=True,
            agenda_item__withdrawn_at__isnull=True,
        )
        .select_related("agenda_item", "parent")
    )
    by_meeting: dict[int, list[Paper]] = {meeting.pk: [] for meeting in meetings}
    for paper in sorted(papers, key=_paper_order):
        # Read by the template beside the paper's title; not a field of the model.
        paper.exemption = _exemption(paper)  # type: ignore[attr-defined]
        by_meeting[paper.agenda_item.meeting_id].append(paper)
    for meeting in meetings:
        meeting.papers = by_meeting[meeting.pk]  # type: ignore[attr-defined]


def _exemption(paper: Paper) -> str:
    """The notice that keeps the paper from the public, if it, its item or its report is
    exempt; otherwise nothing."""
    for holder in (paper, paper.agenda_item, paper.parent):
        if holder is not None and holder.exempt:
            return holder.exemption_notice
    return ""


@require_GET
@ability_required(Ability.ADMINISTER)
def administrator_home(request: HttpRequest) -> HttpResponse:
    return render(request, "home/administrator_home.html")


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/sign_in.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return landing_url(self.request.user)


class SignOutView(auth_views.LogoutView):
    next_page = "home:home"  # a URL name: LogoutView resolves it


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("accounts:password-changed")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_changed.html"


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement public sector bodies must publish (Public Sector Bodies
    (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018), in the shape of
    the GOV.UK model statement, with the council's own contact details."""
    council = Council.load()
    reviewed_on = settings.ACCESSIBILITY_STATEMENT_REVIEWED_ON or (
        timezone.localdate(council.modified) if council.modified else None
    )
    return render(
        request,
        "home/accessibility.html",
        {
            "council": council,
            "site_url": settings.SITE_URL or request.build_absolute_uri("/").rstrip("/"),
            "prepared_on": timezone.localdate(council.created) if council.created else None,
            "reviewed_on": reviewed_on,
        },
    )


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and crawlers ask for ``/favicon.ico`` whatever the pages link to: send them to
    the icon among the static files (whose address is hashed in production, so not a permanent
    redirect)."""
    return HttpResponseRedirect(static("img/favicon.ico"))


#: What a storage backend is asked, to show it answers (whether the file exists does not matter).
HEALTH_PROBE = "healthz-probe"


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For a load balancer: 200 "ok" when the database answers a query and the file storage
    answers a question, otherwise 503 "unavailable". It says nothing else (no versions, no
    errors, no timings), whoever asks; the failure is in the log."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        default_storage.exists(HEALTH_PROBE)
    except Exception:  # any failure of either is "unavailable"
        logger.exception("Health check failed")
        return HttpResponse("unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
