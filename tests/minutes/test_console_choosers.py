"""The console stays light with a big council: it offers the people and posts current on the
meeting's day, each list once, and finds anyone else by name (``minutes.choosers``). Ten years of
past councillors, officers and posts neither weigh on its page nor slow it; a past councillor
named in a box is found and saved; one recorded stays shown as recorded."""

import datetime
import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from boards.models import Membership, Person, Post, PostHolding, Ward
from boards.roles import Role
from minutes import services as minutes_services
from minutes.choosers import person_label, search
from minutes.models import Attendance, Resolution
from tests.factories import MembershipFactory, PersonFactory, PostFactory, UserFactory, sign_in
from tests.minutes.test_views import FEBRUARY, HTMX, meeting_on, report_on

pytestmark = pytest.mark.django_db

DAY = FEBRUARY.date()
LONG_AGO = datetime.date(2004, 5, 6)


def past_council(past: int = 300, posts: int = 200) -> None:
    """Councillors whose terms ended years before the meeting, officers and the posts they held
    then: as a council that has used the app for years has them."""
    ward = Ward.objects.create(name="Former Ward")
    Person.objects.bulk_create(
        Person(
            kind=Person.Kind.COUNCILLOR,
            given_name=f"Past{n}",
            family_name=f"Former{n:03d}",
            ward=ward,
            elected_on=datetime.date(2000, 5, 4),
            term_ends_on=LONG_AGO,
        )
        for n in range(past)
    )
    officers = Person.objects.bulk_create(
        Person(
            kind=Person.Kind.OFFICER,
            given_name=f"Gone{n}",
            family_name=f"Officer{n:03d}",
            job_title="Head of a service no more",
        )
        for n in range(posts)
    )
    held = Post.objects.bulk_create(
        Post(title=f"Director of Past Service {n:03d}") for n in range(posts)
    )
    PostHolding.objects.bulk_create(
        PostHolding(
            post=post, person=officer, starts_on=datetime.date(2000, 1, 1), ends_on=LONG_AGO
        )
        for post, officer in zip(held, officers, strict=True)
    )


@pytest.fixture
def council(board):
    """Twelve members, twenty other councillors serving, a post held today and one no holder
    was ever recorded for."""
    members = [MembershipFactory(board=board).person for _ in range(12)]
    serving = [PersonFactory() for _ in range(20)]
    PostFactory(title="Chief Digital Officer")
    held = PostFactory(title="Director of Resources")
    PostHolding.objects.create(
        post=held, person=PersonFactory(officer=True), starts_on=datetime.date(2015, 1, 1)
    )
    return members, serving


@pytest.fixture
def meeting(board, officer, council):
    meeting = meeting_on(board, FEBRUARY)
    for n in range(6):
        minute = minutes_services.minute_take(
            meeting=meeting, agenda_item=report_on(meeting, f"Report {n}"), by=officer
        )
        minutes_services.resolution_add(minute=minute, text="That the report be noted.")
    return meeting


def console(client, meeting) -> str:
    return client.get(reverse("minutes:minutes-console", args=[meeting.pk])).text


def selects_and_lists(page: str) -> str:
    """Every select and datalist of the page."""
    return "".join(
        match.group() for match in re.finditer(r"<(select|datalist)\b.*?</\1>", page, re.DOTALL)
    )


def option_pairs(page: str) -> list[tuple[str, str]]:
    """Each option's value and text as the browser reads them (a name may hold an apostrophe)."""
    return [
        (html.unescape(value), html.unescape(text))
        for value, text in re.findall(r'<option value="([^"]+)">([^<]*)</option>', page)
    ]


def datalists(page: str) -> str:
    return "".join(re.findall(r"<datalist\b.*?</datalist>", page, re.DOTALL))


# The page does not grow with the years held ----------------------------------------------------


