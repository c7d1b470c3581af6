"""Invariants of meetings, agendas, papers and publications, held by the database itself.

Rows are written with ``objects.create`` or factories, which skip ``full_clean``: what is refused
here is refused by a named constraint, whatever code writes the row.
"""

import datetime
import zoneinfo

import pytest
from django.db import IntegrityError, transaction

from boards.models import Meeting, MunicipalYear, PostHolding, Publication, ReportSection
from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MunicipalYearFactory,
    PaperFactory,
    PersonFactory,
    PostFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
MEETING_START = datetime.datetime(2016, 3, 21, 10, 0, tzinfo=LONDON)


def refused():
    """Expect the database to refuse the write (wrap it in transaction.atomic())."""
    return pytest.raises(IntegrityError)


def publication(meeting: Meeting, **kwargs) -> Publication:
    fields = {
        "kind": Publication.Kind.AGENDA,
        "published_at": datetime.datetime(2016, 3, 11, 9, 0, tzinfo=LONDON),
        "published_by": UserFactory(),
        "deadline": datetime.date(2016, 3, 11),
    }
    return Publication.objects.create(meeting=meeting, **(fields | kwargs))


# Agenda items


def test_two_items_on_one_agenda_cannot_share_a_number():
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, number=1)
    AgendaItemFactory(number=1)  # the same number on another meeting's agenda is fine

    with refused(), transaction.atomic():
        AgendaItemFactory(meeting=meeting, number=1)

    assert meeting.agenda_items.count() == 1


def test_agenda_item_numbers_start_at_one():
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, number=1)

    with refused(), transaction.atomic():
        AgendaItemFactory(meeting=meeting, number=0)


def test_a_late_item_needs_its_special_circumstances():
    AgendaItemFactory(late=True, special_circumstances="Budget figures arrived on Friday.")

    with refused(), transaction.atomic():
        AgendaItemFactory(late=True, special_circumstances="")


# Meetings


def test_a_meeting_ends_after_it_starts():
    MeetingFactory(starts_at=MEETING_START, ends_at=MEETING_START + datetime.timedelta(hours=2))
    MeetingFactory(starts_at=MEETING_START, ends_at=None)

    with refused(), transaction.atomic():
        MeetingFactory(starts_at=MEETING_START, ends_at=MEETING_START - datetime.timedelta(hours=1))


def test_a_meeting_cannot_end_the_moment_it_starts():
    with refused(), transaction.atomic():
        MeetingFactory(starts_at=MEETING_START, ends_at=MEETING_START)


@pytest.mark.parametrize("status", [Meeting.Status.CANCELLED, Meeting.Status.POSTPONED])
def test_a_cancelled_or_postponed_meeting_needs_a_reason(status):
    MeetingFactory(status=status, status_reason="The chair is unwell.")

    with refused(), transaction.atomic():
        MeetingFactory(status=status, status_reason="")


def test_a_scheduled_meeting_needs_no_reason():
    meeting = MeetingFactory(status=Meeting.Status.SCHEDULED, status_reason="")
    assert Meeting.objects.get(pk=meeting.pk).status_reason == ""


def test_meeting_status_is_guarded_in_the_database():
    with refused(), transaction.atomic():
        MeetingFactory(status="abandoned", status_reason="Fire alarm.")


def test_publication_deadline_is_five_clear_working_days_before_the_meeting():
    meeting = MeetingFactory(starts_at=MEETING_START)  # Monday 21 March 2016, 10.00 am

    assert meeting.publication_deadline == datetime.date(2016, 3, 11)  # Friday
    assert meeting.publication_deadline.weekday() == 4


def test_publication_deadline_follows_the_london_date_of_the_meeting():
    # 00.30 on Tuesday 24 May 2016 in London (BST) is still Monday 23 May in UTC.
    starts_at = datetime.datetime(2016, 5, 23, 23, 30, tzinfo=datetime.UTC)
    meeting = MeetingFactory(starts_at=starts_at)

    assert meeting.date == datetime.date(2016, 5, 24)
    assert meeting.publication_deadline == datetime.date(2016, 5, 16)


# Exempt information and withdrawal, on items and papers alike


