"""The services that create meetings, keep their agendas in order, take papers and publish them."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from boards import services
from boards.models import AgendaItem, Meeting, MunicipalYear, Paper, Publication
from boards.roles import Role
from tests.factories import (
    AgendaItemFactory,
    BoardFactory,
    MeetingFactory,
    MunicipalYearFactory,
    PaperFactory,
    PersonFactory,
    UserFactory,
    VenueFactory,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
Kind = AgendaItem.Kind

STANDARD_KINDS = [
    Kind.APPEALS,
    Kind.EXEMPT_INFORMATION,
    Kind.LATE_ITEMS,
    Kind.DECLARATIONS,
    Kind.APOLOGIES,
    Kind.MINUTES,
    Kind.WORK_SCHEDULE,
    Kind.NEXT_MEETING,
]


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


# Monday 21 March 2016 at 10.00 am; its agenda is due by Friday 11 March.
MEETING_START = at(2016, 3, 21)
DEADLINE = datetime.date(2016, 3, 11)
ON_TIME = at(2016, 3, 11, 16)
LATE = at(2016, 3, 14, 9)
EARLY = at(2016, 3, 1, 9)


def create_meeting(board=None, starts_at=MEETING_START, **kwargs) -> Meeting:
    return services.meeting_create(
        board=board or BoardFactory(), starts_at=starts_at, venue=VenueFactory(), **kwargs
    )


def items_of(meeting: Meeting) -> list[AgendaItem]:
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("number"))


def numbers_and_kinds(meeting: Meeting) -> list[tuple[int, str]]:
    return [(item.number, item.kind) for item in items_of(meeting)]


def report(title: str = "Budget proposals 2016/17", **kwargs) -> AgendaItem:
    return AgendaItem(kind=Kind.REPORT, title=title, purpose="To consider the report.", **kwargs)


def pdf_upload(name: str = "x.pdf", pages: int = 3) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(pages), content_type="application/pdf")


@pytest.fixture
def publisher(db):
    return UserFactory(roles=[Role.CLERK])


# meeting_create


def test_new_meeting_gets_the_standard_agenda_in_order():
    meeting = create_meeting()

    items = items_of(meeting)

    assert [item.number for item in items] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert [item.kind for item in items] == STANDARD_KINDS
    assert [item.title for item in items] == [s.title for s in services.STANDARD_AGENDA]
    assert items[0].purpose.startswith("To consider any appeals")
    assert all(item.publication is None and not item.is_withdrawn for item in items)


def test_minutes_item_confirms_the_previous_meeting_of_the_same_board():
    board = BoardFactory()
    MeetingFactory(board=board, starts_at=at(2016, 1, 18))
    previous = MeetingFactory(board=board, starts_at=at(2016, 2, 22))
    MeetingFactory(
        board=board,
        starts_at=at(2016, 3, 7),
        status=Meeting.Status.CANCELLED,
        status_reason="Not quorate.",
    )
    MeetingFactory(starts_at=at(2016, 3, 14))  # another board's meeting
    MeetingFactory(board=board, starts_at=at(2016, 4, 18))  # a later one

    meeting = create_meeting(board)

    minutes = meeting.agenda_items.get(kind=Kind.MINUTES)
    assert minutes.minutes_of == previous
    assert minutes.title == "Minutes – 22 February 2016"
    assert minutes.purpose == (
        "To confirm as a correct record the minutes of the meeting held on 22 February 2016."
    )
    assert minutes.number == 6


def test_minutes_item_of_a_boards_first_meeting_keeps_the_generic_title():
    MeetingFactory(starts_at=at(2016, 2, 22))  # another board's

    meeting = create_meeting()

    minutes = meeting.agenda_items.get(kind=Kind.MINUTES)
    assert minutes.minutes_of is None
    assert minutes.title == "Minutes of the previous meeting"


def test_a_boards_own_agenda_template_replaces_the_standard_agenda():
    board = BoardFactory()
    services.agenda_template_save(
        board=board,
        items=[
            services.StandardItem(Kind.APOLOGIES, "Apologies", "To receive apologies."),
            services.StandardItem(Kind.DECLARATIONS, "Declarations", ""),
            services.StandardItem(Kind.MINUTES, "Minutes", ""),
            services.StandardItem(Kind.NEXT_MEETING, "Next meeting", ""),
        ],
    )
    services.agenda_template_save(
        board=board,
        items=[
            services.StandardItem(Kind.APOLOGIES, "Apologies", "To receive apologies."),
            services.StandardItem(Kind.DECLARATIONS, "Declarations", ""),
            services.StandardItem(Kind.NEXT_MEETING, "Next meeting", ""),
        ],
    )

    meeting = create_meeting(board)

    assert [(item.number, item.kind, item.title) for item in items_of(meeting)] == [
        (1, Kind.APOLOGIES, "Apologies"),
        (2, Kind.DECLARATIONS, "Declarations"),
        (3, Kind.NEXT_MEETING, "Next meeting"),
    ]
    assert items_of(meeting)[0].purpose == "To receive apologies."
    assert board.agenda_template.count() == 3
    # Another board keeps the standard agenda.
    assert [kind for _, kind in numbers_and_kinds(create_meeting())] == STANDARD_KINDS


def test_agenda_template_minutes_item_still_links_the_previous_meeting():
    board = BoardFactory()
    previous = MeetingFactory(board=board, starts_at=at(2016, 2, 22))
    services.agenda_template_save(
        board=board, items=[services.StandardItem(Kind.MINUTES, "Minutes", "")]
    )

    minutes = create_meeting(board).agenda_items.get()

    assert minutes.minutes_of == previous
    assert minutes.title == "Minutes – 22 February 2016"


def test_compiler_defaults_to_the_boards_support_officer():
    officer = PersonFactory(officer=True)
    board = BoardFactory(support_officer=officer)

    assert create_meeting(board).compiler == officer
    assert create_meeting(starts_at=at(2016, 3, 22)).compiler is None


def test_meeting_create_keeps_the_details_given():
    ends_at = at(2016, 3, 21, 12, 30)

    meeting = create_meeting(
        ends_at=ends_at, pre_meeting_at=datetime.time(9, 30), recording_allowed=False
    )
    meeting.refresh_from_db()

    assert meeting.starts_at == MEETING_START
    assert meeting.ends_at == ends_at
    assert meeting.pre_meeting_at == datetime.time(9, 30)
    assert meeting.recording_allowed is False
    assert meeting.status == Meeting.Status.SCHEDULED
    assert meeting.sequence == 0


def test_meeting_create_refuses_an_end_before_the_start():
    board = BoardFactory()

    with pytest.raises(ValidationError):
        create_meeting(board, ends_at=MEETING_START - datetime.timedelta(hours=1))

    assert not board.meetings.exists()
    assert not AgendaItem.objects.exists()


def test_meetings_either_side_of_1_may_fall_in_different_municipal_years():
    board = BoardFactory()

    before = create_meeting(board, starts_at=at(2016, 4, 30))
    on = create_meeting(board, starts_at=at(2016, 5, 1))
    after = create_meeting(board, starts_at=at(2016, 6, 20))

    assert before.municipal_year.starts_on == datetime.date(2015, 5, 1)
    assert before.municipal_year.label == "2015/16"
    assert on.municipal_year.starts_on == datetime.date(2016, 5, 1)
    assert on.municipal_year.label == "2016/17"
    assert after.municipal_year == on.municipal_year
    assert MunicipalYear.objects.count() == 2


def test_municipal_year_follows_the_london_date_not_utc():
    # 23.30 UTC on 30 April 2016 is 00.30 on 1 May in London (BST).
    starts_at = datetime.datetime(2016, 4, 30, 23, 30, tzinfo=datetime.UTC)

    meeting = create_meeting(starts_at=starts_at)

    assert meeting.municipal_year.label == "2016/17"


def test_a_recorded_municipal_year_covers_the_meetings_until_the_next_annual_meeting():
    recorded = MunicipalYearFactory(starts_on=datetime.date(2015, 5, 21))

    meeting = create_meeting(starts_at=MEETING_START)
    before_next_annual_meeting = create_meeting(starts_at=at(2016, 5, 20))
    a_year_on = create_meeting(starts_at=at(2016, 5, 23))

    assert meeting.municipal_year == recorded
    assert before_next_annual_meeting.municipal_year == recorded
    assert a_year_on.municipal_year.starts_on == datetime.date(2016, 5, 1)
    assert MunicipalYear.objects.count() == 2


def test_a_meeting_before_the_recorded_annual_meeting_belongs_to_the_year_before():
    MunicipalYearFactory(starts_on=datetime.date(2015, 5, 21))

    meeting = create_meeting(starts_at=at(2015, 5, 11))

    assert meeting.municipal_year.label == "2014/15"
    assert MunicipalYear.objects.filter(starts_on__year=2015).count() == 1


# agenda_item_add


def test_a_substantive_item_goes_before_the_work_schedule_and_next_meeting():
    meeting = create_meeting()

    budget = services.agenda_item_add(meeting=meeting, item=report("Budget proposals"))
    housing = services.agenda_item_add(meeting=meeting, item=report("Housing repairs"))

    assert budget.number == 7
    assert housing.number == 8
    assert numbers_and_kinds(meeting) == list(
        enumerate([*STANDARD_KINDS[:6], Kind.REPORT, Kind.REPORT, *STANDARD_KINDS[6:]], start=1)
    )
    assert [item.title for item in items_of(meeting)][6:8] == [
        "Budget proposals",
        "Housing repairs",
    ]


def test_an_added_item_is_saved_with_its_details():
    meeting = create_meeting()

    item = services.agenda_item_add(
        meeting=meeting, item=report(exempt=True, exempt_paragraph=3, eligible_for_call_in=True)
    )

    saved = AgendaItem.objects.get(pk=item.pk)
    assert saved.meeting == meeting
    assert saved.exempt is True
    assert saved.exempt_paragraph == 3
    assert saved.eligible_for_call_in is True


def test_a_closing_kind_item_is_added_at_the_end():
    meeting = create_meeting()

    item = services.agenda_item_add(
        meeting=meeting,
        item=AgendaItem(kind=Kind.WORK_SCHEDULE, title="Inquiry terms of reference"),
    )

    assert item.number == 9
    assert numbers_and_kinds(meeting) == list(
        enumerate([*STANDARD_KINDS, Kind.WORK_SCHEDULE], start=1)
    )


def test_an_item_added_to_an_agenda_without_closing_items_goes_at_the_end():
    meeting = MeetingFactory(starts_at=MEETING_START)
    AgendaItemFactory(meeting=meeting, number=1, kind=Kind.APOLOGIES)

    item = services.agenda_item_add(meeting=meeting, item=report())

    assert item.number == 2
    assert numbers_and_kinds(meeting) == [(1, Kind.APOLOGIES), (2, Kind.REPORT)]


def test_adding_to_a_cancelled_meeting_is_refused():
    meeting = create_meeting()
    services.meeting_cancel(meeting=meeting, reason="Not quorate.")

    with pytest.raises(ValidationError):
        services.agenda_item_add(meeting=meeting, item=report())

    assert meeting.agenda_items.count() == 8


def test_an_invalid_item_is_refused_before_the_agenda_is_renumbered():
    meeting = create_meeting()

    with pytest.raises(ValidationError) as error:
        services.agenda_item_add(meeting=meeting, item=report(late=True, special_circumstances=""))

    assert "__all__" in error.value.message_dict
    assert numbers_and_kinds(meeting) == list(enumerate(STANDARD_KINDS, start=1))


def test_an_exempt_item_without_its_schedule_12a_paragraph_is_refused():
    meeting = create_meeting()

    with pytest.raises(ValidationError, match="exempt_has_paragraph"):
        services.agenda_item_add(meeting=meeting, item=report(exempt=True))

    assert meeting.agenda_items.count() == 8


# agenda_items_reorder and agenda_item_move


def test_numbering_follows_the_order_given():
    meeting = create_meeting()
    items = items_of(meeting)
    order = [items[7].pk, *(item.pk for item in items[:7])]

    services.agenda_items_reorder(meeting=meeting, ordered_ids=order)

    assert [item.pk for item in items_of(meeting)] == order
    assert [item.number for item in items_of(meeting)] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert items_of(meeting)[0].kind == Kind.NEXT_MEETING


def test_renumbered_items_are_changed_and_the_others_are_not():
    meeting = create_meeting()
    items = items_of(meeting)
    before = {item.pk: item.modified for item in items}
    order = [items[1].pk, items[0].pk, *(item.pk for item in items[2:])]

    services.agenda_items_reorder(meeting=meeting, ordered_ids=order)

    after = {item.pk: item.modified for item in items_of(meeting)}
    moved = {items[0].pk, items[1].pk}
    assert all(after[pk] > before[pk] for pk in moved)
    assert all(after[pk] == before[pk] for pk in after if pk not in moved)
    # What the API's modified_since asks: the renumbered items, and only they.
    since = min(after[pk] for pk in moved)
    assert (
        set(meeting.agenda_items.filter(modified__gte=since).values_list("pk", flat=True)) == moved
    )


def test_moving_an_item_down_swaps_it_with_the_next():
    meeting = create_meeting()
    first, second, *rest = items_of(meeting)

    services.agenda_item_move(item=first, by=1)

    assert [item.pk for item in items_of(meeting)] == [second.pk, first.pk, *(i.pk for i in rest)]


def test_moving_an_item_up_swaps_it_with_the_one_before():
    meeting = create_meeting()
    items = items_of(meeting)

    services.agenda_item_move(item=items[5], by=-1)

    assert [item.kind for item in items_of(meeting)][3:7] == [
        Kind.DECLARATIONS,
        Kind.MINUTES,
        Kind.APOLOGIES,
        Kind.WORK_SCHEDULE,
    ]


@pytest.mark.parametrize(("index", "by"), [(0, -1), (-1, 1)], ids=["first-up", "last-down"])
def test_moving_an_item_past_the_end_of_the_agenda_changes_nothing(index, by):
    meeting = create_meeting()
    items = items_of(meeting)
    history_before = AgendaItem.history.count()

    services.agenda_item_move(item=items[index], by=by)

    assert [item.pk for item in items_of(meeting)] == [item.pk for item in items]
    assert numbers_and_kinds(meeting) == list(enumerate(STANDARD_KINDS, start=1))
    assert AgendaItem.history.count() == history_before


@pytest.mark.parametrize("stale", ["missing", "extra", "duplicated", "another-meeting"])
def test_a_stale_order_is_refused_and_changes_nothing(stale):
    meeting = create_meeting()
    ids = [item.pk for item in items_of(meeting)]
    reversed_ids = ids[::-1]
    stale_ids = {
        "missing": reversed_ids[:-1],
        "extra": [*reversed_ids, max(ids) + 1000],
        "duplicated": [*reversed_ids[:-1], reversed_ids[0]],
        "another-meeting": [*reversed_ids[:-1], items_of(create_meeting())[0].pk],
    }[stale]

    with pytest.raises(ValidationError, match="agenda has changed"):
        services.agenda_items_reorder(meeting=meeting, ordered_ids=stale_ids)

    assert [item.pk for item in items_of(meeting)] == ids
    assert numbers_and_kinds(meeting) == list(enumerate(STANDARD_KINDS, start=1))


def test_each_renumbered_item_gets_a_history_record():
    meeting = create_meeting()
    items = items_of(meeting)
    counts = {item.pk: item.history.count() for item in items}
    order = [item.pk for item in items]
    order[1], order[2] = order[2], order[1]

    services.agenda_items_reorder(meeting=meeting, ordered_ids=order)

    for item in items:
        item.refresh_from_db()
        if item.pk in (order[1], order[2]):
            assert item.history.count() == counts[item.pk] + 1
            assert item.history.first().number == item.number
            assert item.history.first().history_type == "~"
        else:
            assert item.history.count() == counts[item.pk]
    assert AgendaItem.objects.get(pk=order[1]).number == 2
    assert AgendaItem.objects.get(pk=order[2]).number == 3


# agenda_item_remove


def test_removing_an_unpublished_item_deletes_it_and_its_papers_and_renumbers(
    publisher, django_capture_on_commit_callbacks
):
    meeting = create_meeting()
    item = services.agenda_item_add(meeting=meeting, item=report())
    paper = PaperFactory(agenda_item=item, upload=True)
    appendix = PaperFactory(
        agenda_item=item, parent=paper, kind=Paper.Kind.APPENDIX, upload=True, position=2
    )
    files = [paper.file.name, appendix.file.name]
    kept = PaperFactory(agenda_item=items_of(meeting)[0])

    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_item_remove(item=item, by=publisher)

    assert not AgendaItem.objects.filter(pk=item.pk).exists()
    assert list(Paper.objects.all()) == [kept]
    assert numbers_and_kinds(meeting) == list(enumerate(STANDARD_KINDS, start=1))
    assert not any(default_storage.exists(name) for name in files)


def test_removing_a_middle_item_closes_the_gap():
    meeting = create_meeting()
    first = services.agenda_item_add(meeting=meeting, item=report("First"))
    second = services.agenda_item_add(meeting=meeting, item=report("Second"))

    services.agenda_item_remove(item=first, by=UserFactory())

    second.refresh_from_db()
    assert second.number == 7
    assert [item.number for item in items_of(meeting)] == list(range(1, 10))


def test_a_published_item_is_not_removed_without_a_reason(publisher):
    meeting = create_meeting()
    services.agenda_publish(meeting=meeting, by=publisher, now=EARLY)
    item = items_of(meeting)[0]

    with pytest.raises(ValidationError) as error:
        services.agenda_item_remove(item=item, by=publisher, reason="   ")

    assert "reason" in error.value.message_dict
    item.refresh_from_db()
    assert not item.is_withdrawn
    assert meeting.agenda_items.count() == 8


def test_a_published_item_removed_with_a_reason_is_withdrawn_and_keeps_its_number(publisher):
    meeting = create_meeting()
    services.agenda_publish(meeting=meeting, by=publisher, now=EARLY)
    item = meeting.agenda_items.get(kind=Kind.APOLOGIES)
    paper = PaperFactory(agenda_item=item)

    services.agenda_item_remove(item=item, by=publisher, reason="  Taken at full council.  ")

    item.refresh_from_db()
    assert item.withdrawn_at is not None
    assert item.withdrawn_by == publisher
    assert item.withdrawal_reason == "Taken at full council."
    assert item.number == 5
    assert item.is_published
    assert numbers_and_kinds(meeting) == list(enumerate(STANDARD_KINDS, start=1))
    assert Paper.objects.filter(pk=paper.pk).exists()


# paper_upload


def test_an_uploaded_pdf_is_stored_under_a_generated_name():
    item = AgendaItemFactory()
    data = pdf_bytes(3)
    upload = SimpleUploadedFile(
        "Budget CONFIDENTIAL draft.pdf", data, content_type="application/pdf"
    )

    paper = services.paper_upload(paper=Paper(agenda_item=item, title="Budget"), upload=upload)

    paper.refresh_from_db()
    assert paper.file.name.startswith("papers/")
    assert paper.file.name.endswith(".pdf")
    assert "Budget" not in paper.file.name
    assert "CONFIDENTIAL" not in paper.file.name
    assert paper.original_filename == "Budget CONFIDENTIAL draft.pdf"
    assert paper.page_count == 3
    assert paper.file_size == len(data)
    assert paper.position == 1
    with default_storage.open(paper.file.name) as stored:
        assert stored.read() == data


def test_each_uploaded_paper_takes_the_next_position_on_its_item():
    item = AgendaItemFactory()
    PaperFactory(agenda_item=item, position=4)

    paper = services.paper_upload(paper=Paper(agenda_item=item, title="Annex"), upload=pdf_upload())
    other = services.paper_upload(
        paper=Paper(agenda_item=AgendaItemFactory(), title="Other"), upload=pdf_upload()
    )

    assert paper.position == 5
    assert other.position == 1


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),
        (b"Dear Councillor, this is not a PDF.", "text/plain"),
        (b"%PDF-1.7\nnot really a pdf at all", "application/pdf"),
        (b"", "application/pdf"),
    ],
    ids=["png", "text", "damaged", "empty"],
)
def test_a_file_that_is_not_a_pdf_is_refused(content, content_type, settings):
    item = AgendaItemFactory()
    upload = SimpleUploadedFile("report.pdf", content, content_type=content_type)

    with pytest.raises(ValidationError):
        services.paper_upload(paper=Paper(agenda_item=item, title="Report"), upload=upload)

    assert not Paper.objects.exists()
    assert not (settings.MEDIA_ROOT / "papers").exists()


def test_an_upload_over_the_size_limit_is_refused(settings):
    settings.PAPER_UPLOAD_MAX_BYTES = 100

    with pytest.raises(ValidationError, match="smaller than"):
        services.paper_upload(
            paper=Paper(agenda_item=AgendaItemFactory(), title="Report"), upload=pdf_upload()
        )

    assert not Paper.objects.exists()


# paper_withdraw


def test_withdrawing_an_unpublished_paper_deletes_it_and_its_file_after_commit(
    publisher, django_capture_on_commit_callbacks
):
    paper = services.paper_upload(
        paper=Paper(agenda_item=AgendaItemFactory(), title="Draft"), upload=pdf_upload()
    )
    name = paper.file.name
    assert default_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.paper_withdraw(paper=paper, by=publisher, reason="")
        assert default_storage.exists(name)  # not until the deletion is committed

    assert len(callbacks) == 1
    assert not default_storage.exists(name)
    assert not Paper.objects.filter(pk=paper.pk).exists()


def test_withdrawing_an_unpublished_report_deletes_its_appendices_too(publisher):
    report_paper = PaperFactory()
    appendix = PaperFactory(
        agenda_item=report_paper.agenda_item, parent=report_paper, kind=Paper.Kind.APPENDIX
    )

    services.paper_withdraw(paper=report_paper, by=publisher, reason="")

    assert not Paper.objects.filter(pk__in=[report_paper.pk, appendix.pk]).exists()


def test_a_published_paper_is_withdrawn_with_a_reason_and_kept(publisher):
    meeting = create_meeting()
    item = meeting.agenda_items.get(kind=Kind.WORK_SCHEDULE)
    paper = services.paper_upload(
        paper=Paper(agenda_item=item, title="Work schedule"), upload=pdf_upload()
    )
    services.agenda_publish(meeting=meeting, by=publisher, now=EARLY)
    paper.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        services.paper_withdraw(paper=paper, by=publisher, reason=" ")
    assert "reason" in error.value.message_dict
    paper.refresh_from_db()
    assert not paper.is_withdrawn

    services.paper_withdraw(paper=paper, by=publisher, reason=" Superseded by the new schedule. ")

    paper.refresh_from_db()
    assert paper.withdrawn_at is not None
    assert paper.withdrawn_by == publisher
    assert paper.withdrawal_reason == "Superseded by the new schedule."
    assert paper.is_published
    assert default_storage.exists(paper.file.name)


# agenda_publish


@pytest.mark.parametrize(
    "now",
    [at(2016, 3, 11, 9), at(2016, 3, 11, 23, 59), at(2016, 3, 12, 11)],
    ids=["deadline-morning", "deadline-midnight", "saturday-after"],
)
def test_publishing_on_time_publishes_the_whole_agenda(publisher, now):
    meeting = create_meeting()
    paper = PaperFactory(agenda_item=items_of(meeting)[6], upload=True)

    record = services.agenda_publish(meeting=meeting, by=publisher, now=now)

    record.refresh_from_db()
    assert record.kind == Publication.Kind.AGENDA
    assert record.late is False
    assert record.late_reason == ""
    assert record.deadline == DEADLINE
    assert record.published_at == now
    assert record.published_by == publisher
    assert all(item.publication == record for item in items_of(meeting))
    paper.refresh_from_db()
    assert paper.publication == record
    meeting.refresh_from_db()
    assert meeting.agenda_published_at == now
    assert meeting.status == Meeting.Status.AGENDA_PUBLISHED


def test_publishing_late_without_a_reason_is_refused_and_names_the_deadline(publisher):
    meeting = create_meeting()

    with pytest.raises(ValidationError) as error:
        services.agenda_publish(meeting=meeting, by=publisher, late_reason="  ", now=LATE)

    messages = error.value.message_dict["late_reason"]
    assert "Friday, 11 March 2016" in messages[0]
    assert not Publication.objects.exists()
    meeting.refresh_from_db()
    assert meeting.agenda_published_at is None
    assert meeting.status == Meeting.Status.SCHEDULED
    assert not meeting.agenda_items.filter(publication__isnull=False).exists()


def test_publishing_late_with_a_reason_records_it(publisher):
    meeting = create_meeting()

    record = services.agenda_publish(
        meeting=meeting, by=publisher, late_reason=" Finance figures came late. ", now=LATE
    )

    record.refresh_from_db()
    assert record.late is True
    assert record.late_reason == "Finance figures came late."
    assert record.published_by == publisher
    assert record.published_at == LATE
    assert record.deadline == DEADLINE
    assert all(item.publication == record for item in items_of(meeting))


def test_a_reason_given_when_on_time_is_not_recorded(publisher):
    record = services.agenda_publish(
        meeting=create_meeting(), by=publisher, late_reason="Just in case.", now=ON_TIME
    )

    assert record.late is False
    assert record.late_reason == ""


def test_publishing_again_with_nothing_new_is_refused(publisher):
    meeting = create_meeting()
    services.agenda_publish(meeting=meeting, by=publisher, now=EARLY)

    with pytest.raises(ValidationError, match="Nothing has been added"):
        services.agenda_publish(meeting=meeting, by=publisher, now=ON_TIME)

    assert meeting.publications.count() == 1


def test_publishing_after_the_agenda_makes_a_supplement_of_only_the_new_items_and_papers(
    publisher,
):
    meeting = create_meeting()
    old_paper = PaperFactory(agenda_item=items_of(meeting)[6])
    agenda = services.agenda_publish(meeting=meeting, by=publisher, now=EARLY)
    new_item = services.agenda_item_add(meeting=meeting, item=report())
    new_paper = PaperFactory(agenda_item=meeting.agenda_items.get(kind=Kind.MINUTES))

    supplement = services.agenda_publish(meeting=meeting, by=publisher, now=ON_TIME)

    assert supplement.kind == Publication.Kind.SUPPLEMENT
    assert supplement.late is False
    new_item.refresh_from_db()
    new_paper.refresh_from_db()
    old_paper.refresh_from_db()
    assert new_item.publication == supplement
    assert new_paper.publication == supplement
    assert old_paper.publication == agenda
    old_items = [item for item in items_of(meeting) if item.pk != new_item.pk]
    assert len(old_items) == 8
    assert all(item.publication == agenda for item in old_items)
    meeting.refresh_from_db()
    assert meeting.agenda_published_at == EARLY
    assert list(meeting.publications.values_list("kind", flat=True)) == ["agenda", "supplement"]


def test_a_late_supplement_needs_a_reason(publisher):
    meeting = create_meeting()
    services.agenda_publish(meeting=meeting, by=publisher, now=EARLY)
    services.agenda_item_add(meeting=meeting, item=report())

    with pytest.raises(ValidationError) as error:
        services.agenda_publish(meeting=meeting, by=publisher, now=LATE)
    assert "late_reason" in error.value.message_dict

    record = services.agenda_publish(
        meeting=meeting, by=publisher, late_reason="Urgent decision.", now=LATE
    )
    assert record.kind == Publication.Kind.SUPPLEMENT
    assert record.late is True


def test_publishing_a_cancelled_meeting_is_refused(publisher):
    meeting = create_meeting()
    services.meeting_cancel(meeting=meeting, reason="Not quorate.")

    with pytest.raises(ValidationError, match="cancelled"):
        services.agenda_publish(meeting=meeting, by=publisher, now=EARLY)

    assert not Publication.objects.exists()


def test_an_agenda_with_no_items_is_not_published(publisher):
    meeting = MeetingFactory(starts_at=MEETING_START)

    with pytest.raises(ValidationError, match="no items"):
        services.agenda_publish(meeting=meeting, by=publisher, now=EARLY)

    assert not Publication.objects.exists()


def test_withdrawn_items_and_papers_are_not_published(publisher):
    meeting = MeetingFactory(starts_at=MEETING_START)
    kept = AgendaItemFactory(meeting=meeting, number=1)
    withdrawn = AgendaItemFactory(
        meeting=meeting,
        number=2,
        withdrawn_at=at(2016, 2, 29),
        withdrawal_reason="Deferred to April.",
    )
    withdrawn_paper = PaperFactory(
        agenda_item=kept, withdrawn_at=at(2016, 2, 29), withdrawal_reason="Superseded."
    )
    kept_paper = PaperFactory(agenda_item=kept)

    record = services.agenda_publish(meeting=meeting, by=publisher, now=EARLY)

    for row in (kept, withdrawn, withdrawn_paper, kept_paper):
        row.refresh_from_db()
    assert kept.publication == record
    assert kept_paper.publication == record
    assert withdrawn.publication is None
    assert withdrawn_paper.publication is None


# agenda_record_published: a meeting held before the council used the app

# When the clerk enters it, years later.
ENTERED = at(2026, 6, 2, 15, 4)


def test_a_past_publication_is_recorded_on_its_own_date_with_who_entered_it(publisher):
    meeting = create_meeting()
    paper = PaperFactory(agenda_item=items_of(meeting)[6], upload=True)

    record = services.agenda_record_published(
        meeting=meeting,
        published_on=datetime.date(2016, 3, 11),
        published_time=datetime.time(16, 0),
        by=publisher,
        now=ENTERED,
    )

    record.refresh_from_db()
    assert record.kind == Publication.Kind.AGENDA
    assert record.published_at == ON_TIME
    assert record.published_time_known is True
    assert record.published_when == "Friday, 11 March 2016 at 4.00 pm"
    assert record.deadline == DEADLINE
    assert record.late is False
    assert record.is_recorded_afterwards
    assert record.recorded_at == ENTERED
    assert record.recorded_by == publisher
    assert record.published_by is None  # who put it out then is not known here
    assert all(item.publication == record for item in items_of(meeting))
    paper.refresh_from_db()
    assert paper.publication == record
    meeting.refresh_from_db()
    assert meeting.agenda_published_at == ON_TIME
    assert meeting.status == Meeting.Status.AGENDA_PUBLISHED


def test_a_late_publication_recorded_afterwards_needs_no_reason(publisher):
    record = services.agenda_record_published(
        meeting=create_meeting(),
        published_on=datetime.date(2016, 3, 14),
        by=publisher,
        now=ENTERED,
    )

    assert record.late is True  # from the real dates: Monday 14 March, after the deadline
    assert record.late_reason == ""
    assert record.deadline == DEADLINE


def test_a_publication_recorded_by_its_day_alone_is_dated_at_the_start_of_that_day(publisher):
    record = services.agenda_record_published(
        meeting=create_meeting(),
        published_on=datetime.date(2016, 3, 11),
        by=publisher,
        now=ENTERED,
    )

    record.refresh_from_db()
    assert record.published_at == at(2016, 3, 11, 0)
    assert record.published_time_known is False
    assert record.published_when == "Friday, 11 March 2016"
    assert record.late is False


@pytest.mark.parametrize(
    ("published_on", "published_time", "field", "message"),
    [
        (datetime.date(2026, 6, 3), None, "published_on", "That date is still to come"),
        (datetime.date(2016, 3, 22), None, "published_on", "That is after the meeting"),
        (datetime.date(2015, 3, 20), None, "published_on", "more than a year before"),
        (
            datetime.date(2016, 3, 21),
            datetime.time(10, 30),
            "published_time",
            "after the meeting began, at 10.00 am",
        ),
    ],
    ids=["future", "after-the-meeting-day", "over-a-year-before", "after-the-meeting-began"],
)
def test_a_recorded_publication_date_must_be_on_or_before_the_meeting_and_not_long_before(
    publisher, published_on, published_time, field, message
):
    meeting = create_meeting()

    with pytest.raises(ValidationError) as error:
        services.agenda_record_published(
            meeting=meeting,
            published_on=published_on,
            published_time=published_time,
            by=publisher,
            now=ENTERED,
        )

    assert message in error.value.message_dict[field][0]
    assert not Publication.objects.exists()
    assert not meeting.agenda_items.filter(publication__isnull=False).exists()


@pytest.mark.parametrize(
    ("published_on", "published_time"),
    [
        (datetime.date(2015, 3, 21), None),  # a year before: a meeting postponed after its agenda
        (datetime.date(2016, 3, 21), datetime.time(10, 0)),  # as the meeting began
        (datetime.date(2016, 3, 21), None),
    ],
    ids=["a-year-before", "as-it-began", "the-meeting-day"],
)
def test_a_recorded_publication_date_may_be_up_to_the_start_of_the_meeting(
    publisher, published_on, published_time
):
    record = services.agenda_record_published(
        meeting=create_meeting(),
        published_on=published_on,
        published_time=published_time,
        by=publisher,
        now=ENTERED,
    )

    assert timezone_date(record.published_at) == published_on


def test_a_publication_is_not_recorded_for_a_meeting_still_to_come(publisher):
    meeting = create_meeting()

    with pytest.raises(ValidationError, match="has not taken place yet"):
        services.agenda_record_published(
            meeting=meeting, published_on=datetime.date(2016, 3, 1), by=publisher, now=ON_TIME
        )

    assert not Publication.objects.exists()


def test_a_supplement_recorded_afterwards_is_dated_no_earlier_than_the_agenda(publisher):
    meeting = create_meeting()
    services.agenda_record_published(
        meeting=meeting,
        published_on=datetime.date(2016, 3, 11),
        published_time=datetime.time(16, 0),
        by=publisher,
        now=ENTERED,
    )
    new_item = services.agenda_item_add(meeting=meeting, item=report())

    with pytest.raises(ValidationError) as error:
        services.agenda_record_published(
            meeting=meeting,
            published_on=datetime.date(2016, 3, 10),
            by=publisher,
            now=ENTERED,
        )
    assert (
        "The agenda was published on Friday, 11 March 2016"
        in (error.value.message_dict["published_on"][0])
    )
    with pytest.raises(ValidationError) as error:
        services.agenda_record_published(
            meeting=meeting,
            published_on=datetime.date(2016, 3, 11),
            published_time=datetime.time(9, 0),
            by=publisher,
            now=ENTERED,
        )
    assert "published at 4.00 pm" in error.value.message_dict["published_time"][0]

    # Only its day known, on the agenda's day: dated with the agenda, so it still follows it.
    supplement = services.agenda_record_published(
        meeting=meeting, published_on=datetime.date(2016, 3, 11), by=publisher, now=ENTERED
    )

    assert supplement.kind == Publication.Kind.SUPPLEMENT
    assert supplement.published_at == ON_TIME
    assert supplement.published_when == "Friday, 11 March 2016"
    new_item.refresh_from_db()
    assert new_item.publication == supplement
    assert list(
        meeting.publications.order_by("published_at", "pk").values_list("kind", flat=True)
    ) == [
        "agenda",
        "supplement",
    ]


def test_recording_announces_the_publication_as_recorded_afterwards(publisher):
    from boards.signals import agenda_published

    heard: list[Publication] = []

    def listen(sender, *, publication, **kwargs):
        heard.append(publication)

    agenda_published.connect(listen, dispatch_uid="test-listener")
    try:
        record = services.agenda_record_published(
            meeting=create_meeting(),
            published_on=datetime.date(2016, 3, 11),
            by=publisher,
            now=ENTERED,
        )
    finally:
        agenda_published.disconnect(dispatch_uid="test-listener")

    assert heard == [record]
    assert heard[0].is_recorded_afterwards


def timezone_date(value: datetime.datetime) -> datetime.date:
    return value.astimezone(LONDON).date()


# meeting_cancel


def test_cancelling_a_meeting_needs_a_reason():
    meeting = create_meeting()

    with pytest.raises(ValidationError) as error:
        services.meeting_cancel(meeting=meeting, reason="  ")

    assert "reason" in error.value.message_dict
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    assert meeting.sequence == 0


def test_cancelling_a_meeting_records_why_and_tells_calendars():
    meeting = create_meeting()

    cancelled = services.meeting_cancel(meeting=meeting, reason="  Not quorate.  ")

    meeting.refresh_from_db()
    assert cancelled.status == meeting.status == Meeting.Status.CANCELLED
    assert meeting.status_reason == "Not quorate."
    assert meeting.sequence == 1
    assert meeting.is_cancelled
    assert meeting.history.first().status == Meeting.Status.CANCELLED


def test_a_cancelled_meeting_is_not_the_previous_meeting_for_minutes():
    board = BoardFactory()
    held = create_meeting(board, starts_at=at(2016, 2, 22))
    cancelled = create_meeting(board, starts_at=at(2016, 3, 7))
    services.meeting_cancel(meeting=cancelled, reason="Not quorate.")

    minutes = create_meeting(board).agenda_items.get(kind=Kind.MINUTES)

    assert minutes.minutes_of == held


# meeting_move


def test_moving_a_meeting_keeps_it_and_records_where_it_was():
    meeting = create_meeting(ends_at=at(2016, 3, 21, 12, 30))
    items = [item.pk for item in items_of(meeting)]
    new_start = at(2016, 3, 29, 14)

    moved = services.meeting_move(meeting=meeting, starts_at=new_start, reason="  Clash.  ")

    meeting.refresh_from_db()
    assert moved.pk == meeting.pk
    assert meeting.starts_at == new_start
    assert meeting.moved_from == MEETING_START
    assert meeting.ends_at == at(2016, 3, 29, 16, 30)
    assert meeting.status_reason == "Clash."
    assert meeting.sequence == 1
    assert [item.pk for item in items_of(meeting)] == items
    # Good Friday and Easter Monday 2016 are not working days.
    assert meeting.publication_deadline == datetime.date(2016, 3, 17)


def test_moving_a_meeting_twice_raises_its_sequence_each_time():
    meeting = create_meeting()

    services.meeting_move(meeting=meeting, starts_at=at(2016, 3, 22), reason="Clash.")
    moved = services.meeting_move(meeting=meeting, starts_at=at(2016, 3, 23), reason="Clash.")

    assert moved.sequence == 2
    assert moved.moved_from == at(2016, 3, 22)


def test_moving_a_meeting_without_an_end_leaves_it_open():
    meeting = create_meeting()

    moved = services.meeting_move(meeting=meeting, starts_at=at(2016, 3, 29), reason="Clash.")

    assert moved.ends_at is None


def test_moving_a_meeting_across_1_may_moves_it_into_the_next_municipal_year():
    meeting = create_meeting(starts_at=at(2016, 4, 25))
    assert meeting.municipal_year.label == "2015/16"

    moved = services.meeting_move(meeting=meeting, starts_at=at(2016, 5, 3), reason="Elections.")

    assert moved.municipal_year.label == "2016/17"
    assert moved.municipal_year.starts_on == datetime.date(2016, 5, 1)


def test_a_cancelled_meeting_cannot_be_moved():
    meeting = create_meeting()
    services.meeting_cancel(meeting=meeting, reason="Not quorate.")

    with pytest.raises(ValidationError, match="cancelled"):
        services.meeting_move(meeting=meeting, starts_at=at(2016, 3, 29), reason="Clash.")

    meeting.refresh_from_db()
    assert meeting.starts_at == MEETING_START
    assert meeting.moved_from is None
    assert meeting.sequence == 1


def test_moving_a_meeting_needs_a_reason():
    meeting = create_meeting()

    with pytest.raises(ValidationError) as error:
        services.meeting_move(meeting=meeting, starts_at=at(2016, 3, 29), reason=" ")

    assert "reason" in error.value.message_dict
    meeting.refresh_from_db()
    assert meeting.starts_at == MEETING_START
    assert meeting.sequence == 0


@pytest.mark.parametrize("year", [1, 1899, 9999])
def test_a_meeting_cannot_be_created_in_an_impossible_year(board, year):
    with pytest.raises(ValidationError) as caught:
        services.meeting_create(
            board=board,
            starts_at=datetime.datetime(year, 6, 1, 10, tzinfo=datetime.UTC),
            venue=None,
        )
    assert "The date of the meeting must be between" in caught.value.message_dict["date"][0]
    assert not Meeting.objects.exists()
