"""Actions as councils set them: an owner that is a post, a person, someone named in words, or
nobody; a due date given as a date, as some months after the meeting or as the next meeting,
kept as the council worded it; printed after the resolution in the minutes, page and PDF; open
actions on the desks and the board's page as each visitor may read them."""

import datetime
import re
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from boards import services
from boards.models import AgendaItem, Meeting
from boards.roles import Role
from minutes import services as minutes_services
from minutes.models import Minute, MinutesRecord, Resolution
from tests.factories import PersonFactory, PostFactory, UserFactory
from tests.pdfs import pdf_text, read_pdf

LONDON = zoneinfo.ZoneInfo("Europe/London")
HTMX = {"HX-Request": "true"}
D = datetime.date


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), LONDON)


def meeting_on(board, day: datetime.date) -> Meeting:
    return services.meeting_create(board=board, starts_at=at(day), venue=None)


def minute_of(meeting: Meeting, title: str = "ICT capacity", **fields):
    item = services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title=title, purpose="To receive a report.", **fields)
    )
    return minutes_services.minute_take(meeting=meeting, agenda_item=item)


def text_of(markup: str) -> str:
    import html

    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def action(minute, text: str = "That costs be reported.", **fields) -> Resolution:
    return minutes_services.resolution_add(minute=minute, text=text, is_action=True, **fields)


def read(resolution: Resolution) -> Resolution:
    """The resolution as pages read it: with its due date however it was given."""
    return Resolution.objects.with_due().get(pk=resolution.pk)


@pytest.fixture
def february(board):
    return meeting_on(board, D(2016, 2, 22))


@pytest.fixture
def minute(february):
    return minute_of(february)


def release(meeting: Meeting) -> None:
    minutes_services.minutes_release(
        minutes=MinutesRecord.objects.get(meeting=meeting), by=UserFactory()
    )


# The owner ------------------------------------------------------------------------------------


def test_an_action_may_name_no_owner(minute):
    resolution = action(minute, due_on=D(2016, 3, 31))

    assert resolution.is_action
    assert (resolution.owner, resolution.owner_in_words) == ("", "")
    assert resolution.action_note == "Action: by 31 March 2016"
    assert action(minute, text="That a visit be arranged.").action_note == "Action"


@pytest.mark.parametrize(
    ("owner", "listed", "in_words"),
    [
        ("post", "Chief Digital Officer", "the Chief Digital Officer"),
        ("person", "Councillor Kathryn Groves", "Councillor K Groves"),
        ("text", "the Democratic Services Manager", "the Democratic Services Manager"),
    ],
)
def test_an_actions_owner_is_a_post_a_person_or_someone_in_words(minute, owner, listed, in_words):
    given = {
        "post": {"owner_post": PostFactory(title="Chief Digital Officer")},
        "person": {"owner_person": PersonFactory(given_name="Kathryn", family_name="Groves")},
        "text": {"owner_text": "  the Democratic Services Manager "},
    }[owner]

    resolution = action(minute, **given)

    assert (resolution.owner, resolution.owner_in_words) == (listed, in_words)
    assert resolution.action_note == f"Action: {in_words}"


def test_an_action_names_one_owner_at_most(minute):
    with pytest.raises(ValidationError) as refused:
        action(
            minute,
            owner_post=PostFactory(title="Chief Digital Officer"),
            owner_text="the Democratic Services Manager",
        )

    assert refused.value.message_dict == {
        "owner_post": ["Name one owner at most: a post, a person or in words."]
    }
    assert not minute.resolutions.exists()


def test_an_owner_or_a_due_date_is_only_for_an_action(minute):
    for given in (
        {"owner_text": "the Democratic Services Manager"},
        {"due_on": D(2016, 3, 31)},
        {"due_months": 6},
        {"due_next_meeting": True},
        {"due_wording": "within six months"},
    ):
        with pytest.raises(ValidationError) as refused:
            minutes_services.resolution_add(minute=minute, text="That it be noted.", **given)
        assert list(refused.value.message_dict) == ["is_action"]
    assert not minute.resolutions.exists()


