"""The OParl 1.1 objects of the full export: the council's records as OParl's types, every
record whatever its visibility (this is the council's own copy, not the public API).

Each object follows OParl's schema for its type; ``transfer.export`` adds to each the
``scrutiny:record`` it stands for. Ids are the addresses the exporting site's OParl API gives
the same records (``opendata``'s URL names, from ``SITE_URL`` or ``--site-url``): they identify
the records; they are not links that will keep working once the council has left. A File's
``scrutiny:path`` is where the file is inside the archive.

System, Consultation and File are views of records given elsewhere (the council, a report's
paper, the record naming the file), so they carry no ``scrutiny:record`` of their own.
"""

from __future__ import annotations

import mimetypes
import posixpath
from typing import Any

from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

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

OPARL_VERSION = "https://schema.oparl.org/1.1/"
PREFIX = "scrutiny:"

# The models whose records are OParl objects, and their types.
TYPE_OF = {
    "boards.council": "Body",
    "boards.board": "Organization",
    "boards.person": "Person",
    "boards.membership": "Membership",
    "boards.municipalyear": "LegislativeTerm",
    "boards.venue": "Location",
    "boards.meeting": "Meeting",
    "boards.agendaitem": "AgendaItem",
    "boards.paper": "Paper",
}
# Every type the archive's oparl/ folder holds.
TYPES = ("System", *TYPE_OF.values(), "Consultation", "File")


