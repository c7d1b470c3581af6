"""Open data: the council's boards, people, meetings and papers as OParl 1.1 objects, and the
inquiries, recommendations, responses and tracking categories OParl has no place for, as objects
of our own documented extension (``docs/api.md``). Executive decisions are OParl Papers (paperType
"Executive decision") and their call-ins Consultations (role "Call-in"), with ``scrutiny:``
properties of their own, each set described by a schema of the extension.

The API is anonymous: whoever asks, every query here starts from ``Audience.public()`` and the
``visible_to`` queryset methods, so it serves only what the public may read. An exempt agenda
item is listed with ``public: false`` and its title only; an exempt paper with its title and the
paragraph of Schedule 12A that keeps it back, and no File. Withdrawn records are OParl's "deleted"
objects: their id, type, created and modified times, and ``deleted: true``.

Each ``queryset`` here fetches what its objects need in a fixed number of queries, whatever the
number of rows; each serialiser then reads only what was fetched.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING, TypedDict, cast

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from boards import uploads
from boards.models import (
    AgendaItem,
    Board,
    Council,
    Meeting,
    Membership,
    MunicipalYear,
    Paper,
    Person,
    Venue,
)
from boards.models.exemption import ContentVisible
from boards.visibility import Audience
from decisions import status
from decisions.models import CallIn, ExecutiveDecision
from inquiries.models import Inquiry, Session, StageChange
from minutes.models import Minute, MinutesRecord, Resolution
from recommendations.models import (
    Judgement,
    ProgressUpdate,
    Recommendation,
    Response,
    Statement,
    TrackingCategory,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from boards.documents import AgendaPaper
    from boards.models import Publication
    from boards.models.meetings import AgendaItemQuerySet, MeetingQuerySet
    from boards.models.papers import PaperQuerySet, VisiblePaper
    from minutes.models import VisibleMinute


class ItemRecord(ContentVisible):
    """What an agenda item's OParl object needs fetched with it."""

    reports: list[VisiblePaper]
    visible_minutes: list[VisibleMinute]


class MeetingAgenda(TypedDict):
    visible_items: list[OParlItem]


if TYPE_CHECKING:
    type OParlItem = WithAnnotations[AgendaItem, ItemRecord]
    type OParlMeeting = WithAnnotations[Meeting, MeetingAgenda]

OPARL_VERSION = "https://schema.oparl.org/1.1/"
OPARL_TYPES = (
    "System",
    "Body",
    "Organization",
    "Person",
    "Membership",
    "LegislativeTerm",
    "Meeting",
    "AgendaItem",
    "Paper",
    "File",
    "Consultation",
    "Location",
)
EXTENSION_TYPES = ("Inquiry", "Recommendation", "Response", "TrackingCategory")
# Schemas of the ``scrutiny:`` properties some OParl objects carry: an executive decision's (a
# Paper, paperType "Executive decision") and a call-in's (a Consultation, role "Call-in"). They
# are served with the types' schemas, at the extension's URLs.
EXTENSION_PROPERTIES = ("ExecutiveDecision", "CallIn")
DECISION_PAPER_TYPE = "Executive decision"
CALL_IN_ROLE = "Call-in"
# The prefix of the properties we add to OParl's own objects ("herstellerspezifische
# Erweiterungen", OParl 1.1 section 3).
PREFIX = "scrutiny:"
# UK councils publish their information under the Open Government Licence.
DEFAULT_LICENSE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
DEFAULT_PAGE_SIZE = 100  # OParl recommends at most 100 objects a page
# Lists whose objects embed many others come fewer to a page: a meeting its whole agenda, a
# paper its files and consultation. The council's few boards, years, venues and tracking
# categories come on one page (up to ALL).
PAGE_SIZES = {"meeting": 25, "paper": 50}
SMALL_LISTS = frozenset({"body", "organization", "legislativeterm", "location", "trackingcategory"})
ALL = 1000


def page_size(list_name: str) -> int:
    """How many objects a page of the list holds; ``OPARL_PAGE_SIZE``, if set, caps them all."""
    size = ALL if list_name in SMALL_LISTS else PAGE_SIZES.get(list_name, DEFAULT_PAGE_SIZE)
    ceiling = getattr(settings, "OPARL_PAGE_SIZE", None)
    return min(size, ceiling) if ceiling else size