@pytest.mark.parametrize("factory", [AgendaItemFactory, PaperFactory], ids=["item", "paper"])
@pytest.mark.parametrize("paragraph", [1, 3, 7])
def test_an_exempt_record_with_a_schedule_12a_paragraph_is_accepted(factory, paragraph):
    record = factory(exempt=True, exempt_paragraph=paragraph)
    assert type(record).objects.get(pk=record.pk).exempt_paragraph == paragraph


@pytest.mark.parametrize("factory", [AgendaItemFactory, PaperFactory], ids=["item", "paper"])
@pytest.mark.parametrize(
    ("exempt", "paragraph"),
    [(True, None), (True, 0), (True, 8), (False, 3)],
    ids=["exempt-without-paragraph", "paragraph-0", "paragraph-8", "paragraph-not-exempt"],
)
def test_exempt_paragraph_must_match_the_exemption(factory, exempt, paragraph):
    model = factory._meta.model
    before = model.objects.count()

    with refused(), transaction.atomic():
        factory(exempt=exempt, exempt_paragraph=paragraph)

    assert model.objects.count() == before


@pytest.mark.parametrize("factory", [AgendaItemFactory, PaperFactory], ids=["item", "paper"])
def test_a_withdrawn_record_needs_a_reason(factory):
    withdrawn_at = datetime.datetime(2016, 3, 15, 9, 0, tzinfo=LONDON)
    factory(withdrawn_at=withdrawn_at, withdrawal_reason="The report is not ready.")

    with refused(), transaction.atomic():
        factory(withdrawn_at=withdrawn_at, withdrawal_reason="")


def test_an_uploaded_paper_records_its_size_and_pages():
    PaperFactory(upload=True)

    with refused(), transaction.atomic():
        PaperFactory(upload=True, file_size=None)
    with refused(), transaction.atomic():
        PaperFactory(upload=True, page_count=None)


def test_paper_kind_is_guarded_in_the_database():
    with refused(), transaction.atomic():
        PaperFactory(kind="memo")


# Publications


def test_a_meeting_has_one_agenda_publication_and_any_number_of_supplements():
    meeting = MeetingFactory(starts_at=MEETING_START)
    publication(meeting, kind=Publication.Kind.AGENDA)
    publication(meeting, kind=Publication.Kind.SUPPLEMENT)
    publication(meeting, kind=Publication.Kind.SUPPLEMENT)
    publication(MeetingFactory(starts_at=MEETING_START), kind=Publication.Kind.AGENDA)

    with refused(), transaction.atomic():
        publication(meeting, kind=Publication.Kind.AGENDA)

    assert list(meeting.publications.values_list("kind", flat=True)) == [
        "agenda",
        "supplement",
        "supplement",
    ]


def test_a_late_publication_needs_a_reason():
    meeting = MeetingFactory(starts_at=MEETING_START)
    publication(meeting, late=True, late_reason="The finance figures came late.")

    with refused(), transaction.atomic():
        publication(meeting, kind=Publication.Kind.SUPPLEMENT, late=True, late_reason="")


def test_a_publication_recorded_afterwards_may_be_late_with_no_reason():
    meeting = MeetingFactory(starts_at=MEETING_START)
    recorder = UserFactory()
    record = publication(
        meeting,
        published_by=None,
        late=True,
        late_reason="",
        recorded_at=datetime.datetime(2026, 6, 2, 15, 4, tzinfo=LONDON),
        recorded_by=recorder,
    )

    assert record.is_recorded_afterwards


@pytest.mark.parametrize(
    "fields",
    [
        {"published_by": None},
        {"recorded_at": datetime.datetime(2026, 6, 2, 15, 4, tzinfo=LONDON)},
        {"published_time_known": False},
        {
            "published_by": None,
            "recorded_at": datetime.datetime(2016, 3, 10, 9, 0, tzinfo=LONDON),
            "recorded_by": UserFactory,
        },
    ],
    ids=["nobody", "recorded-by-nobody", "time-unknown-here", "recorded-before-published"],
)
def test_a_publication_is_made_here_by_someone_or_recorded_afterwards_by_someone(fields):
    meeting = MeetingFactory(starts_at=MEETING_START)
    fields = {name: value() if value is UserFactory else value for name, value in fields.items()}

    with refused(), transaction.atomic():
        publication(meeting, **fields)