def test_the_database_refuses_two_owners_and_an_owner_of_a_resolution_that_is_no_action(minute):
    resolution = action(minute, owner_text="the Democratic Services Manager")
    post = PostFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Resolution.objects.filter(pk=resolution.pk).update(owner_post=post)
    with pytest.raises(IntegrityError), transaction.atomic():
        Resolution.objects.filter(pk=resolution.pk).update(is_action=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Resolution.objects.filter(pk=resolution.pk).update(due_months=6)  # with no date


# When it is due ---------------------------------------------------------------------------------


def test_an_action_due_by_a_date_prints_it(minute):
    resolution = read(
        action(minute, owner_post=PostFactory(title="Chief Digital Officer"), due_on=D(2016, 9, 30))
    )

    assert (resolution.due_date, resolution.due_wording) == (D(2016, 9, 30), "")
    assert resolution.action_note == "Action: the Chief Digital Officer, by 30 September 2016"


@pytest.mark.parametrize(
    ("held_on", "months", "due"),
    [
        (D(2016, 2, 22), 6, D(2016, 8, 22)),
        (D(2015, 8, 31), 6, D(2016, 2, 29)),  # the month's last day: February's, in a leap year
        (D(2015, 8, 30), 6, D(2016, 2, 29)),  # no 30 February: the month's last day
        (D(2015, 9, 30), 5, D(2016, 2, 29)),  # the last day of September: the last of February
        (D(2016, 2, 29), 12, D(2017, 2, 28)),
        (D(2016, 1, 31), 1, D(2016, 2, 29)),
        (D(2016, 4, 30), 2, D(2016, 6, 30)),
        (D(2015, 12, 31), 2, D(2016, 2, 29)),
    ],
)
def test_an_action_due_in_months_is_dated_from_the_meeting_keeping_month_ends(
    board, held_on, months, due
):
    resolution = action(minute_of(meeting_on(board, held_on)), due_months=months)

    assert resolution.due_on == due
    assert read(resolution).due_date == due


@pytest.mark.parametrize(
    ("months", "wording"),
    [
        (1, "within one month"),
        (6, "within six months"),
        (12, "within twelve months"),
        (18, "within 18 months"),
    ],
)
def test_an_action_due_in_months_is_worded_as_councils_word_it(minute, months, wording):
    assert action(minute, due_months=months).due_wording == wording


def test_the_wording_is_kept_as_the_council_wrote_it(minute):
    resolution = action(
        minute,
        owner_text="the Democratic Services Manager",
        due_months=6,
        due_wording="  in six months' time ",
    )

    assert (resolution.due_wording, resolution.due_on) == ("in six months' time", D(2016, 8, 22))
    assert resolution.action_note == (
        "Action: the Democratic Services Manager, in six months' time – 22 August 2016"
    )
    worded = action(minute, due_on=D(2016, 9, 30), due_wording="by the end of September")
    assert worded.action_note == "Action: by the end of September – 30 September 2016"
    undated = action(minute, due_wording="when the consultation closes")
    assert (undated.due_date, undated.action_note) == (None, "Action: when the consultation closes")


def test_an_action_due_by_the_next_meeting_is_dated_once_it_is_scheduled(board, minute):
    resolution = action(minute, owner_text="the Democratic Services Manager", due_next_meeting=True)

    assert (resolution.due_on, resolution.due_wording) == (None, "by the next meeting")
    assert read(resolution).due_date is None
    assert read(resolution).action_note == (
        "Action: the Democratic Services Manager, by the next meeting"
    )

    march = meeting_on(board, D(2016, 3, 21))
    april = meeting_on(board, D(2016, 4, 18))
    assert read(resolution).due_date == D(2016, 3, 21)
    assert read(resolution).action_note == (
        "Action: the Democratic Services Manager, by the next meeting – 21 March 2016"
    )
    resolution.refresh_from_db()
    assert resolution.due_date == D(2016, 3, 21)  # read on its own, it asks the meetings

    services.meeting_cancel(meeting=march, reason="Not quorate.")
    assert read(resolution).due_date == D(2016, 4, 18)
    services.meeting_postpone(meeting=april, reason="The chair is ill.")
    assert read(resolution).due_date is None  # the next meeting has no date now
    services.meeting_move(meeting=april, starts_at=at(D(2016, 4, 25)), reason="Rearranged.")
    assert read(resolution).due_date == D(2016, 4, 25)
    resolution.refresh_from_db()
    assert resolution.due_on is None  # nothing stored: the date is always the meetings'


def test_the_next_meeting_is_the_boards_own_after_the_one_that_set_the_action(board, minute):
    from tests.factories import BoardFactory

    meeting_on(board, D(2016, 1, 25))
    meeting_on(BoardFactory(), D(2016, 3, 1))
    resolution = action(minute, due_next_meeting=True)
    assert read(resolution).due_date is None

    meeting_on(board, D(2016, 3, 21))
    assert read(resolution).due_date == D(2016, 3, 21)


def test_an_action_is_due_one_way_at_most(minute):
    with pytest.raises(ValidationError) as refused:
        action(minute, due_on=D(2016, 9, 30), due_months=6)
    assert refused.value.message_dict == {
        "due_on": ["Give one due date at most: a date, a number of months or the next meeting."]
    }
    with pytest.raises(ValidationError):
        action(minute, due_months=6, due_next_meeting=True)
    assert not minute.resolutions.exists()


def test_an_action_is_not_due_before_the_meeting_that_set_it(minute):
    with pytest.raises(ValidationError) as refused:
        action(minute, due_on=D(2016, 2, 21))
    assert refused.value.message_dict == {
        "due_on": ["The due date is before the meeting (22 February 2016). Give a later date."]
    }
    assert action(minute, due_on=D(2016, 2, 22)).due_on == D(2016, 2, 22)


@pytest.mark.parametrize("months", [0, -1, 61])
def test_an_action_is_due_within_1_to_60_months(minute, months):
    with pytest.raises(ValidationError) as refused:
        action(minute, due_months=months)
    assert refused.value.message_dict == {"due_months": ["Give a number of months from 1 to 60."]}


def test_actions_due_in_months_move_with_their_meeting(board, february, minute):
    in_months = action(minute, due_months=6)
    by_date = action(minute, due_on=D(2016, 9, 30))

    services.meeting_move(meeting=february, starts_at=at(D(2016, 2, 29)), reason="Snow.")

    in_months.refresh_from_db()
    by_date.refresh_from_db()
    assert in_months.due_on == D(2016, 8, 31)  # 29 February is February's last day
    assert by_date.due_on == D(2016, 9, 30)
    latest = in_months.history.first()
    assert (latest.due_on, latest.history_change_reason) == (
        D(2016, 8, 31),
        "The meeting moved to 29 February 2016",
    )


def test_the_history_keeps_the_owner_and_the_due_date_as_given(minute):
    resolution = action(minute, owner_text="the Democratic Services Manager", due_months=6)

    (created,) = resolution.history.all()
    assert (created.owner_text, created.due_months, created.due_wording, created.due_on) == (
        "the Democratic Services Manager",
        6,
        "within six months",
        D(2016, 8, 22),
    )


def test_an_action_on_approved_minutes_is_a_correction_with_its_reason(board, february, minute):
    march = meeting_on(board, D(2016, 3, 21))
    minutes_services.minutes_approve(
        minutes=MinutesRecord.objects.get(meeting=february),
        at=march,
        by=UserFactory(),
        unrecorded_confirmed=True,
    )
    minute = Minute.objects.get(pk=minute.pk)  # as a request reads it, approved
    with pytest.raises(ValidationError):
        action(minute, due_next_meeting=True)

    resolution = action(minute, due_next_meeting=True, reason="Omitted in error.")

    assert resolution.history.first().history_change_reason == "Correction: Omitted in error."
    assert read(resolution).due_date == D(2016, 3, 21)


# The console -----------------------------------------------------------------------------------


def _post(client, minute, **data):
    prefix = f"resolution-{minute.pk}-"
    return client.post(
        reverse("minutes:resolution-add", args=[minute.pk]),
        {f"{prefix}{name}": value for name, value in data.items()},
        headers=HTMX,
    )


def test_the_console_adds_an_action_owned_in_words_due_in_months(minute, editor):
    response = _post(
        editor,
        minute,
        text="That the Democratic Services Manager be advised of the Board's views.",
        is_action="on",
        owner_text="the Democratic Services Manager",
        due_months="6",
    )

    assert response.status_code == 200
    (resolution,) = minute.resolutions.all()
    assert (resolution.owner_text, resolution.due_on) == (
        "the Democratic Services Manager",
        D(2016, 8, 22),
    )
    assert (
        "(a) That the Democratic Services Manager be advised of the Board's views. Action "
        "the Democratic Services Manager, within six months – 22 August 2016"
    ) in text_of(response.text)


def test_the_console_adds_an_action_due_by_the_next_meeting(board, minute, editor):
    meeting_on(board, D(2016, 3, 21))
    response = _post(
        editor, minute, text="That a visit be arranged.", is_action="on", due_next_meeting="on"
    )

    assert response.status_code == 200
    assert "(a) That a visit be arranged. Action by the next meeting – 21 March 2016" in text_of(
        response.text
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {
                "is_action": "on",
                "owner_text": "the Democratic Services Manager",
                "owner_post": "post",
            },
            "owner_post",
            "Name one owner at most: a post, a person or in words.",
        ),
        (
            {"is_action": "on", "due_on": "2016-09-30", "due_next_meeting": "on"},
            "due_on",
            "Give one due date at most: a date, a number of months or the next meeting.",
        ),
        (
            {"is_action": "on", "due_on": "2016-01-31"},
            "due_on",
            "The due date is before the meeting (22 February 2016). Give a later date.",
        ),
        (
            {"is_action": "on", "due_months": "six"},
            "due_months",
            "Give the number of months as a whole number, such as 6.",
        ),
        (
            {"is_action": "on", "due_months": "61"},
            "due_months",
            "Give a number of months from 1 to 60.",
        ),
        (
            {"owner_text": "the Democratic Services Manager"},
            "is_action",
            "An owner or a due date is for an action: say that this asks someone to do "
            "something, or leave them empty.",
        ),
    ],
)
def test_the_console_refuses_an_action_set_wrongly_saying_why_on_the_field(
    minute, editor, data, field, message
):
    if data.get("owner_post") == "post":
        data = {**data, "owner_post": PostFactory().pk}
    response = _post(editor, minute, text="That costs be reported.", **data)

    assert response.status_code == 422
    assert not minute.resolutions.exists()
    page = response.text
    field_id = f"id_resolution-{minute.pk}-{field}"
    assert re.search(rf'<p class="error-message"\s+id="{field_id}_error">', page), page
    assert message in text_of(page)
    # The error summary links to the field (a date, to its first box).
    assert f'href="#{field_id}{"_day" if field == "due_on" else ""}"' in page
    # What was typed is kept.
    assert "That costs be reported." in page