def data_license() -> str:
    return getattr(settings, "OPARL_LICENSE", DEFAULT_LICENSE)


def date_time(value: datetime.datetime | None) -> str | None:
    """An OParl date-time: ISO 8601 with its offset, "2016-03-21T10:00:00+00:00"."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def compact(data: dict, *, keep: Iterable[str] = ()) -> dict:
    """OParl asks servers to leave out properties without a value (``null``) and empty lists,
    except the required ones, which are given even when empty."""
    keep = set(keep)
    return {
        key: value
        for key, value in data.items()
        if key in keep or not (value is None or value == [] or value == "")
    }


# What may be published. Each is the one place its rule is applied for the API.


def public() -> Audience:
    return Audience.public()


def agenda_items() -> AgendaItemQuerySet[OParlItem]:
    """Published agenda items, each with the first of its published reports (its consultation)
    and, once the minutes are published, the minute and resolutions the public may read."""
    audience = public()
    reports = (
        Paper.objects.visible_to(audience)
        .filter(parent__isnull=True)
        .only("pk", "agenda_item_id", "position")
    )
    minutes = (
        Minute.objects.visible_to(audience)
        .numbered()
        .filter(withdrawn_at__isnull=True)
        .prefetch_related(Prefetch("resolutions", queryset=Resolution.objects.order_by("position")))
        .order_by("number")
    )
    # One Prefetch a call: given two at once, django-stubs types both lists as their models'
    # common base class.
    return (
        AgendaItem.objects.visible_to(audience)
        .select_related("meeting__minutes")
        .prefetch_related(
            Prefetch("papers", queryset=reports.order_by("position", "pk"), to_attr="reports")
        )
        .prefetch_related(Prefetch("minute_entries", queryset=minutes, to_attr="visible_minutes"))
        .order_by("pk")
    )


def meetings() -> MeetingQuerySet[OParlMeeting]:
    """Every meeting is public; its agenda once published."""
    return (
        Meeting.objects.select_related("board", "venue", "minutes")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=agenda_items().order_by("number"),
                to_attr="visible_items",
            )
        )
        .order_by("pk")
    )


def papers() -> PaperQuerySet[AgendaPaper]:
    """Published reports (an OParl Paper is a report; its appendices are its files)."""
    audience = public()
    return (
        Paper.objects.visible_to(audience)
        .filter(parent__isnull=True)
        .select_related("agenda_item__meeting__board", "publication", "report_of")
        .prefetch_related(
            Prefetch(
                "appendices",
                queryset=Paper.objects.visible_to(audience)
                .select_related("publication", "agenda_item")
                .order_by("position", "pk"),
                to_attr="visible_appendices",
            )
        )
        .order_by("pk")
    )


def withdrawn() -> Q:
    return Q(withdrawn_at__isnull=False) | Q(agenda_item__withdrawn_at__isnull=False)


def paper_files() -> PaperQuerySet[VisiblePaper]:
    """Papers whose content the public may read (uploaded PDFs and reports written in the app),
    and withdrawn ones, which are listed as deleted."""
    return (
        Paper.objects.visible_to(public())
        .filter(Q(content_visible=True) | withdrawn())
        .select_related("publication", "parent", "agenda_item")
        .order_by("pk")
    )


def minutes_files() -> QuerySet[MinutesRecord]:
    """Minutes the public may read: approved ones, and drafts if the council publishes them."""
    return (
        MinutesRecord.objects.published_to(Audience.public())
        .select_related("meeting__board")
        .order_by("pk")
    )


def organizations() -> QuerySet[Board]:
    return Board.objects.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.only("pk", "board_id").order_by("pk"))
    ).order_by("pk")


def people() -> QuerySet[Person]:
    """The people who sit or sat on a board (councillors and co-opted members); officers and
    witnesses are not published as people."""
    return (
        Person.objects.filter(Exists(Membership.objects.filter(person=OuterRef("pk"))))
        .select_related("ward", "party")
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.order_by("starts_on", "pk"))
        )
        .order_by("pk")
    )


def memberships() -> QuerySet[Membership]:
    return Membership.objects.order_by("pk")


def legislative_terms() -> QuerySet[MunicipalYear]:
    """Municipal years, each with the start of the next (the day before it is its last)."""
    following = MunicipalYear.objects.filter(starts_on__gt=OuterRef("starts_on")).order_by(
        "starts_on"
    )
    return MunicipalYear.objects.annotate(
        next_starts_on=Subquery(following.values("starts_on")[:1])
    ).order_by("pk")


def locations() -> QuerySet[Venue]:
    return Venue.objects.order_by("pk")


def inquiries() -> QuerySet[Inquiry]:
    """Inquiries are public from their proposal; their statement once published, and their
    sessions once the session's agenda item is."""
    published_items = AgendaItem.objects.visible_to(public()).values("pk")
    return (
        Inquiry.objects.select_related("statement")
        .prefetch_related(
            Prefetch("stage_changes", queryset=StageChange.objects.order_by("on", "pk")),
            Prefetch(
                "sessions",
                queryset=Session.objects.filter(agenda_item__in=published_items).order_by("number"),
            ),
        )
        .order_by("pk")
    )


