"""Writing a plan (``transfer.plan``) into the domain: people, wards and parties, bodies and
memberships, meetings with their venues and municipal years, agendas with their items and
papers, the agendas' publication, and who attended.

History is written as it was, not made again: records are saved directly, each checked with
``full_clean()`` first (its problems become the row's), and no service that announces news is
called. An agenda that was published is recorded as *published before it was entered here*
(``Publication.recorded_at``), as a clerk records a meeting held before the council used the
app, so nobody is e-mailed and no pack is queued. Search indexes what was written, through the
domain's own signal (``boards.signals.changed``), once, at the end.

An empty value in the source leaves what is there (a telephone number added by hand stays);
a value given is written. A meeting that was already in the app with an agenda of its own keeps
that agenda: the source's items for it are left out, with a warning.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.core.files import File
from django.db.models import F, Model
from django.utils import timezone
from django.utils.text import slugify

from boards import publication as deadlines
from boards import services, signals
from boards.models import (
    AgendaItem,
    Board,
    Meeting,
    Membership,
    Paper,
    Party,
    Person,
    Publication,
    Venue,
    Ward,
)
from minutes.models import Attendance
from transfer.importing import CREATED, UNCHANGED, UPDATED, Importer
from transfer.plan import (
    AttendanceRow,
    BodyRow,
    ItemRow,
    MeetingRow,
    MembershipRow,
    PaperRow,
    PersonRow,
    Plan,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# How a source's columns are named, for the problems of each kind of row.
MEETING_FIELDS = {"starts_at": "date", "ends_at": "ends", "status_reason": "status_reason"}
ITEM_FIELDS = {"exempt_paragraph": "exempt_paragraph", "published_number": "published_number"}
BODY_FIELDS = {"starts_on": "set_up_on", "ends_on": "last_day"}


def write(importer: Importer, plan: Plan, *, by: User | None) -> None:
    """Write every row of the plan that makes a valid record; the others' problems are
    recorded (and then nothing is kept: ``transfer.importing.execute``)."""
    _Writer(importer, plan, by).write()


def _given(**values: Any) -> dict[str, Any]:
    """The values given: an empty one leaves the record's own."""
    return {name: value for name, value in values.items() if value not in ("", None)}