def test_publication_kind_is_guarded_in_the_database():
    with refused(), transaction.atomic():
        publication(MeetingFactory(starts_at=MEETING_START), kind="erratum")


# Posts held over time (memberships: test_models.py)


def test_a_post_holding_cannot_end_before_it_starts():
    post = PostFactory()
    person = PersonFactory(officer=True)
    PostHolding.objects.create(
        post=post,
        person=person,
        starts_on=datetime.date(2016, 5, 1),
        ends_on=datetime.date(2016, 5, 1),
    )

    with refused(), transaction.atomic():
        PostHolding.objects.create(
            post=post,
            person=person,
            starts_on=datetime.date(2016, 5, 1),
            ends_on=datetime.date(2016, 4, 30),
        )


# Municipal years


@pytest.mark.parametrize(
    ("starts_on", "label"),
    [
        (datetime.date(2015, 5, 21), "2015/16"),
        (datetime.date(1999, 5, 19), "1999/00"),
        (datetime.date(2009, 5, 1), "2009/10"),
    ],
)
def test_municipal_year_is_labelled_by_the_years_it_spans(starts_on, label):
    year = MunicipalYearFactory(starts_on=starts_on)
    assert year.label == label
    assert str(year) == label


def test_municipal_year_covering_a_day_is_the_latest_started_by_then():
    earlier = MunicipalYearFactory(starts_on=datetime.date(2015, 5, 21))
    later = MunicipalYearFactory(starts_on=datetime.date(2016, 5, 19))

    assert MunicipalYear.objects.covering(datetime.date(2016, 5, 18)) == earlier
    assert MunicipalYear.objects.covering(datetime.date(2016, 5, 19)) == later
    assert MunicipalYear.objects.covering(datetime.date(2015, 5, 20)) is None


# Numbered paragraphs of a written report


def test_report_section_paragraphs_are_numbered_after_the_section():
    section = ReportSection.objects.create(
        paper=PaperFactory(),
        number=3,
        heading="Main issues",
        body=(
            "The board asked for an update.\r\n\r\n"
            "Three options were considered:\n\n"
            "- keep the service as it is\n"
            "- merge it with another\n\n"
            "The second option is recommended."
        ),
    )

    paragraphs = section.numbered_paragraphs()

    assert [number for number, _ in paragraphs] == ["3.1", "3.2", "3.3"]
    assert paragraphs[0][1].strip() == "<p>The board asked for an update.</p>"
    assert "Three options were considered:" in paragraphs[1][1]
    assert "<ul>" in paragraphs[1][1]
    assert "<li>merge it with another</li>" in paragraphs[1][1]
    assert "<ul>" not in paragraphs[2][1]
    assert "The second option is recommended." in paragraphs[2][1]


def test_report_section_paragraphs_are_sanitised():
    section = ReportSection.objects.create(
        paper=PaperFactory(),
        number=4,
        heading="Consultation",
        body=(
            "Residents were asked.<script>alert('x')</script>\n\n"
            '<img src=x onerror="alert(1)">\n\n'
            "[Survey](javascript:alert(1))"
        ),
    )

    paragraphs = section.numbered_paragraphs()
    html = "".join(part for _, part in paragraphs)

    assert [number for number, _ in paragraphs] == ["4.1", "4.2", "4.3"]
    assert "Residents were asked." in paragraphs[0][1]
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html


def test_an_empty_report_section_has_no_paragraphs():
    section = ReportSection.objects.create(paper=PaperFactory(), number=1, heading="Purpose")
    assert section.numbered_paragraphs() == []


def test_a_report_section_number_is_unique_within_its_paper():
    paper = PaperFactory()
    ReportSection.objects.create(paper=paper, number=1, heading="Purpose")
    ReportSection.objects.create(paper=PaperFactory(), number=1, heading="Purpose")

    with refused(), transaction.atomic():
        ReportSection.objects.create(paper=paper, number=1, heading="Background")