def recommendations() -> QuerySet[Recommendation]:
    """Recommendations of published statements, with their parts, response and tracking."""
    return (
        Recommendation.objects.visible_to(public())
        .select_related(
            "statement__inquiry",
            "parent",
            "current_category",
            "report_back_to",
            "response__actioned_by",
        )
        .prefetch_related(
            Prefetch("parts", queryset=Recommendation.objects.only("pk", "parent_id", "position")),
            "addressees",
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.select_related("considered_at").order_by(
                    "-on", "-pk"
                ),
            ),
            Prefetch(
                "judgements",
                queryset=Judgement.objects.select_related("considered_at").order_by("-on", "-pk"),
            ),
        )
        .order_by("pk")
    )


def responses() -> QuerySet[Response]:
    return Response.objects.filter(
        recommendation__in=Recommendation.objects.visible_to(public()).values("pk")
    ).select_related("recommendation", "actioned_by")


def tracking_categories() -> QuerySet[TrackingCategory]:
    return TrackingCategory.objects.order_by("pk")


def decisions() -> QuerySet[ExecutiveDecision]:
    """Published executive decisions as the public sees them, annotated ``content_visible``
    (False for an exempt or withdrawn one), each with its call-ins."""
    return (
        ExecutiveDecision.objects.visible_to(public())
        .select_related("maker_body", "maker_post", "maker_person")
        .prefetch_related(Prefetch("call_ins", queryset=call_ins().order_by("requested_at", "pk")))
        .order_by("pk")
    )


def call_ins() -> QuerySet[CallIn]:
    """The call-ins of published decisions, each annotated with whether the public may read its
    decision (``decision_readable``: the reasons given at each step are shown only then) and
    whether its item on the scrutiny board's agenda is published (``item_public``)."""
    audience = public()
    visible = ExecutiveDecision.objects.visible_to(audience)
    return (
        CallIn.objects.filter(decision__in=visible.values("pk"))
        .annotate(
            decision_readable=Subquery(
                visible.filter(pk=OuterRef("decision_id")).values("content_visible")[:1]
            ),
            item_public=Exists(
                AgendaItem.objects.visible_to(audience).filter(pk=OuterRef("agenda_item_id"))
            ),
        )
        .select_related("agenda_item")
        .prefetch_related(
            Prefetch("signatories", queryset=Person.objects.order_by("family_name", "given_name"))
        )
        .order_by("pk")
    )


def _published_at(paper: Paper) -> datetime.datetime:
    """When the paper was published: the API serves only papers the public may see, which
    are published ones (``Paper.objects.visible_to``)."""
    return cast("Publication", paper.publication).published_at