def test_ten_years_of_past_councillors_and_posts_leave_the_console_as_it_was(
    meeting, editor, django_assert_max_num_queries
):
    before = console(editor, meeting)
    url = reverse("minutes:minutes-console", args=[meeting.pk])
    with django_assert_max_num_queries(40) as queries:
        editor.get(url)
    counted = len(queries.captured_queries)
    past_council(past=300, posts=200)

    with django_assert_max_num_queries(counted):
        after = console(editor, meeting)

    # The same page to the byte (its CSRF tokens differ, not their length), and a light one.
    assert len(after) == len(before)
    assert len(after.encode()) < 110_000
    assert "Former" not in after and "Past Service" not in after
    # The councillors serving on the day and the posts current then are suggested, once each.
    lists = selects_and_lists(after)
    assert lists.count('<datalist id="chooser-substitutes">') == 1
    assert lists.count('<datalist id="chooser-posts">') == 1
    assert "Chief Digital Officer" in lists and "Director of Resources" in lists


def test_the_old_console_would_have_offered_every_one_of_them_in_every_row(meeting, editor):
    """The measure of the change: the serving councillors are suggested once, not in each of
    the twelve members' rows."""
    page = console(editor, meeting)
    serving = Person.objects.councillors().current_on(DAY).exclude(memberships__board=meeting.board)
    name = person_label(serving.first())
    assert page.count(f'value="{name}"') == 1


# Anyone else, by name --------------------------------------------------------------------------


def attendance_of(member, **fields) -> dict:
    return {
        f"member-{member.pk}-{name}": value
        for name, value in {"status": "apologies", **fields}.items()
    }


def test_a_past_councillor_named_in_the_box_is_found_saved_and_shown_as_recorded(
    meeting, council, editor
):
    past_council(past=30, posts=0)
    members, _serving = council
    former = Person.objects.get(family_name="Former017")

    response = editor.post(
        reverse("minutes:attendance-save", args=[meeting.pk]),
        attendance_of(members[0], substitute="Past17 Former017"),
        headers=HTMX,
    )

    assert response.status_code == 200, response.text
    stand_in = meeting.attendances.get(kind=Attendance.Kind.SUBSTITUTE)
    assert (stand_in.person, stand_in.substitute_for) == (former, members[0])
    page = console(editor, meeting)
    box = re.search(rf'<input type="text" name="member-{members[0].pk}-substitute"[^>]*>', page)
    assert f'value="{person_label(former)}"' in box.group()
    # Shown in its row as recorded, and not suggested as a substitute; as someone at the
    # meeting now, they may be named (declaring, arriving, owning an action).
    substitutes = re.search(r'<datalist id="chooser-substitutes">.*?</datalist>', page, re.S)
    assert "Former017" not in substitutes.group()


def test_a_name_nobody_or_several_have_is_refused_saying_why(meeting, council, editor):
    past_council(past=30, posts=0)
    members, _serving = council
    url = reverse("minutes:attendance-save", args=[meeting.pk])

    unknown = editor.post(url, attendance_of(members[0], substitute="Nobody Atall"), headers=HTMX)
    several = editor.post(url, attendance_of(members[0], substitute="Former01"), headers=HTMX)

    assert unknown.status_code == several.status_code == 422
    assert "No councillor called “Nobody Atall” was found" in unknown.text
    assert "More than one councillor matches “Former01”" in several.text
    assert "Councillor Past10 Former010 (Former Ward)" in several.text  # what to type instead
    assert not meeting.attendances.filter(kind=Attendance.Kind.SUBSTITUTE).exists()
    # The member's choice comes back as typed, with its box open to correct.
    assert 'value="Former01"' in several.text