class _Writer:
    def __init__(self, importer: Importer, plan: Plan, by: User | None) -> None:
        self.importer = importer
        self.plan = plan
        self.by = by
        self.now = timezone.now()
        self.people: dict[str, Person] = {}
        self.bodies: dict[str, Board] = {}
        self.meetings: dict[str, Meeting] = {}
        self.publications: dict[str, Publication] = {}
        self.items: dict[str, AgendaItem] = {}
        self.papers: dict[str, Paper] = {}
        self.named: dict[tuple[type[Model], str], Model] = {}
        # Meetings already in the app with an agenda of their own: their items are left alone.
        self.kept_agendas: set[str] = set()
        self.changed: list[Model] = []
        self.moved: list[Meeting] = []
        self.done = 0
        self.missing_user_reported = False

    def write(self) -> None:
        for person in self.plan.people:
            self._person(person)
        for body in self.plan.bodies:
            self._body(body)
        for membership in self.plan.memberships:
            self._membership(membership)
        items_of: dict[str, list[ItemRow]] = defaultdict(list)
        for item in self.plan.items:
            items_of[item.meeting].append(item)
        for meeting in self.plan.meetings:
            self._meeting(meeting, items_of.get(meeting.id, []))
        for meeting_id, rows in items_of.items():
            self._agenda(meeting_id, rows)
        for paper in _parents_first(self.plan.papers):
            self._paper(paper)
        for attendance in self.plan.attendances:
            self._attendance(attendance)
        if not (self.importer.dry_run or self.importer.has_errors):
            signals.changed(*self.changed)
            for moved in self.moved:
                signals.meeting_moved.send(sender=Meeting, meeting=moved)

    def _step(self, what: str) -> None:
        self.done += 1
        self.importer.progress(f"Writing {what}", self.done, self.plan.size)

    def _note_change(self, record: Model, action: str) -> None:
        self.changed.append(record)

    # References -------------------------------------------------------------------------------

    def _ref[M: Model](
        self,
        model: type[M],
        known: dict[str, M],
        kind: str,
        external_id: str,
        *,
        where: str,
        field: str,
        noun: str,
    ) -> M | None:
        """The record a row refers to: written by this run, or imported from this source
        before. A reference to a row that could not be read is left out quietly (that row's
        problems are listed); an unknown one is a problem."""
        if not external_id:
            return None
        if external_id in known:
            return known[external_id]
        if (kind, external_id) in self.plan.failed:
            return None
        found = self.importer.find(model, external_id)
        if found is None:
            self.importer.problem(
                where,
                f"There is no {noun} with the ID “{external_id}”, in this source or imported "
                "from it before.",
                field=field,
            )
            return None
        known[external_id] = found
        return found

    def _named[M: Model](self, model: type[M], name: str, **extra: Any) -> M | None:
        """A ward, party or venue by its name (any case): the one there, or a new one."""
        key = (model, name.strip().lower())
        if key in self.named:
            return self.named[key]  # type: ignore[return-value]
        found = model._default_manager.filter(name__iexact=name.strip()).first()
        if found is not None:
            self.importer.remember(found, name.strip())
            self.importer.count(model, UNCHANGED)
        else:
            found = self.importer.upsert(
                model,
                name.strip(),
                {"name": name.strip(), **extra},
                where=f"{model._meta.verbose_name} “{name}”",
            )
        if found is not None:
            self.named[key] = found
        return found

    # Rows ---------------------------------------------------------------------------------------

    def _person(self, row: PersonRow) -> None:
        self._step("people")
        councillor = row.kind == Person.Kind.COUNCILLOR
        ward = self._named(Ward, row.ward) if councillor and row.ward else None
        party = None
        if councillor and row.party:
            party = self._named(Party, row.party)
        elif councillor and row.party_short:
            party = Party.objects.filter(short_name__iexact=row.party_short).first()
        values = {
            "kind": row.kind,
            "given_name": row.given_name,
            "family_name": row.family_name,
            **_given(
                title=row.title,
                ward=ward,
                party=party,
                job_title=row.job_title,
                organisation=row.organisation,
                email=row.email,
                telephone=row.telephone,
                elected_on=row.elected_on,
                term_ends_on=row.term_ends_on,
            ),
        }

        def same_name() -> Person | None:
            people = list(
                Person.objects.filter(
                    kind=row.kind,
                    given_name__iexact=row.given_name,
                    family_name__iexact=row.family_name,
                )[:2]
            )
            return people[0] if len(people) == 1 else None

        person = self.importer.upsert(
            Person,
            row.id,
            values,
            where=row.where,
            match=same_name,
            field_names={"elected_on": "elected_on", "term_ends_on": "term_ends_on"},
            exclude_from_clean=["photo"],
        )
        if person is not None:
            self.people[row.id] = person

    def _body(self, row: BodyRow) -> None:
        self._step("bodies")
        officer = self._ref(
            Person,
            self.people,
            "person",
            row.support_officer,
            where=row.where,
            field="support_officer",
            noun="person",
        )
        values = {
            "name": row.name,
            **_given(
                remit=row.remit,
                starts_on=row.starts_on,
                ends_on=row.ends_on,
                support_officer=officer,
            ),
        }
        create_only: dict[str, Any] = {"slug": _unique_slug(row.name)}
        if row.kind_is_guess:
            create_only["kind"] = row.kind
        else:
            values["kind"] = row.kind
        board = self.importer.upsert(
            Board,
            row.id,
            values,
            where=row.where,
            match=lambda: Board.objects.filter(name__iexact=row.name).first(),
            create_only=create_only,
            field_names=BODY_FIELDS,
        )
        if board is not None:
            self.bodies[row.id] = board

    def _membership(self, row: MembershipRow) -> None:
        self._step("memberships")
        board = self._body_ref(row.body, row.where)
        person = self._person_ref(row.person, row.where)
        if board is None or person is None:
            return
        self.importer.upsert(
            Membership,
            row.id,
            {
                "board": board,
                "person": person,
                "role": row.role,
                "starts_on": row.starts_on,
                "ends_on": row.ends_on,
            },
            where=row.where,
            match=lambda: Membership.objects.filter(
                board=board, person=person, role=row.role, starts_on=row.starts_on
            ).first(),
        )

    def _person_ref(self, external_id: str, where: str) -> Person | None:
        return self._ref(
            Person, self.people, "person", external_id, where=where, field="person", noun="person"
        )

    def _body_ref(self, external_id: str, where: str) -> Board | None:
        return self._ref(
            Board, self.bodies, "body", external_id, where=where, field="body", noun="body"
        )

    def _meeting(self, row: MeetingRow, items: list[ItemRow]) -> None:
        self._step("meetings")
        board = self._body_ref(row.body, row.where)
        if board is None:
            return
        existing = self.importer.find(Meeting, row.id)
        adopted = None
        if existing is None:
            adopted = Meeting.objects.filter(board=board, starts_at=row.starts_at).first()
            if adopted is not None and adopted.agenda_items.exists():
                self.kept_agendas.add(row.id)
                if items:
                    self.importer.warn(
                        row.where,
                        f"This meeting of {board} was already here with an agenda of its own: "
                        "that agenda was kept, and the source's items for it left out.",
                    )
        day = timezone.localdate(row.starts_at)
        publishing = (
            row.published
            and row.id not in self.kept_agendas
            and any(item.published for item in items)
        )
        published_at = self._published_at(row, day) if publishing else None
        if publishing and published_at is None:
            return
        status = row.status or (
            Meeting.Status.HELD
            if row.starts_at < self.now
            else Meeting.Status.AGENDA_PUBLISHED
            if publishing
            else Meeting.Status.SCHEDULED
        )
        values = {
            "board": board,
            "starts_at": row.starts_at,
            "municipal_year": services.municipal_year_for(day),
            "status": status,
            **_given(
                ends_at=row.ends_at,
                venue=self._named(Venue, row.venue[:200]) if row.venue else None,
                status_reason=row.status_reason,
                agenda_published_at=published_at,
            ),
        }
        before = existing.starts_at if existing is not None else None
        meeting = self.importer.upsert(
            Meeting,
            row.id,
            values,
            where=row.where,
            match=lambda: adopted,
            create_only={"compiler": board.support_officer},
            field_names=MEETING_FIELDS,
        )
        if meeting is None:
            return
        self.meetings[row.id] = meeting
        if before is not None and before != meeting.starts_at:
            Meeting.objects.filter(pk=meeting.pk).update(sequence=F("sequence") + 1)
            self.moved.append(meeting)
        if published_at is not None:
            self._publication(row, meeting, published_at)

    def _published_at(self, row: MeetingRow, day: datetime.date) -> datetime.datetime | None:
        """When the agenda went out: the day the source gives, or else its deadline (five
        clear working days before), never after the meeting nor later than today. Only the day
        is known, so it is dated at the start of that day."""
        if self.by is None:
            if not self.missing_user_reported:
                self.importer.problem(
                    "The import",
                    "Agendas are recorded as published by the person who imports them: start "
                    "the import signed in, or give the command --user.",
                )
                self.missing_user_reported = True
            return None
        published_on = row.published_on or deadlines.publication_deadline(day)
        if published_on > day:
            self.importer.problem(
                row.where,
                "The agenda cannot have been published after the meeting.",
                field="published_on",
            )
            return None
        published_on = min(published_on, timezone.localdate(self.now))
        return timezone.make_aware(datetime.datetime.combine(published_on, datetime.time.min))

    def _publication(
        self, row: MeetingRow, meeting: Meeting, published_at: datetime.datetime
    ) -> None:
        published_on = timezone.localdate(published_at)
        record = self.importer.upsert(
            Publication,
            f"{row.id}:agenda",
            {
                "meeting": meeting,
                "kind": Publication.Kind.AGENDA,
                "published_at": published_at,
                "published_time_known": False,
                "deadline": meeting.publication_deadline,
                "late": deadlines.is_late(published_on, meeting.date),
            },
            where=row.where,
            match=lambda: meeting.publications.filter(kind=Publication.Kind.AGENDA).first(),
            create_only={"recorded_at": self.now, "recorded_by": self.by},
            field_names={"published_at": "published_on"},
        )
        if record is not None:
            self.publications[row.id] = record

    def _agenda(self, meeting_id: str, rows: list[ItemRow]) -> None:
        if meeting_id in self.kept_agendas:
            return
        where = rows[0].where if rows else ""
        meeting = self._ref(
            Meeting,
            self.meetings,
            "meeting",
            meeting_id,
            where=where,
            field="meeting",
            noun="meeting",
        )
        if meeting is None:
            return
        numbers: dict[str, int] = {}
        taken: dict[int, ItemRow] = {}
        last = 0
        for row in rows:
            number = row.number if row.number is not None else last + 1
            if number in taken:
                self.importer.problem(
                    row.where,
                    f"Item {number} of this meeting is already row “{taken[number].where}”: "
                    "give each item its own number.",
                    field="number",
                )
                continue
            taken[number] = row
            numbers[row.id] = number
            last = max(last, number)
        # Items already imported that move to another place step out of the way first, so no
        # two share a number at any moment.
        moving = [
            item.pk
            for row in rows
            if row.id in numbers
            and (item := self.importer.find(AgendaItem, row.id)) is not None
            and item.meeting_id == meeting.pk
            and item.number != numbers[row.id]
        ]
        if moving:
            AgendaItem.objects.filter(pk__in=moving).update(number=F("number") + 1000)
        publication = self.publications.get(meeting_id) or (
            meeting.publications.filter(kind=Publication.Kind.AGENDA).first()
            if meeting.is_agenda_published
            else None
        )
        for row in rows:
            if row.id in numbers:
                self._item(row, meeting, numbers[row.id], publication)

    def _item(
        self, row: ItemRow, meeting: Meeting, number: int, publication: Publication | None
    ) -> None:
        self._step("agenda items")
        wards = [ward for name in row.wards if (ward := self._named(Ward, name)) is not None]
        values: dict[str, Any] = {
            "meeting": meeting,
            "number": number,
            "published_number": row.published_number,
            "title": row.title,
            "exempt": row.exempt,
            "exempt_paragraph": row.exempt_paragraph,
            **_given(
                purpose=row.purpose,
                publication=publication if row.published else None,
            ),
        }
        create_only = {}
        if row.kind_is_guess:
            create_only["kind"] = row.kind
        else:
            values["kind"] = row.kind
        item = self.importer.upsert(
            AgendaItem,
            row.id,
            values,
            where=row.where,
            create_only=create_only,
            m2m={"wards": wards} if row.wards else None,
            field_names=ITEM_FIELDS,
            on_change=self._note_change,
        )
        if item is not None:
            self.items[row.id] = item

    def _paper(self, row: PaperRow) -> None:
        self._step("papers")
        item = self._ref(
            AgendaItem, self.items, "item", row.item, where=row.where, field="item", noun="item"
        )
        if item is None:
            return
        parent = self._ref(
            Paper,
            self.papers,
            "paper",
            row.parent,
            where=row.where,
            field="appendix_to",
            noun="paper",
        )
        if row.parent and parent is None:
            return
        if parent is not None and parent.agenda_item_id != item.pk:
            self.importer.problem(
                row.where,
                "A paper is an appendix to a report of the same item.",
                field="appendix_to",
            )
            return
        position = (
            row.position
            or sum(1 for paper in self.papers.values() if paper.agenda_item_id == item.pk) + 1
        )
        values: dict[str, Any] = {
            "agenda_item": item,
            "parent": parent,
            "position": position,
            "kind": row.kind,
            "title": row.title,
            "exempt": row.exempt,
            "exempt_paragraph": row.exempt_paragraph,
            **_given(
                publication=item.publication if row.published and item.publication_id else None
            ),
        }
        actions: list[str] = []
        paper = self.importer.upsert(
            Paper,
            row.id,
            values,
            where=row.where,
            exclude_from_clean=["file"],
            field_names={"exempt_paragraph": "exempt_paragraph"},
            on_change=lambda record, action: actions.append(action),
        )
        if paper is None:
            return
        self.papers[row.id] = paper
        file_changed = row.pdf is not None and (
            not paper.file or self.importer.fingerprint_of(Paper, row.id) != row.pdf.fingerprint
        )
        if file_changed and row.pdf is not None:
            if not actions:
                _recount(self.importer, Paper, UNCHANGED, UPDATED)
            if not self.importer.dry_run:
                with row.pdf.path.open("rb") as content:
                    paper.file.save(row.pdf.original_name, File(content), save=False)
                self.importer.stored(paper.file.storage, paper.file.name or "")
                paper.original_filename = row.pdf.original_name
                paper.file_size = row.pdf.size
                paper.page_count = row.pdf.pages
                paper.text = row.pdf.text
                paper.save()
                self.importer.remember(paper, row.id, fingerprint=row.pdf.fingerprint)
        if actions or file_changed:
            self.changed.append(paper)

    def _attendance(self, row: AttendanceRow) -> None:
        self._step("attendance")
        meeting = self._ref(
            Meeting,
            self.meetings,
            "meeting",
            row.meeting,
            where=row.where,
            field="meeting",
            noun="meeting",
        )
        person = self._ref(
            Person,
            self.people,
            "person",
            row.person,
            where=row.where,
            field="person",
            noun="person",
        )
        if meeting is None or person is None:
            return
        self.importer.upsert(
            Attendance,
            row.id,
            {
                "meeting": meeting,
                "person": person,
                "kind": row.kind,
                "status": row.status,
                "capacity": row.capacity,
            },
            where=row.where,
            match=lambda: Attendance.objects.filter(meeting=meeting, person=person).first(),
        )


def _parents_first(papers: list[PaperRow]) -> list[PaperRow]:
    """Reports before the appendices that name them."""
    return sorted(papers, key=lambda row: 1 if row.parent else 0)


def _recount(importer: Importer, model: type[Model], was: str, now: str) -> None:
    kind = importer.counts.setdefault(model._meta.model_name or "", {})
    kind[was] = kind.get(was, 0) - 1
    if not kind[was]:
        del kind[was]
    kind[now] = kind.get(now, 0) + 1


def _unique_slug(name: str) -> str:
    base = slugify(name)[:90] or "body"
    slug, n = base, 2
    while Board.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


__all__ = ["CREATED", "UNCHANGED", "UPDATED", "write"]
