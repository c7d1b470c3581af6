"""The OParl 1.1 API: every object the demo council serves validates against the official schema
(or our extension's), every list paginates and filters, every object is found at its id, exempt
information never reaches it, and each list costs the same number of queries whatever its size."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker

from boards import services
from boards.models import AgendaItem, Meeting, MunicipalYear, Paper
from boards.roles import Role
from minutes import services as minutes_services
from minutes.models import Minute, MinutesRecord, Resolution
from opendata import oparl, oparl_cache
from recommendations import services as recommendation_services
from recommendations.models import Statement, TrackingCategory
from tests.conftest import CANARY
from tests.factories import (
    CallInFactory,
    ExecutiveDecisionFactory,
    InquiryFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    PostFactory,
    RecommendationFactory,
    StatementFactory,
    UserFactory,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db

STANDARDS = Path(settings.BASE_DIR) / "docs" / "standards"
SERVER = "http://testserver"
API = f"{SERVER}/api/oparl/v1/"
EXTENSION = f"{SERVER}/api/oparl/extension/1.0/"
OPARL_SCHEMAS = {
    name: json.loads((STANDARDS / "oparl-1.1" / f"{name}.json").read_text())
    for name in oparl.OPARL_TYPES
}
EXTENSION_SCHEMAS = {
    name: json.loads((STANDARDS / "scrutiny-extension" / f"{name}.json").read_text())
    for name in oparl.EXTENSION_TYPES
}
ALL_TYPES = {*oparl.OPARL_TYPES, *oparl.EXTENSION_TYPES}
# The schemas of the scrutiny: properties of executive decisions (Papers) and call-ins
# (Consultations), which such objects must meet besides OParl's own schema.
PROPERTY_SCHEMAS = {
    name: json.loads((STANDARDS / "scrutiny-extension" / f"{name}.json").read_text())
    for name in oparl.EXTENSION_PROPERTIES
}
FILE_URLS = {"accessUrl", "downloadUrl"}  # the files themselves, not JSON

# The schemas' formats, checked strictly: "url" is OParl's own, and jsonschema checks date-time
# only with an optional package, so all three are spelled out here.
formats = FormatChecker(formats=())
DATE_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


@formats.checks("url")
def _is_url(value) -> bool:
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


@formats.checks("date-time", raises=ValueError)
def _is_date_time(value) -> bool:
    return (
        bool(DATE_TIME.match(value)) and datetime.datetime.fromisoformat(value).tzinfo is not None
    )


@formats.checks("date", raises=ValueError)
def _is_date(value) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d\d-\d\d", value)) and bool(
        datetime.date.fromisoformat(value)
    )


def type_name(obj: dict) -> str:
    kind = obj["type"]
    if kind.startswith(oparl.OPARL_VERSION):
        return kind.removeprefix(oparl.OPARL_VERSION)
    assert kind.startswith(EXTENSION), f"unknown type {kind}"
    return kind.removeprefix(EXTENSION)


def schema_of(obj: dict) -> dict:
    name = type_name(obj)
    return OPARL_SCHEMAS.get(name) or EXTENSION_SCHEMAS[name]


def properties_schema_of(obj: dict) -> dict | None:
    """The schema of an executive decision's or a call-in's scrutiny: properties, if it is one."""
    if type_name(obj) == "Paper" and obj.get("paperType") == oparl.DECISION_PAPER_TYPE:
        return PROPERTY_SCHEMAS["ExecutiveDecision"]
    if type_name(obj) == "Consultation" and obj.get("role") == oparl.CALL_IN_ROLE:
        return PROPERTY_SCHEMAS["CallIn"]
    return None


def validate(obj: dict) -> list[dict]:
    """Validate one object against its schema (and an executive decision or a call-in against
    the schema of its scrutiny: properties too); return the objects embedded in it, which the
    schemas name with their own ``schema`` keyword (jsonschema itself does not follow it)."""
    schema = schema_of(obj)
    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for extra in filter(None, [schema, properties_schema_of(obj)])
        for error in Draft202012Validator(extra, format_checker=formats).iter_errors(obj)
    ]
    assert not errors, f"{obj['id']} is not a valid {type_name(obj)}: {errors}"
    embedded = []
    for key, prop in schema["properties"].items():
        if key not in obj:
            continue
        if prop.get("type") == "object" and "schema" in prop:
            embedded.append((prop["schema"], obj[key]))
        elif prop.get("type") == "array" and "schema" in prop.get("items", {}):
            embedded.extend((prop["items"]["schema"], value) for value in obj[key])
    for schema_file, value in embedded:
        assert type_name(value) == schema_file.removesuffix(".json")
    return [value for _schema, value in embedded]


class Walker:
    """Walks the API from its entry point: every list page by its ``next`` link, every object at
    its id, every URL an object names; validates everything it meets."""

    def __init__(self, client: Client):
        self.client = client
        self.fetched: dict[str, dict] = {}  # object id -> the object as served at its id
        self.met: dict[str, list[dict]] = {}  # object id -> each copy met in lists and embedded
        self.lists: set[str] = set()
        self.links: dict[str, set[str]] = {}  # non-API URLs by property name
        self.texts: list[str] = []
        self.queue: list[str] = []

    def get(self, url: str):
        response = self.client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        assert response["Access-Control-Allow-Origin"] == "*"
        self.texts.append(response.content.decode())
        return response.json()

    def walk(self, start: str) -> Walker:
        self.queue.append(SERVER + start if start.startswith("/") else start)
        seen = set()
        while self.queue:
            url = self.queue.pop()
            if url in seen:
                continue
            seen.add(url)
            if url.startswith(EXTENSION):
                schema = self.get(url)
                assert schema == EXTENSION_SCHEMAS[url.removeprefix(EXTENSION)]
                continue
            data = self.get(url)
            if "data" in data:
                self.lists.add(url)
                assert set(data) == {"data", "pagination", "links"}
                assert data["links"]["self"] == url, "a list page's self link is its URL"
                for obj in data["data"]:
                    self.meet(obj)
                if "next" in data["links"]:
                    self.queue.append(data["links"]["next"])
            else:
                assert data["id"] == url, "an object is served at its id"
                self.fetched[url] = data
                self.meet(data)
        return self

    def meet(self, obj: dict) -> None:
        self.met.setdefault(obj["id"], []).append(obj)
        self.queue.append(obj["id"])
        for value in validate(obj):
            self.meet(value)
        self.follow(obj)

    def follow(self, value, key: str = "") -> None:
        if isinstance(value, dict):
            for name, inner in value.items():
                if name not in {"id"} and not (isinstance(inner, dict) and "type" in inner):
                    self.follow(inner, name)
        elif isinstance(value, list):
            for inner in value:
                if not (isinstance(inner, dict) and "type" in inner):
                    self.follow(inner, key)
        elif isinstance(value, str) and value.startswith(f"{SERVER}/"):
            if value.startswith((API, EXTENSION)) and key not in FILE_URLS:
                self.queue.append(value)
            else:
                self.links.setdefault(key, set()).add(value)

    @property
    def types(self) -> set[str]:
        return {type_name(copies[0]) for copies in self.met.values()}

    def of_type(self, name: str) -> list[dict]:
        return [obj for url, obj in self.fetched.items() if type_name(obj) == name]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


def assert_copies_agree(walker: Walker) -> None:
    """A copy met in a list or embedded in another object says what the object at its id says
    (embedded copies leave out the reference back to their parent)."""
    for url, copies in walker.met.items():
        served = walker.fetched[url]
        for copy in copies:
            differing = {key for key, value in copy.items() if served.get(key) != value}
            assert not differing, f"{url} differs from its copy in {differing}"


def test_every_demo_object_validates_and_is_found_at_its_id(demo, client, settings):
    settings.OPARL_PAGE_SIZE = 7  # the walk pages through every list
    walker = Walker(client).walk(reverse("oparl:system"))

    assert walker.types == ALL_TYPES
    assert_copies_agree(walker)
    system = walker.fetched[API]
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
    [body] = walker.of_type("Body")
    assert body["name"] == "Aldermoor City Council"
    # The year modelled on the reference pack, and the current one dated from today.
    current = MunicipalYear.objects.covering(timezone.localdate())
    assert {term["name"] for term in body["legislativeTerm"]} == {"2015/16", current.label}
    assert len(walker.of_type("Meeting")) == Meeting.objects.count()
    names = {org["name"] for org in walker.of_type("Organization")}
    assert "Scrutiny Board (Strategy and Resources)" in names
    # Lists paginate: the demo's agenda items take several pages of seven.
    assert any("page=3" in url for url in walker.lists if "/agendaitem/" in url)

    # The exempt appendices (the 21 March 2016 meeting's PDF, and the next meeting's written
    # one): listed with their reports' files? Never.
    exempt_papers = Paper.objects.filter(exempt=True)
    assert exempt_papers.count() == 2
    for exempt in exempt_papers:
        exempt_file = f"{API}file/paper/{exempt.pk}/"
        assert exempt_file not in walker.met
        assert client.get(exempt_file).status_code == 404
        download = reverse("boards:paper-download", args=[exempt.pk])
        assert f"{SERVER}{download}" not in walker.links.get("accessUrl", set())
        detail = reverse("boards:paper-detail", args=[exempt.pk])
        assert f"{SERVER}{detail}" not in walker.links.get("accessUrl", set())

    # Files are reachable: accessUrl the page or PDF, downloadUrl the PDF as an attachment.
    for url in walker.links["downloadUrl"]:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment; filename=")
    for url in walker.links["accessUrl"]:
        path = urlsplit(url).path
        assert resolve(path).view_name in {
            "boards:paper-download",
            "boards:paper-detail",
            "minutes:minutes-pdf",
        }
    paper_download = next(u for u in walker.links["accessUrl"] if "/download/" in u)
    response = client.get(paper_download)
    assert response.status_code == 200
    assert not response["Content-Disposition"].startswith("attachment")

    # The extension: the completed inquiry's recommendations with responses and judgements.
    recommendations = walker.of_type("Recommendation")
    assert any("response" in r for r in recommendations)
    assert any(r.get("overdue") for r in recommendations)
    assert any(r.get("part") for r in recommendations)
    inquiries = walker.of_type("Inquiry")
    assert any(i.get("statement") for i in inquiries)
    assert any(i.get("session") for i in inquiries)


def test_exempt_information_never_reaches_the_api(published_meeting, client_for, board):
    """The canary: exempt purposes, reports, appendices, minutes and resolutions, draft items
    and draft statements never appear, whoever asks (the API serves the public view only)."""
    meeting = published_meeting
    open_item = meeting.agenda_items.get(title="Open report on budgets")
    exempt_item = meeting.agenda_items.get(exempt=True)
    draft_item = meeting.agenda_items.get(publication__isnull=True)
    open_minute = minutes_services.minute_take(meeting=meeting, agenda_item=open_item)
    Minute.objects.filter(pk=open_minute.pk).update(narrative="Open discussion.")
    Resolution.objects.create(minute=open_minute, position=1, text="That the report be noted.")
    exempt_minute = minutes_services.minute_take(meeting=meeting, agenda_item=exempt_item)
    Minute.objects.filter(pk=exempt_minute.pk).update(
        narrative=f"Exempt discussion {CANARY}", public_summary="The board discussed staffing."
    )
    Resolution.objects.create(minute=exempt_minute, position=1, text=f"Exempt {CANARY}")
    # Released to the public, so the open minute is in the API and the exempt one only as
    # its summary.
    minutes_services.minutes_release(
        minutes=MinutesRecord.objects.get(meeting=meeting), by=UserFactory(roles=[Role.OFFICER])
    )
    draft = StatementFactory(inquiry=InquiryFactory(board=board))
    RecommendationFactory(statement=draft, text=f"Draft recommendation {CANARY}")
    published = StatementFactory(inquiry=InquiryFactory(board=board))
    RecommendationFactory(statement=published, text="Published recommendation.")
    Statement.objects.filter(pk=published.pk).update(
        published_on=datetime.date(2017, 5, 1), response_due_on=datetime.date(2017, 7, 1)
    )
    officer = UserFactory(roles=[Role.OFFICER])
    councillor = UserFactory(roles=[Role.COUNCILLOR])
    MembershipFactory(board=board, person__user=councillor)

    for client in (Client(), client_for(officer), client_for(councillor)):
        walker = Walker(client).walk(reverse("oparl:system"))
        assert walker.types >= {"Meeting", "AgendaItem", "Paper", "File", "Recommendation"}
        assert CANARY not in walker.text
        for url in {*walker.links.get("accessUrl", ()), *walker.links.get("downloadUrl", ())}:
            assert CANARY.encode() not in client.get(url).getvalue()

        items = {item["name"]: item for item in walker.of_type("AgendaItem")}
        exempt = items["Staffing restructure"]
        assert exempt["public"] is False
        assert set(exempt) <= {
            "id",
            "type",
            "created",
            "modified",
            "meeting",
            "number",
            "order",
            "name",
            "public",
            "consultation",
            "scrutiny:exemptionNotice",
        }
        assert "paragraph 1 of Part 1 of Schedule 12A" in exempt["scrutiny:exemptionNotice"]
        opened = items["Open report on budgets"]
        assert opened["public"] is True
        assert opened["scrutiny:purpose"] == "Open purpose."
        assert opened["resolutionText"] == "(a) That the report be noted."
        assert "Draft item not yet published" not in items
        assert client.get(f"{API}agendaitem/{draft_item.pk}/").status_code == 404

        papers = {paper["name"]: paper for paper in walker.of_type("Paper")}
        assert "mainFile" not in papers["Restructure report"]
        assert "auxiliaryFile" not in papers["Restructure report"]
        budget = papers["Budget report"]
        assert budget["mainFile"]["mimeType"] == "text/html"
        assert [f["name"] for f in budget["auxiliaryFile"]] == ["Open appendix"]
        file_names = {f["name"] for f in walker.of_type("File")}
        assert "Appendix A – supplier prices" not in file_names
        assert "Draft paper" not in file_names
        [recommendation] = walker.of_type("Recommendation")
        assert recommendation["text"] == "Published recommendation."


def test_a_withdrawn_item_and_paper_are_deleted_objects(published_meeting, clerk, client):
    item = published_meeting.agenda_items.get(title="Open report on budgets")
    report = item.papers.get(title="Budget report")
    services.paper_withdraw(paper=report, by=clerk, reason="Superseded.")
    data = client.get(f"{API}paper/{report.pk}/").json()
    assert data["deleted"] is True
    assert set(data) == {"id", "type", "created", "modified", "deleted"}
    assert client.get(f"{API}file/paper/{report.pk}/").json()["deleted"] is True
    validate(data)


def test_a_paper_recorded_afterwards_is_dated_when_it_was_published(board, clerk, client):
    meeting = MeetingFactory(
        board=board, starts_at=datetime.datetime(2016, 3, 21, 10, tzinfo=datetime.UTC)
    )
    item = services.agenda_item_add(meeting=meeting, item=AgendaItem(title="Budget"))
    report = services.paper_write(paper=Paper(agenda_item=item, title="Budget report"))
    services.agenda_record_published(
        meeting=meeting, published_on=datetime.date(2016, 3, 11), by=clerk
    )

    data = client.get(f"{API}paper/{report.pk}/").json()

    assert data["date"] == "2016-03-11"
    assert client.get(f"{API}file/paper/{report.pk}/").json()["date"] == "2016-03-11"
    validate(data)


def test_lists_paginate_with_their_filters_kept(client, settings):
    settings.OPARL_PAGE_SIZE = 3
    meetings = MeetingFactory.create_batch(5)
    old = timezone.now() - datetime.timedelta(days=30)
    Meeting.objects.filter(pk=meetings[0].pk).update(modified=old)
    since = (old + datetime.timedelta(days=1)).isoformat()

    first = client.get(f"{API}meeting/", {"elementsPerPage": 2, "modified_since": since}).json()
    assert first["pagination"] == {
        "totalElements": 4,
        "elementsPerPage": 2,
        "currentPage": 1,
        "totalPages": 2,
    }
    assert "prev" not in first["links"]
    second = client.get(first["links"]["next"]).json()
    assert second["links"]["self"] == first["links"]["next"] == first["links"]["last"]
    assert second["links"]["prev"] == first["links"]["first"] == first["links"]["self"]
    assert "next" not in second["links"]
    assert "modified_since=" in second["links"]["self"]
    ids = [m["id"] for m in first["data"] + second["data"]]
    assert ids == [f"{API}meeting/{m.pk}/" for m in meetings[1:]]

    # The server's page size is the most a client gets, whatever it asks.
    capped = client.get(f"{API}meeting/", {"elementsPerPage": 500}).json()
    assert capped["pagination"]["elementsPerPage"] == 3
    assert len(capped["data"]) == 3
    assert client.get(f"{API}meeting/", {"page": 9}).status_code == 404
    refused = client.get(f"{API}meeting/", {"created_since": "yesterday"})
    assert refused.status_code == 400
    assert "created_since" in refused.json()["error"]
    assert client.get(f"{API}meeting/", {"created_until": old.isoformat()}).json()["data"] == []


def test_the_entry_point_and_schemas_are_documented(client):
    response = client.get("/api/oparl/v1/")
    assert response.json()["body"] == f"{API}body/"
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    docs = (Path(settings.BASE_DIR) / "docs" / "api.md").read_text()
    assert "/api/oparl/v1/" in readme
    assert "/api/oparl/v1/" in docs
    for name in oparl.EXTENSION_TYPES:
        assert name in docs
        served = client.get(f"/api/oparl/extension/1.0/{name}")
        assert served["Content-Type"] == "application/schema+json"
        assert served.json() == EXTENSION_SCHEMAS[name]
    assert client.get("/api/oparl/extension/1.0/Nothing").status_code == 404
    assert client.post("/api/oparl/v1/").status_code == 405


def _populate(board, clerk, n: int) -> None:
    """``n`` published meetings, each with items, reports, appendices, uploads and minutes, and
    ``n`` inquiries with published statements, responses, updates and judgements."""
    category = TrackingCategory.objects.filter(ends_monitoring=False).first()
    post = PostFactory()
    for index in range(n):
        meeting = MeetingFactory(board=board)
        MembershipFactory(board=board)
        for number in range(2):
            item = services.agenda_item_add(
                meeting=meeting,
                item=AgendaItem(
                    title=f"Item {index}.{number}",
                    purpose="Purpose.",
                    exempt=bool(number),
                    exempt_paragraph=3 if number else None,
                ),
            )
            report = services.paper_write(paper=Paper(agenda_item=item, title="Report"))
            services.paper_upload(
                paper=Paper(
                    agenda_item=item, parent=report, kind=Paper.Kind.APPENDIX, title="Appendix"
                ),
                upload=SimpleUploadedFile("a.pdf", pdf_bytes(1), "application/pdf"),
            )
        services.agenda_publish(meeting=meeting, by=clerk, late_reason="Tests publish late.")
        for item in meeting.agenda_items.all():
            minute = minutes_services.minute_take(meeting=meeting, agenda_item=item)
            Resolution.objects.create(minute=minute, position=1, text="Noted.")
        statement = StatementFactory(inquiry=InquiryFactory(board=board))
        top = RecommendationFactory(statement=statement)
        RecommendationFactory(parent=top, position=1)
        single = RecommendationFactory(statement=statement, deadline_on=datetime.date(2017, 9, 30))
        single.addressees.add(post)
        Statement.objects.filter(pk=statement.pk).update(
            published_on=datetime.date(2017, 5, 1), response_due_on=datetime.date(2017, 7, 1)
        )
        single.statement.refresh_from_db()
        recommendation_services.response_record(
            recommendation=single, decision="agreed", text="Agreed.", on=datetime.date(2017, 7, 1)
        )
        recommendation_services.update_add(
            recommendation=single, on=datetime.date(2017, 8, 1), text="Progress."
        )
        recommendation_services.judgement_record(
            recommendation=single, category=category, on=datetime.date(2017, 9, 1)
        )
        # An executive decision (a Paper) with a call-in (a Consultation) and its signatory.
        call_in = CallInFactory(decision=ExecutiveDecisionFactory(publish=True), board=board)
        call_in.signatories.add(PersonFactory())


LISTS = [
    "body-list",
    "organization-list",
    "person-list",
    "membership-list",
    "legislativeterm-list",
    "location-list",
    "meeting-list",
    "agendaitem-list",
    "paper-list",
    "consultation-list",
    "file-list",
    "inquiry-list",
    "recommendation-list",
    "trackingcategory-list",
]


def _queries(client, url: str) -> int:
    """The queries of building the page: nothing of it in the cache."""
    oparl_cache.json_cache().clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_each_list_costs_the_same_queries_for_one_row_or_many(board, clerk, client):
    _populate(board, clerk, 1)
    urls = [reverse(f"oparl:{name}") for name in LISTS]
    urls.append(reverse("oparl:organization-meeting-list", args=[board.pk]))
    small = {url: _queries(client, url) for url in urls}
    _populate(board, clerk, 4)
    large = {url: _queries(client, url) for url in urls}
    assert large == small
    assert max(small.values()) <= 8