def test_two_councillors_of_one_name_and_ward_are_told_apart_by_id(meeting, council, editor):
    members, _serving = council
    ward = Ward.objects.create(name="Rothwell")
    twins = [PersonFactory(given_name="John", family_name="Smith", ward=ward) for _ in range(2)]
    url = reverse("minutes:attendance-save", args=[meeting.pk])

    refused = editor.post(
        url, attendance_of(members[0], substitute=person_label(twins[1])), headers=HTMX
    )
    assert refused.status_code == 422
    assert f"Councillor John Smith (Rothwell) #{twins[1].pk}" in refused.text
    saved = editor.post(
        url,
        attendance_of(members[0], substitute=f"{person_label(twins[1])} #{twins[1].pk}"),
        headers=HTMX,
    )
    assert saved.status_code == 200
    assert meeting.attendances.get(kind=Attendance.Kind.SUBSTITUTE).person == twins[1]
    # Sent again as the console shows it (the label alone), the recorded one is kept.
    again = editor.post(
        url, attendance_of(members[0], substitute=person_label(twins[1])), headers=HTMX
    )
    assert again.status_code == 200
    assert meeting.attendances.get(kind=Attendance.Kind.SUBSTITUTE).person == twins[1]


def test_an_action_is_owned_by_a_post_or_an_officer_of_years_ago_named_in_words(meeting, editor):
    past_council(past=0, posts=20)
    minute = meeting.minute_entries.filter(agenda_item__title="Report 0").get()
    url = reverse("minutes:resolution-add", args=[minute.pk])
    prefix = f"resolution-{minute.pk}-"

    by_post = editor.post(
        url,
        {
            f"{prefix}text": "That the service be reviewed.",
            f"{prefix}is_action": "on",
            f"{prefix}owner_post": "director of past service 007",
        },
        headers=HTMX,
    )
    by_person = editor.post(
        url,
        {
            f"{prefix}text": "That the officer report back.",
            f"{prefix}is_action": "on",
            f"{prefix}owner_person": "Gone3 Officer003",
        },
        headers=HTMX,
    )
    unknown = editor.post(
        url,
        {
            f"{prefix}text": "That nobody report back.",
            f"{prefix}is_action": "on",
            f"{prefix}owner_post": "Director of Nothing",
        },
        headers=HTMX,
    )

    assert by_post.status_code == by_person.status_code == 200
    actions = Resolution.objects.filter(minute=minute, is_action=True).order_by("position")
    assert [str(action.owner) for action in actions] == [
        "Director of Past Service 007",
        "Gone3 Officer003",
    ]
    assert unknown.status_code == 422
    assert "No post called “Director of Nothing” was found" in unknown.text


def test_the_attendee_box_takes_a_name_or_the_id_a_select_sent(meeting, editor):
    past_council(past=5, posts=0)
    url = reverse("minutes:attendee-add", args=[meeting.pk])
    ward_member = Person.objects.get(family_name="Former003")
    officer = PersonFactory(officer=True, given_name="Dylan", family_name="Roberts")

    by_name = editor.post(
        url,
        {"attendee-kind": "councillor", "attendee-person": "Councillor Past3 Former003"},
        headers=HTMX,
    )
    by_id = editor.post(
        url, {"attendee-kind": "officer", "attendee-person": officer.pk}, headers=HTMX
    )

    assert by_name.status_code == by_id.status_code == 200
    assert set(meeting.attendances.exclude(kind="member").values_list("person", flat=True)) == {
        ward_member.pk,
        officer.pk,
    }


# The search and the resolution form ------------------------------------------------------------


def choose(client, meeting, kind: str, typed: str, **params):
    url = reverse("minutes:console-choose", args=[meeting.pk, kind])
    return client.get(url, {"field": "box", "box": typed, **params}, headers=HTMX)


def test_the_search_suggests_those_current_on_the_day_first_then_anyone(meeting, council, editor):
    past_council(past=30, posts=30)
    _members, serving = council
    serving[0].family_name = "Former Smith"
    serving[0].save()

    found = choose(editor, meeting, "councillors", "Former")
    posts = choose(editor, meeting, "posts", "Director")

    options = option_pairs(found.text)
    assert options[0] == (person_label(serving[0]), "")
    assert all(note == "Not current on the day" for _value, note in options[1:])
    assert len(options) == 20  # at most
    titles = option_pairs(posts.text)
    assert titles[0] == ("Director of Resources", "")
    assert ("Director of Past Service 000", "Not current on the day") in titles