def compact(data: dict[str, Any], *, keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """OParl leaves out properties without a value, except the required ones."""
    return {
        key: value
        for key, value in data.items()
        if key in keep or not (value is None or value == [] or value == "")
    }


def date_time(value) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def date(value) -> str | None:
    return value.isoformat() if value else None


class OParlObjects:
    """Turns records into OParl objects, with the exporting site's addresses."""

    def __init__(self, site_url: str):
        self.base = site_url.rstrip("/")

    def url(self, name: str, *args: Any) -> str:
        return self.base + reverse(f"oparl:{name}", args=args)

    def page(self, name: str, *args: Any) -> str:
        return self.base + reverse(name, args=args)

    @staticmethod
    def oparl_type(name: str) -> str:
        return f"{OPARL_VERSION}{name}"

    def common(self, record: models.Model, type_: str, url: str) -> dict[str, Any]:
        return {
            "id": url,
            "type": self.oparl_type(type_),
            "created": date_time(getattr(record, "created", None)),
            "modified": date_time(getattr(record, "modified", None)),
        }

    @property
    def body_url(self) -> str:
        return self.url("body", 1)

    def queryset(self, model: type[models.Model]) -> models.QuerySet:
        """Every record of the model, with what its OParl object reads."""
        records = model._base_manager.all()
        if model is Board:
            return records.prefetch_related(
                Prefetch("memberships", queryset=Membership.objects.only("pk", "board_id"))
            )
        if model is Meeting:
            return records.select_related("board")
        if model is AgendaItem:
            return records.select_related("meeting")
        if model is Paper:
            return records.select_related("agenda_item__meeting").prefetch_related(
                Prefetch("appendices", queryset=Paper.objects.only("pk", "parent_id"))
            )
        return records

    def object(self, record: models.Model) -> dict[str, Any]:
        """The record's OParl object; an empty one for a record OParl has no type for."""
        if isinstance(record, Council):
            return self.body(record)
        if isinstance(record, Board):
            return self.organization(record)
        if isinstance(record, Person):
            return self.person(record)
        if isinstance(record, Membership):
            return self.membership(record)
        if isinstance(record, MunicipalYear):
            return self.legislative_term(record)
        if isinstance(record, Venue):
            return self.location(record)
        if isinstance(record, Meeting):
            return self.meeting(record)
        if isinstance(record, AgendaItem):
            return self.agenda_item(record)
        if isinstance(record, Paper):
            return self.paper(record)
        return {}

    def system(self, council: Council) -> dict[str, Any]:
        return compact(
            {
                "id": self.url("system"),
                "type": self.oparl_type("System"),
                "oparlVersion": OPARL_VERSION,
                "body": self.url("body-list"),
                "name": f"{council.name}: scrutiny boards (the council's full export)",
                "contactEmail": council.email,
                "website": council.website,
                f"{PREFIX}notice": "Not for publication: exempt information included.",
            }
        )

    def body(self, council: Council) -> dict[str, Any]:
        return compact(
            {
                **self.common(council, "Body", self.body_url),
                "system": self.url("system"),
                "name": council.name,
                "website": council.website,
                "contactEmail": council.email,
                "classification": "Local authority",
                "organization": self.url("organization-list"),
                "person": self.url("person-list"),
                "meeting": self.url("meeting-list"),
                "paper": self.url("paper-list"),
                "legislativeTerm": [],
            },
            keep=("legislativeTerm",),
        )

    def organization(self, board: Board) -> dict[str, Any]:
        return compact(
            {
                **self.common(board, "Organization", self.url("organization", board.pk)),
                "body": self.body_url,
                "name": board.name,
                "organizationType": "Gremium",
                "classification": board.get_kind_display(),
                "membership": [self.url("membership", m.pk) for m in board.memberships.all()],
                "startDate": date(board.starts_on),
                "endDate": date(board.ends_on),
                "web": self.page("boards:board-detail", board.slug),
            }
        )

    def person(self, person: Person) -> dict[str, Any]:
        councillor = person.kind == Person.Kind.COUNCILLOR
        return compact(
            {
                **self.common(person, "Person", self.url("person", person.pk)),
                "body": self.body_url,
                "name": person.display_name,
                "familyName": person.family_name,
                "givenName": person.given_name,
                "formOfAddress": "Councillor" if councillor else person.title,
                "email": [person.email] if person.email else [],
                "phone": [person.telephone] if person.telephone else [],
                "status": [person.get_kind_display()],
            }
        )

    def membership(self, membership: Membership) -> dict[str, Any]:
        return compact(
            {
                **self.common(membership, "Membership", self.url("membership", membership.pk)),
                "person": self.url("person", membership.person_id),
                "organization": self.url("organization", membership.board_id),
                "role": membership.get_role_display(),
                "votingRight": membership.role != Membership.Role.COOPTED_NON_VOTING,
                "startDate": date(membership.starts_on),
                "endDate": date(membership.ends_on),
            }
        )

    def legislative_term(self, term: MunicipalYear) -> dict[str, Any]:
        return compact(
            {
                **self.common(term, "LegislativeTerm", self.url("legislativeterm", term.pk)),
                "body": self.body_url,
                "name": term.label,
                "startDate": date(term.starts_on),
            }
        )

    def location(self, venue: Venue) -> dict[str, Any]:
        return compact(
            {
                **self.common(venue, "Location", self.url("location", venue.pk)),
                "description": venue.one_line,
                "streetAddress": ", ".join(venue.address.splitlines()),
                "bodies": [self.body_url],
            }
        )

    def meeting(self, meeting: Meeting) -> dict[str, Any]:
        return compact(
            {
                **self.common(meeting, "Meeting", self.url("meeting", meeting.pk)),
                "name": str(meeting),
                "meetingState": meeting.get_status_display(),
                "cancelled": meeting.is_cancelled,
                "start": date_time(meeting.starts_at),
                "end": date_time(meeting.ends_at),
                "organization": [self.url("organization", meeting.board_id)],
                "web": self.page("boards:meeting-detail", meeting.pk),
            }
        )

    def agenda_item(self, item: AgendaItem) -> dict[str, Any]:
        return compact(
            {
                **self.common(item, "AgendaItem", self.url("agendaitem", item.pk)),
                "meeting": self.url("meeting", item.meeting_id),
                "number": item.shown_number,
                "order": item.number,
                "name": item.title,
                "public": not item.exempt,
            },
            keep=("order",),
        )

    def paper(self, paper: Paper) -> dict[str, Any]:
        """Every paper, an appendix as a paper of its own under its report."""
        return compact(
            {
                **self.common(paper, "Paper", self.url("paper", paper.pk)),
                "body": self.body_url,
                "name": paper.title,
                "date": date(paper.report_date),
                "paperType": paper.get_kind_display(),
                "mainFile": self._paper_file(paper) if paper.file else None,
                "superordinatedPaper": (
                    [self.url("paper", paper.parent_id)] if paper.parent_id else []
                ),
                "subordinatedPaper": [self.url("paper", a.pk) for a in paper.appendices.all()],
                "web": self.page("boards:paper-detail", paper.pk),
            }
        )

    def _paper_file(self, paper: Paper) -> dict[str, Any]:
        url = self.url("file-paper", paper.pk)
        return compact(
            {
                "id": url,
                "type": self.oparl_type("File"),
                "name": paper.title,
                "fileName": paper.original_filename or posixpath.basename(paper.file.name or ""),
                "mimeType": "application/pdf",
                "size": paper.file_size,
                "accessUrl": url,
                f"{PREFIX}path": f"files/{paper.file.name}",
            }
        )

    def consultation(self, paper_id: int, item_id: int, meeting_id: int) -> dict[str, Any]:
        """A report's consideration at its agenda item."""
        return {
            "id": self.url("consultation", paper_id),
            "type": self.oparl_type("Consultation"),
            "paper": self.url("paper", paper_id),
            "agendaItem": self.url("agendaitem", item_id),
            "meeting": self.url("meeting", meeting_id),
        }

    def file(self, owner: tuple[str, Any, str], stored: dict[str, Any]) -> dict[str, Any]:
        """A stored file: its id is the API's for a paper's file, one of the export's own for
        another record's (a photo, evidence, a decision's report)."""
        model, pk, field_name = owner
        if model == "boards.paper" and field_name == "file":
            url = self.url("file-paper", pk)
        else:
            url = f"{self.url('file-list')}{model}/{pk}/{field_name}/"
        name = stored["name"]
        return compact(
            {
                "id": url,
                "type": self.oparl_type("File"),
                "fileName": posixpath.basename(name),
                "mimeType": mimetypes.guess_type(name)[0] or "application/octet-stream",
                "size": stored["size"],
                "sha512Checksum": stored["sha512"],
                "accessUrl": url,
                "paper": [self.url("paper", pk)] if model == "boards.paper" else [],
                f"{PREFIX}path": stored["path"],
                f"{PREFIX}recordOf": {"model": model, "pk": pk, "field": field_name},
            }
        )