@pytest.mark.parametrize(
    ("day", "note"),
    [
        (("1", "10", "2016"), "This is a Saturday"),
        (("26", "12", "2016"), "This is a bank holiday (Boxing Day)"),
        (("3", "10", "2016"), None),
    ],
)
def test_an_action_due_on_a_day_off_is_flagged_beside_it_not_refused(minute, editor, day, note):
    response = _post(
        editor,
        minute,
        text="That the Chief Digital Officer report back.",
        is_action="on",
        due_on_day=day[0],
        due_on_month=day[1],
        due_on_year=day[2],
    )

    assert response.status_code == 200
    resolution = minute.resolutions.get()
    assert resolution.due_on == D(int(day[2]), int(day[1]), int(day[0]))
    line = text_of(response.text.split('class="resolutions')[1].split("</li>")[0])
    if note:
        assert f"Action by {resolution.due_in_words[3:]} {note}" in line
    else:
        assert "This is a" not in line


def test_the_console_shows_the_action_fields_labelled(minute, editor):
    # The minute's block fetches its resolution form when "Add a resolution" is opened.
    console = editor.get(reverse("minutes:minutes-console", args=[minute.meeting_id])).text
    form_url = reverse("minutes:resolution-form", args=[minute.pk])
    assert f'hx-get="{form_url}"' in console
    page = editor.get(form_url, headers={"HX-Request": "true"}).text
    for label in (
        "Action owner: a post",
        "or a person",
        "or as the minutes name them",
        "or within this many months of the meeting",
        "or by the next meeting",
        "When it is due, as the minutes word it",
    ):
        assert f">{label}</label>" in page, label
    assert '<legend class="label">Due date</legend>' in page  # its Day, Month and Year boxes