def test_an_emptied_substitute_box_gets_its_members_suggestions_back(meeting, council, editor):
    members, serving = council
    response = choose(editor, meeting, "councillors", "", **{"for": str(members[0].pk)})
    options = [value for value, _note in option_pairs(response.text)]
    assert sorted(options) == sorted(person_label(p) for p in serving)


def test_only_those_who_edit_the_board_may_search_and_only_for_people_and_posts(meeting, editor):
    other = sign_in(Client(), UserFactory(roles=[Role.OFFICER]))
    assert choose(other, meeting, "people", "Smith").status_code == 403
    assert choose(editor, meeting, "wards", "Smith").status_code == 404


def test_the_resolution_form_is_fetched_into_its_block_or_opened_as_a_page(meeting, editor):
    minute = meeting.minute_entries.filter(agenda_item__title="Report 0").get()
    url = reverse("minutes:resolution-form", args=[minute.pk])

    fragment = editor.get(url, headers=HTMX)
    page = editor.get(url)

    assert "<html" not in fragment.text
    assert f'hx-post="{reverse("minutes:resolution-add", args=[minute.pk])}"' in fragment.text
    assert 'list="chooser-posts"' in fragment.text
    assert fragment["Vary"] == "HX-Request" or "HX-Request" in fragment["Vary"]
    assert '<h1><span class="caption">' in page.text
    assert "hx-post" not in page.text.split("<main")[1]
    prefix = f"resolution-{minute.pk}-"
    posted = editor.post(
        reverse("minutes:resolution-add", args=[minute.pk]),
        {f"{prefix}text": "That the report be noted again."},
    )
    assert posted.status_code == 302
    assert posted["Location"].endswith(f"#minute-item-{minute.agenda_item_id}")


# Who is current on a day -----------------------------------------------------------------------


def test_who_is_current_on_a_day(board):
    day = DAY
    serving = PersonFactory()  # nothing says they left
    elected = PersonFactory(elected_on=datetime.date(2014, 5, 22))
    ended = PersonFactory(elected_on=datetime.date(2000, 5, 4), term_ends_on=LONG_AGO)
    not_yet = PersonFactory(elected_on=datetime.date(2016, 5, 5))
    seated = MembershipFactory(board=board).person
    unseated = MembershipFactory(
        board=board, starts_on=datetime.date(2000, 5, 1), ends_on=LONG_AGO
    ).person
    coopted = PersonFactory(kind=Person.Kind.COOPTED, ward=None, party=None)
    officer = PersonFactory(officer=True)
    left = PersonFactory(officer=True)
    PostHolding.objects.create(
        post=PostFactory(), person=left, starts_on=datetime.date(2000, 1, 1), ends_on=LONG_AGO
    )
    witness = PersonFactory(kind=Person.Kind.WITNESS, ward=None, party=None)
    assert Membership.objects.filter(person=unseated).count() == 1

    current = set(Person.objects.current_on(day))

    assert {serving, elected, seated, coopted, officer} <= current
    assert not {ended, not_yet, unseated, left, witness} & current


def test_which_posts_are_current_on_a_day():
    never_held = PostFactory(title="Chief Digital Officer")
    held = PostFactory(title="Director of Resources")
    PostHolding.objects.create(
        post=held, person=PersonFactory(officer=True), starts_on=datetime.date(2015, 1, 1)
    )
    gone = PostFactory(title="Director of Past Services")
    PostHolding.objects.create(
        post=gone, person=PersonFactory(officer=True), starts_on=LONG_AGO, ends_on=LONG_AGO
    )

    assert set(Post.objects.current_on(DAY)) == {never_held, held}
    assert [value for value, _note in search("posts", "", DAY)] == [
        "Chief Digital Officer",
        "Director of Resources",
    ]


def test_the_console_is_sent_without_its_templates_indentation(meeting, editor):
    page = console(editor, meeting)
    content = page.split('<p class="breadcrumb">', 1)[1].split("</main>", 1)[0]
    assert 'id="minutes-heading"' in content
    assert 'class="autosave"' in content
    assert not re.search(r">[ \t]*\n\s*[ \t]+<", content)