class OParl:
    """Turns records into OParl objects with absolute URLs for one request."""

    def __init__(self, request: HttpRequest):
        self.request = request
        self.base = request.build_absolute_uri("/").rstrip("/")

    # URLs and types.

    def url(self, name: str, *args) -> str:
        return self.base + reverse(f"oparl:{name}", args=args)

    def page(self, name: str, *args) -> str:
        """A page of the website (the objects' ``web``)."""
        return self.base + reverse(name, args=args)

    @staticmethod
    def type(name: str) -> str:
        return f"{OPARL_VERSION}{name}"

    def extension_type(self, name: str) -> str:
        return self.url("extension-schema", name)

    @cached_property
    def council(self) -> Council:
        return Council.load()

    @property
    def body_url(self) -> str:
        # The council is always row 1 (the constraint council_is_a_single_row): no query.
        return self.url("body", 1)

    def minutes_public(self, record: MinutesRecord | None) -> bool:
        return record is not None and record.is_published_to(Audience.public())

    def _common(self, record, type_: str, url: str) -> dict:
        return {
            "id": url,
            "type": type_,
            "created": date_time(getattr(record, "created", None)),
            "modified": date_time(getattr(record, "modified", None)),
        }

    def deleted(self, record, type_: str, url: str, **required) -> dict:
        """A withdrawn record: OParl's soft delete keeps only its id, type and times."""
        return {**self._common(record, type_, url), **required, "deleted": True}

    # System and Body.

    def system(self) -> dict:
        council = self.council
        return compact(
            {
                "id": self.url("system"),
                "type": self.type("System"),
                "oparlVersion": OPARL_VERSION,
                "license": data_license(),
                "body": self.url("body-list"),
                "name": f"{council.name}: scrutiny boards",
                "contactEmail": council.email,
                "website": council.website,
                "web": self.page("home:home"),
            }
        )

    def body(self) -> dict:
        council = self.council
        terms = [self.legislative_term(term, embedded=True) for term in legislative_terms()]
        return compact(
            {
                **self._common(council, self.type("Body"), self.body_url),
                "system": self.url("system"),
                "name": council.name,
                "website": council.website,
                "contactEmail": council.email,
                "classification": "Local authority",
                "organization": self.url("organization-list"),
                "person": self.url("person-list"),
                "meeting": self.url("meeting-list"),
                "paper": self.url("paper-list"),
                "agendaItem": self.url("agendaitem-list"),
                "consultation": self.url("consultation-list"),
                "file": self.url("file-list"),
                "locationList": self.url("location-list"),
                "legislativeTermList": self.url("legislativeterm-list"),
                "membership": self.url("membership-list"),
                "legislativeTerm": terms,
                "web": self.page("home:home"),
                f"{PREFIX}inquiry": self.url("inquiry-list"),
                f"{PREFIX}recommendation": self.url("recommendation-list"),
                f"{PREFIX}trackingCategory": self.url("trackingcategory-list"),
            },
            keep=["legislativeTerm"],
        )

    def legislative_term(self, term: MunicipalYear, *, embedded: bool = False) -> dict:
        """A municipal year: from one annual meeting to the day before the next."""
        next_start = getattr(term, "next_starts_on", None)
        return compact(
            {
                **self._common(
                    term, self.type("LegislativeTerm"), self.url("legislativeterm", term.pk)
                ),
                "body": None if embedded else self.body_url,
                "name": term.label,
                "startDate": date(term.starts_on),
                "endDate": date(next_start - datetime.timedelta(days=1)) if next_start else None,
            }
        )

    # Organizations, people and memberships.

    def organization(self, board: Board) -> dict:
        return compact(
            {
                **self._common(
                    board, self.type("Organization"), self.url("organization", board.pk)
                ),
                "body": self.body_url,
                "name": board.name,
                "organizationType": "Gremium",
                "classification": board.get_kind_display(),
                "membership": [self.url("membership", m.pk) for m in board.memberships.all()],
                "meeting": self.url("organization-meeting-list", board.pk),
                "web": self.page("boards:board-detail", board.slug),
                f"{PREFIX}remit": board.remit,
                f"{PREFIX}inquiry": self.url("organization-inquiry-list", board.pk),
            }
        )

    def person(self, person: Person) -> dict:
        councillor = person.kind == Person.Kind.COUNCILLOR
        return compact(
            {
                **self._common(person, self.type("Person"), self.url("person", person.pk)),
                "body": self.body_url,
                "name": person.display_name,
                "familyName": person.family_name,
                "givenName": person.given_name,
                "formOfAddress": "Councillor" if councillor else person.title,
                "status": [person.get_kind_display()],
                "membership": [self.membership(m, embedded=True) for m in person.memberships.all()],
                f"{PREFIX}ward": person.ward.name if person.ward else None,
                f"{PREFIX}party": person.party.name if person.party else None,
            }
        )

    def membership(self, membership: Membership, *, embedded: bool = False) -> dict:
        return compact(
            {
                **self._common(
                    membership, self.type("Membership"), self.url("membership", membership.pk)
                ),
                "person": None if embedded else self.url("person", membership.person_id),
                "organization": self.url("organization", membership.board_id),
                "role": membership.get_role_display(),
                "votingRight": membership.role != Membership.Role.COOPTED_NON_VOTING,
                "startDate": date(membership.starts_on),
                "endDate": date(membership.ends_on),
            }
        )

    # Meetings and their agendas.

    def location(self, venue: Venue, *, embedded: bool = False) -> dict:
        return compact(
            {
                **self._common(venue, self.type("Location"), self.url("location", venue.pk)),
                "description": venue.one_line,
                "streetAddress": ", ".join(venue.address.splitlines()),
                "bodies": None if embedded else [self.body_url],
            }
        )

    def meeting(self, meeting: OParlMeeting) -> dict:
        record: MinutesRecord | None = getattr(meeting, "minutes", None)
        return compact(
            {
                **self._common(meeting, self.type("Meeting"), self.url("meeting", meeting.pk)),
                "name": str(meeting),
                "meetingState": meeting.get_status_display(),
                "cancelled": meeting.is_cancelled,
                "start": date_time(meeting.starts_at),
                "end": date_time(meeting.ends_at),
                "location": self.location(meeting.venue, embedded=True) if meeting.venue else None,
                "organization": [self.url("organization", meeting.board_id)],
                "resultsProtocol": (
                    self.minutes_file(record, embedded=True)
                    if record is not None and self.minutes_public(record)
                    else None
                ),
                "agendaItem": [
                    self.agenda_item(item, meeting=meeting, embedded=True)
                    for item in meeting.visible_items
                ],
                "web": self.page("boards:meeting-detail", meeting.pk),
            }
        )

    def agenda_item(
        self, item: OParlItem, *, meeting: Meeting | None = None, embedded: bool = False
    ) -> dict:
        """An item of a published agenda. Exempt: ``public: false`` and only its title."""
        url = self.url("agendaitem", item.pk)
        type_ = self.type("AgendaItem")
        if item.is_withdrawn:
            return self.deleted(item, type_, url, order=item.number)
        meeting = meeting or item.meeting
        content = item.content_visible
        return compact(
            {
                **self._common(item, type_, url),
                "meeting": None if embedded else self.url("meeting", item.meeting_id),
                "number": item.shown_number,
                "order": item.number,
                "name": item.title,
                "public": not item.exempt,
                "consultation": (
                    self.url("consultation", item.reports[0].pk) if item.reports else None
                ),
                "resolutionText": self._resolutions(item, meeting) if content else None,
                f"{PREFIX}purpose": item.purpose if content else None,
                f"{PREFIX}exemptionNotice": item.exemption_notice,
            },
            keep=["order"],
        )

    def _resolutions(self, item: OParlItem, meeting: Meeting) -> str | None:
        if not self.minutes_public(getattr(meeting, "minutes", None)):
            return None
        lines = [
            f"{resolution.marker} {resolution.text}"
            for minute in item.visible_minutes
            if minute.content_visible
            for resolution in minute.resolutions.all()
        ]
        return "\n".join(lines) or None

    # Papers, consultations and files.

    def paper(self, paper: AgendaPaper) -> dict:
        url = self.url("paper", paper.pk)
        type_ = self.type("Paper")
        if paper.is_withdrawn or paper.agenda_item.is_withdrawn:
            return self.deleted(paper, type_, url)
        item = paper.agenda_item
        readable = paper.content_visible
        return compact(
            {
                **self._common(paper, type_, url),
                "body": self.body_url,
                "name": paper.title,
                "date": date(paper.report_date or timezone.localdate(_published_at(paper))),
                "paperType": paper.get_kind_display(),
                "mainFile": self.paper_file(paper, embedded=True) if readable else None,
                "auxiliaryFile": [
                    self.paper_file(appendix, embedded=True)
                    for appendix in paper.visible_appendices
                    if appendix.content_visible
                ],
                "consultation": [self.consultation(paper, embedded=True)],
                "web": self.page("boards:paper-detail", paper.pk),
                f"{PREFIX}reportOf": paper.report_of.title if paper.report_of else None,
                f"{PREFIX}exemptionNotice": (
                    (paper.exemption_notice or item.exemption_notice) if not readable else None
                ),
            }
        )

    def consultation(self, paper: Paper, *, embedded: bool = False) -> dict:
        """A report's consideration at a meeting: the paper, its agenda item and the meeting."""
        url = self.url("consultation", paper.pk)
        type_ = self.type("Consultation")
        if paper.is_withdrawn or paper.agenda_item.is_withdrawn:
            return self.deleted(paper, type_, url)
        item = paper.agenda_item
        return compact(
            {
                **self._common(paper, type_, url),
                "paper": None if embedded else self.url("paper", paper.pk),
                "agendaItem": self.url("agendaitem", item.pk),
                "meeting": self.url("meeting", item.meeting_id),
                "organization": [self.url("organization", item.meeting.board_id)],
            }
        )

    def paper_file(self, paper: Paper, *, embedded: bool = False) -> dict:
        """A paper the public may read: an uploaded PDF, or a report written in the app (its
        page). Only for readable papers: an exempt paper has no file."""
        url = self.url("file-paper", paper.pk)
        type_ = self.type("File")
        if paper.is_withdrawn or paper.agenda_item.is_withdrawn:
            return self.deleted(
                paper, type_, url, accessUrl=self.page("boards:paper-detail", paper.pk)
            )
        upload = paper.is_upload
        return compact(
            {
                **self._common(paper, type_, url),
                "name": paper.title,
                "fileName": uploads.safe_download_name(paper.title) if upload else None,
                "mimeType": "application/pdf" if upload else "text/html",
                "date": date(timezone.localdate(_published_at(paper))),
                "size": paper.file_size if upload else None,
                "accessUrl": self.page(
                    "boards:paper-download" if upload else "boards:paper-detail", paper.pk
                ),
                "downloadUrl": self.url("file-paper-download", paper.pk) if upload else None,
                "paper": None if embedded else [self.url("paper", paper.parent_id or paper.pk)],
                "web": self.page("boards:paper-detail", paper.pk),
            }
        )

    def minutes_file(self, record: MinutesRecord, *, embedded: bool = False) -> dict:
        meeting_id = record.meeting_id
        return compact(
            {
                **self._common(record, self.type("File"), self.url("file-minutes", record.pk)),
                "name": "Minutes" if record.is_approved else "Draft minutes",
                "fileName": f"minutes-{record.meeting.date.isoformat()}.pdf",
                "mimeType": "application/pdf",
                "date": date(timezone.localdate(record.approved_on))
                if record.approved_on
                else None,
                "accessUrl": self.page("minutes:minutes-pdf", meeting_id),
                "meeting": None if embedded else [self.url("meeting", meeting_id)],
                "web": self.page("minutes:minutes-detail", meeting_id),
            }
        )

    def file(self, record: Paper | MinutesRecord) -> dict:
        if isinstance(record, MinutesRecord):
            return self.minutes_file(record)
        return self.paper_file(record)

    # Executive decisions (Papers) and their call-ins (Consultations).

    def any_paper(self, record: AgendaPaper | ExecutiveDecision) -> dict:
        if isinstance(record, ExecutiveDecision):
            return self.decision(record)
        return self.paper(record)

    def any_consultation(self, record: Paper | CallIn) -> dict:
        if isinstance(record, CallIn):
            return self.call_in(record)
        return self.consultation(record)

    def decision(self, decision: ExecutiveDecision) -> dict:
        """A published executive decision. Exempt: its title, maker, date, where it stands and
        the notice of its paragraph; not its decision, reasons, alternatives or declarations."""
        url = self.url("paper-decision", decision.pk)
        type_ = self.type("Paper")
        if decision.is_withdrawn:
            return self.deleted(decision, type_, url)
        readable = bool(getattr(decision, "content_visible", False))
        call_ins = list(decision.call_ins.all())
        standing = status.standing(decision, call_ins, now=timezone.now())

        def text(value: str) -> str | None:
            return value if readable else None

        return compact(
            {
                **self._common(decision, type_, url),
                "body": self.body_url,
                "name": decision.title,
                "reference": decision.reference,
                "date": date(decision.decided_on),
                "paperType": DECISION_PAPER_TYPE,
                "originatorOrganization": [self.url("organization", decision.maker_body_id)],
                "consultation": [self.call_in(call_in, embedded=True) for call_in in call_ins],
                "web": self.page("decisions:decision-detail", decision.pk),
                f"{PREFIX}decisionMakerType": decision.get_maker_display(),
                f"{PREFIX}decisionMaker": status.decision_maker(decision),
                f"{PREFIX}keyDecision": decision.key_decision,
                f"{PREFIX}publishedAt": date_time(decision.published_at),
                f"{PREFIX}callIn": decision.get_exclusion_display(),
                f"{PREFIX}exclusionReason": text(decision.exclusion_reason),
                f"{PREFIX}callInCloses": date_time(decision.call_in_closes_at),
                f"{PREFIX}standing": standing.stage.value,
                f"{PREFIX}standingText": standing.headline,
                f"{PREFIX}mayBeImplemented": standing.may_implement,
                f"{PREFIX}implementationDate": date(standing.implement_from),
                f"{PREFIX}decision": text(decision.decision),
                f"{PREFIX}reasons": text(decision.reasons),
                f"{PREFIX}alternatives": text(decision.alternatives),
                f"{PREFIX}declarations": text(decision.declarations),
                f"{PREFIX}dispensation": text(decision.dispensation),
                f"{PREFIX}exemptionNotice": None if readable else decision.exemption_notice,
            }
        )

    def call_in(self, call_in: CallIn, *, embedded: bool = False) -> dict:
        """A call-in, as the scrutiny board's consideration of the decision: its steps, dated;
        the reasons given at each only where the public may read the decision."""
        readable = bool(getattr(call_in, "decision_readable", False))
        # Its item on the scrutiny board's agenda, once that is published.
        item = call_in.agenda_item if getattr(call_in, "item_public", False) else None
        signatories = call_in.signatories.all()

        def text(value: str) -> str | None:
            return value if readable else None

        return compact(
            {
                **self._common(
                    call_in, self.type("Consultation"), self.url("consultation-call-in", call_in.pk)
                ),
                "paper": None if embedded else self.url("paper-decision", call_in.decision_id),
                "agendaItem": self.url("agendaitem", item.pk) if item else None,
                "meeting": self.url("meeting", item.meeting_id) if item else None,
                "organization": [self.url("organization", call_in.board_id)],
                "authoritative": False,
                "role": CALL_IN_ROLE,
                "web": self.page("decisions:call-in-detail", call_in.pk),
                f"{PREFIX}step": status.call_in_step(call_in),
                f"{PREFIX}requested": date_time(call_in.requested_at),
                f"{PREFIX}signatory": [person.display_name for person in signatories],
                f"{PREFIX}reasons": text(call_in.reasons),
                f"{PREFIX}checkedDate": date(call_in.checked_on),
                f"{PREFIX}valid": call_in.valid,
                f"{PREFIX}checkReasons": text(call_in.check_reasons),
                f"{PREFIX}meetingDueDate": date(call_in.meeting_due_on),
                f"{PREFIX}outcome": call_in.get_outcome_display() or None,
                f"{PREFIX}outcomeDate": date(call_in.outcome_on),
                f"{PREFIX}outcomeReasons": text(call_in.outcome_reasons),
                f"{PREFIX}councilOutcome": call_in.get_council_outcome_display() or None,
                f"{PREFIX}councilOutcomeDate": date(call_in.council_outcome_on),
                f"{PREFIX}councilOutcomeReasons": text(call_in.council_outcome_reasons),
                f"{PREFIX}finalDecision": call_in.get_final_display() or None,
                f"{PREFIX}concludedDate": date(call_in.concluded_on),
                f"{PREFIX}finalReasons": text(call_in.final_reasons),
                f"{PREFIX}withdrawn": date_time(call_in.withdrawn_at),
                f"{PREFIX}withdrawalReason": text(call_in.withdrawal_reason),
            }
        )

    # The extension: inquiries, recommendations, responses and tracking categories.

    def inquiry(self, inquiry: Inquiry) -> dict:
        statement: Statement | None = getattr(inquiry, "statement", None)
        return compact(
            {
                **self._common(
                    inquiry, self.extension_type("Inquiry"), self.url("inquiry", inquiry.pk)
                ),
                "body": self.body_url,
                "organization": self.url("organization", inquiry.board_id),
                "name": inquiry.title,
                "stage": inquiry.get_stage_display(),
                "stageHistory": [
                    {"stage": change.get_stage_display(), "date": date(change.on)}
                    for change in inquiry.stage_changes.all()
                ],
                "scope": inquiry.scope,
                "linesOfEnquiry": inquiry.lines_of_enquiry,
                "session": [
                    self.url("agendaitem", session.agenda_item_id)
                    for session in inquiry.sessions.all()
                ],
                "statement": (
                    compact(
                        {
                            "name": statement.title,
                            "publishedDate": date(statement.published_on),
                            "responseDueDate": date(statement.response_due_on),
                            "web": self.page("statements:statement-detail", inquiry.slug),
                        }
                    )
                    if statement is not None and statement.is_published
                    else None
                ),
                "recommendation": self.url("inquiry-recommendation-list", inquiry.pk),
                "web": self.page("inquiries:inquiry-detail", inquiry.slug),
            }
        )

    def recommendation(self, recommendation: Recommendation) -> dict:
        parts = list(recommendation.parts.all())
        tracked = not parts
        response = getattr(recommendation, "response", None)
        category = recommendation.current_category_id
        return compact(
            {
                **self._common(
                    recommendation,
                    self.extension_type("Recommendation"),
                    self.url("recommendation", recommendation.pk),
                ),
                "inquiry": self.url("inquiry", recommendation.statement.inquiry_id),
                "reference": recommendation.reference,
                "text": recommendation.text,
                "parent": (
                    self.url("recommendation", recommendation.parent_id)
                    if recommendation.parent_id
                    else None
                ),
                "part": [
                    self.url("recommendation", part.pk)
                    for part in sorted(parts, key=lambda part: part.position)
                ],
                "addressee": [post.title for post in recommendation.addressees.all()],
                "deadline": date(recommendation.deadline_on),
                "deadlineText": recommendation.deadline_text,
                "reportBackTo": (
                    self.url("organization", recommendation.report_back_to_id)
                    if recommendation.report_back_to_id
                    else None
                ),
                "response": self.response(response, embedded=True) if response else None,
                "trackingCategory": (self.url("trackingcategory", category) if category else None),
                "overdue": (recommendation.is_overdue(timezone.localdate()) if tracked else None),
                "progressUpdate": [
                    compact(
                        {
                            "date": date(update.on),
                            "text": update.text,
                            "meeting": self._meeting_of(update.considered_at),
                        }
                    )
                    for update in recommendation.updates.all()
                ],
                "judgement": [
                    compact(
                        {
                            "date": date(judgement.on),
                            "trackingCategory": self.url("trackingcategory", judgement.category_id),
                            "note": judgement.note,
                            "meeting": self._meeting_of(judgement.considered_at),
                        }
                    )
                    for judgement in recommendation.judgements.all()
                ],
                "web": self.page("recommendations:recommendation-detail", recommendation.pk),
            }
        )

    def _meeting_of(self, item: AgendaItem | None) -> str | None:
        return self.url("meeting", item.meeting_id) if item else None

    def response(self, response: Response, *, embedded: bool = False) -> dict:
        return compact(
            {
                **self._common(
                    response, self.extension_type("Response"), self.url("response", response.pk)
                ),
                "recommendation": (
                    None if embedded else self.url("recommendation", response.recommendation_id)
                ),
                "decision": response.get_decision_display(),
                "text": response.text,
                "date": date(response.responded_on),
                "actionedBy": response.actioned_by.title if response.actioned_by else None,
            }
        )

    def tracking_category(self, category: TrackingCategory) -> dict:
        return compact(
            {
                **self._common(
                    category,
                    self.extension_type("TrackingCategory"),
                    self.url("trackingcategory", category.pk),
                ),
                "body": self.body_url,
                "name": category.name,
                "description": category.description,
                "colour": category.colour,
                "endsMonitoring": category.ends_monitoring,
                "order": category.position,
            },
            keep=["endsMonitoring", "order"],
        )