# The minutes, page and PDF --------------------------------------------------------------------


@pytest.fixture
def minuted(board, february, minute):
    """February's minute with four resolutions, three of them actions set three ways, and a
    minute with a single resolution that is an action; March's meeting scheduled; released."""
    meeting_on(board, D(2016, 3, 21))
    minutes_services.resolution_add(minute=minute, text="That the report be noted.")
    action(minute, owner_post=PostFactory(title="Chief Digital Officer"), due_on=D(2016, 9, 30))
    action(
        minute,
        text="That the Democratic Services Manager be advised.",
        owner_text="the Democratic Services Manager",
        due_next_meeting=True,
    )
    action(minute, text="That progress be reported to the Board.", due_months=6)
    single = minute_of(february, title="Work schedule")
    action(
        single,
        text="That the work schedule be updated.",
        owner_person=PersonFactory(given_name="Kathryn", family_name="Groves"),
        due_wording="in the new municipal year",
    )
    release(february)
    return february


PRINTED = [
    "RESOLVED – (a) That the report be noted.",
    "(b) That costs be reported. (Action: the Chief Digital Officer, by 30 September 2016)",
    "(c) That the Democratic Services Manager be advised. (Action: the Democratic Services "
    "Manager, by the next meeting – 21 March 2016)",
    "(d) That progress be reported to the Board. (Action: within six months – 22 August 2016)",
    "Work schedule",
    "RESOLVED – That the work schedule be updated. (Action: Councillor K Groves, in the new "
    "municipal year)",
]


def _in_order(text: str, parts: list[str]) -> None:
    at = 0
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, f"{part!r} not after position {at} in {text!r}"
        at = found + len(part)


def test_each_action_prints_its_owner_and_due_date_after_its_resolution(minuted):
    page = Client().get(reverse("minutes:minutes-detail", args=[minuted.pk]))
    _in_order(text_of(page.content.decode()), PRINTED)

    # The PDF in the order its text is drawn. The letters hang in their margin (floats, which
    # WeasyPrint draws first): the text after each is read in order without them.
    reader = read_pdf(Client().get(reverse("minutes:minutes-pdf", args=[minuted.pk])))
    text = re.sub(r"(?<![\w:]) ?\([a-d]\) ", " ", pdf_text(reader))
    _in_order(re.sub(r"\s+", " ", text), [re.sub(r"\([a-d]\) ", "", part) for part in PRINTED])


def test_the_minutes_read_the_actions_in_a_fixed_number_of_queries(board, minuted):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("minutes:minutes-detail", args=[minuted.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(url).status_code == 200
        return len(queries)

    before = count()
    minute = minuted.minute_entries.get(title="ICT capacity")
    for n in range(5):
        action(minute, text=f"Next meeting {n}.", due_next_meeting=True)
        action(minute, text=f"Owner {n}.", owner_person=PersonFactory())
    assert count() == before


# Open actions ------------------------------------------------------------------------------------


def test_open_actions_show_an_owner_in_words_the_wording_and_undated_ones(board, minute, editor):
    action(
        minute,
        text="That a visit be arranged.",
        owner_text="the Democratic Services Manager",
        due_months=6,
    )
    action(minute, text="That the clerk write.", due_next_meeting=True)
    action(minute, text="That someone look into it.")

    table = text_of(editor.get(reverse("home:officer-home")).text)

    assert (
        "That a visit be arranged. the Democratic Services Manager Monday, 22 August 2016 "
        "(within six months)"
    ) in table
    assert "That the clerk write. None named By the next meeting (not yet scheduled)" in table
    assert "That someone look into it. None named No date" in table

    meeting_on(board, D(2016, 3, 21))
    table = text_of(editor.get(reverse("home:officer-home")).text)
    # Soonest first: the next meeting's date now orders it.
    _in_order(
        table,
        [
            "That the clerk write. None named Monday, 21 March 2016 (by the next meeting)",
            "That a visit be arranged.",
            "That someone look into it.",
        ],
    )


def test_the_public_reads_only_the_actions_of_published_minutes_it_may_read(
    board, february, minute, councillor, client_for
):
    exempt = minute_of(
        february,
        title="Contract",
        exempt=True,
        exempt_paragraph=3,
        public_interest_reasoning="Prices.",
    )
    action(minute, text="That costs be reported.", owner_text="the Chief Digital Officer")
    action(
        exempt, text="That the EXEMPT-ACTION be renegotiated.", owner_text="the Head of Procurement"
    )
    url = reverse("boards:board-detail", args=[board.slug])

    def table(client) -> str:
        return text_of(client.get(url).text).split("Open actions from minutes")[1]

    assert "That costs be reported." not in table(Client())  # a draft nobody has released
    assert "That costs be reported." in table(client_for(UserFactory(roles=[Role.CLERK])))
    release(february)
    public = table(Client())
    assert "That costs be reported." in public
    assert "EXEMPT-ACTION" not in public
    assert "EXEMPT-ACTION" in table(client_for(councillor))  # a member of the board


def test_the_board_page_reads_the_open_actions_in_one_query_however_many(
    board, minute, client_for, officer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("boards:board-detail", args=[board.slug])
    client = client_for(officer)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    action(minute, text="One.", due_next_meeting=True)
    before = count()
    for n in range(6):
        action(minute, text=f"Action {n}.", due_next_meeting=True, owner_person=PersonFactory())
        action(minute, text=f"Other {n}.", owner_post=PostFactory(), due_months=n + 1)
    assert count() == before


def test_marking_a_resolution_that_is_no_action_done_says_why_and_changes_nothing(minute, editor):
    noted = minutes_services.resolution_add(minute=minute, text="That the report be noted.")

    response = editor.post(reverse("minutes:action-done", args=[noted.pk]), follow=True)

    assert response.status_code == 200
    assert "Only an action can be marked done." in response.text
    noted.refresh_from_db()
    assert noted.done_on is None
