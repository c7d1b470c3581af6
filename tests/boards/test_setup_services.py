"""Setting up the council (``boards.setup``): bodies of every kind with their own standard
agendas, dissolved bodies kept read only, memberships with one chair at a time, named
substitutes, people with their terms and photos, posts held over time, and the history of it."""

import datetime
import io
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from boards import access, history, services, setup
from boards.models import AgendaItem, Board, Membership, Person, PostHolding
from boards.roles import Role
from tests.factories import (
    BoardFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    PostFactory,
    UserFactory,
    VenueFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
Kind = AgendaItem.Kind


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def new_body(kind=Board.Kind.SCRUTINY, name="Licensing Committee", **fields) -> Board:
    return setup.body_create(board=Board(name=name, kind=kind, **fields))


def kinds_of(board: Board) -> list[str]:
    return [line.kind for line in services.standard_agenda(board)]


# Bodies of every kind, each with its own standard agenda ----------------------------------------


def test_a_new_body_gets_the_standard_agenda_of_its_kind_as_its_own():
    scrutiny = new_body(Board.Kind.SCRUTINY, "Scrutiny Board (Children)")
    cabinet = new_body(Board.Kind.EXECUTIVE, "Executive Board")
    council = new_body(Board.Kind.COUNCIL, "Council")
    licensing = new_body(Board.Kind.REGULATORY, "Licensing Committee")
    group = new_body(Board.Kind.WORKING_GROUP, "Budget Working Group")

    assert kinds_of(scrutiny) == [item.kind for item in services.STANDARD_AGENDA]
    assert scrutiny.agenda_template.count() == len(services.STANDARD_AGENDA)
    # The scrutiny standing items are the scrutiny bodies' alone.
    for body in (cabinet, council, licensing, group):
        assert Kind.WORK_SCHEDULE not in kinds_of(body), body
        assert body.agenda_template.exists(), body
    assert kinds_of(cabinet) == [
        Kind.APPEALS,
        Kind.EXEMPT_INFORMATION,
        Kind.LATE_ITEMS,
        Kind.DECLARATIONS,
        Kind.APOLOGIES,
        Kind.MINUTES,
    ]
    assert [line.title for line in services.standard_agenda(council)][:2] == [
        "Apologies for absence",
        "Minutes of the previous meeting",
    ]
    assert kinds_of(licensing)[-1] == Kind.NEXT_MEETING
    assert kinds_of(group) == [Kind.APOLOGIES, Kind.DECLARATIONS, Kind.MINUTES, Kind.NEXT_MEETING]
    assert (
        new_body(Board.Kind.OVERVIEW, "Overview and Scrutiny")
        .agenda_template.filter(kind=Kind.WORK_SCHEDULE, title="Work programme")
        .exists()
    )


def test_a_body_entered_before_set_up_uses_its_kinds_standard_agenda():
    cabinet = BoardFactory(kind=Board.Kind.EXECUTIVE)
    meeting = services.meeting_create(
        board=cabinet,
        starts_at=datetime.datetime(2026, 3, 2, 10, tzinfo=LONDON),
        venue=VenueFactory(),
    )
    kinds = list(meeting.agenda_items.values_list("kind", flat=True))
    assert Kind.WORK_SCHEDULE not in kinds
    assert kinds[-1] == Kind.MINUTES


@pytest.mark.parametrize(
    ("kind", "decides"),
    [
        (Board.Kind.SCRUTINY, False),
        (Board.Kind.OVERVIEW, False),
        (Board.Kind.EXECUTIVE, True),
        (Board.Kind.COUNCIL, True),
        (Board.Kind.REGULATORY, True),
        (Board.Kind.WORKING_GROUP, False),
        (Board.Kind.OTHER, False),
    ],
)
def test_the_executive_full_council_and_regulatory_committees_take_decisions(kind, decides):
    assert Board(kind=kind).takes_decisions is decides


def test_a_body_gets_a_slug_of_its_own_never_one_a_page_uses():
    first = new_body(name="Licensing Committee")
    second = new_body(name="Licensing Committee!", kind=Board.Kind.REGULATORY)
    assert (first.slug, second.slug) == ("licensing-committee", "licensing-committee-2")
    assert new_body(name="New").slug != "new"


def test_a_change_of_kind_brings_the_new_kinds_agenda_unless_it_was_edited():
    body = new_body(Board.Kind.SCRUTINY, "Planning Panel")
    body.kind = Board.Kind.REGULATORY
    setup.body_update(board=body)
    assert Kind.WORK_SCHEDULE not in kinds_of(body)

    setup.standard_line_add(board=body, kind=Kind.OTHER, title="Site visits")
    body.kind = Board.Kind.OTHER
    setup.body_update(board=body)
    assert "Site visits" in [line.title for line in services.standard_agenda(body)]


def test_a_body_support_officer_must_be_an_officer():
    with pytest.raises(ValidationError) as error:
        new_body(support_officer=PersonFactory())
    assert "choose an officer" in error.value.message_dict["support_officer"][0]


def test_a_mistyped_year_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as error:
        new_body(starts_on=datetime.date(216, 5, 21))
    assert error.value.message_dict["starts_on"][0].startswith("Check the year")


# Dissolving a body ----------------------------------------------------------------------------


def test_a_dissolved_body_is_kept_read_only_with_its_successor_linked_both_ways(clerk):
    old = new_body(name="Scrutiny Board (Resources)", starts_on=datetime.date(2015, 5, 21))
    new = new_body(name="Overview and Scrutiny Committee", kind=Board.Kind.OVERVIEW)
    member = MembershipFactory(board=old, starts_on=datetime.date(2015, 5, 21))

    setup.body_dissolve(board=old, ends_on=days(-1), successor=new)

    old.refresh_from_db()
    member.refresh_from_db()
    assert old.is_dissolved and old.successor == new
    assert list(new.predecessors.all()) == [old]
    assert member.ends_on == days(-1)  # no seat outlives its body
    assert not access.can_edit(clerk, old)
    assert access.responsible_for(clerk, old)
    assert not Board.objects.editable_by(clerk).filter(pk=old.pk).exists()
    with pytest.raises(PermissionDenied) as refused:
        access.require_edit(clerk, old)
    assert "was dissolved after" in str(refused.value)
    assert "its work passed to Overview and Scrutiny Committee" in str(refused.value)
    with pytest.raises(ValidationError, match="It holds no new meetings"):
        services.meeting_create(
            board=old, starts_at=timezone.now() + datetime.timedelta(days=30), venue=None
        )
    with pytest.raises(ValidationError):
        setup.membership_add(board=old, person=PersonFactory(), role="member", starts_on=days(-10))


def test_a_body_dissolved_from_a_later_day_still_works_until_then(clerk):
    body = new_body()
    setup.body_dissolve(board=body, ends_on=days(30), successor=None)
    assert access.can_edit(clerk, body)
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            board=body, starts_at=timezone.now() + datetime.timedelta(days=40), venue=None
        )
    assert "last day is" in error.value.message_dict["date"][0]


def test_dissolving_refuses_a_successor_that_cannot_be_one():
    body = new_body(name="A")
    gone = new_body(name="B")
    setup.body_dissolve(board=gone, ends_on=days(-1), successor=None)
    with pytest.raises(ValidationError) as error:
        setup.body_dissolve(board=body, ends_on=days(-1), successor=body)
    assert error.value.message_dict["successor"] == ["A body cannot succeed itself."]
    with pytest.raises(ValidationError) as error:
        setup.body_dissolve(board=body, ends_on=days(-1), successor=gone)
    assert "choose a body that still exists" in error.value.message_dict["successor"][0]


def test_a_body_with_a_meeting_after_its_last_day_is_not_dissolved():
    body = new_body()
    MeetingFactory(board=body)  # in 30 days
    with pytest.raises(ValidationError) as error:
        setup.body_dissolve(board=body, ends_on=days(1), successor=None)
    assert "cancel or move it first" in error.value.message_dict["ends_on"][0]


# The standard agenda, line by line --------------------------------------------------------------


def test_standard_agenda_lines_are_added_before_the_closing_items_moved_edited_and_removed():
    body = new_body()
    position = setup.standard_line_add(board=body, kind=Kind.OTHER, title="Public questions")
    assert position == 7  # before the work schedule and the next meeting's date
    assert [line.title for line in services.standard_agenda(body)][6:] == [
        "Public questions",
        "Work schedule",
        "Date and time of next meeting",
    ]
    assert setup.standard_line_move(board=body, position=7, by=-1) == 6
    setup.standard_line_update(
        board=body, position=6, kind=Kind.OTHER, title="Public questions time", purpose="Q."
    )
    titles = [line.title for line in services.standard_agenda(body)]
    assert titles[5:7] == ["Public questions time", "Minutes of the previous meeting"]
    setup.standard_line_remove(board=body, position=1)
    assert list(body.agenda_template.values_list("position", flat=True)) == list(range(1, 9))
    assert services.standard_agenda(body)[0].kind == Kind.EXEMPT_INFORMATION


def test_a_body_entered_before_set_up_gets_its_own_lines_at_its_first_edit():
    legacy = BoardFactory(kind=Board.Kind.SCRUTINY)
    assert not legacy.agenda_template.exists()
    setup.standard_line_remove(board=legacy, position=8)
    assert legacy.agenda_template.count() == 7


def test_a_line_of_the_standard_agenda_needs_a_title():
    with pytest.raises(ValidationError) as error:
        setup.standard_line_add(board=new_body(), kind=Kind.OTHER, title="  ")
    assert error.value.message_dict["title"] == ["Enter the title of the item."]


def test_new_meetings_use_the_edited_standard_agenda():
    body = new_body(Board.Kind.REGULATORY)
    setup.standard_line_add(board=body, kind=Kind.OTHER, title="Applications")
    meeting = services.meeting_create(
        board=body, starts_at=timezone.now() + datetime.timedelta(days=30), venue=None
    )
    assert "Applications" in list(meeting.agenda_items.values_list("title", flat=True))


# Memberships and named substitutes --------------------------------------------------------------


def member(body, person=None, role="member", starts_on=datetime.date(2025, 5, 21), **kwargs):
    return setup.membership_add(
        board=body, person=person or PersonFactory(), role=role, starts_on=starts_on, **kwargs
    )


def test_a_body_has_one_chair_at_a_time_and_says_so_on_the_role():
    body = new_body()
    chair = member(body, role="chair", person=PersonFactory(given_name="Kathryn"))
    with pytest.raises(ValidationError) as error:
        member(body, role="chair", starts_on=datetime.date(2025, 9, 1))
    [message] = error.value.message_dict["role"]
    assert message.startswith("This body already has a chair from 21 May 2025")
    assert "Kathryn" in message
    # Once the chair's membership ends, another chair follows.
    setup.membership_end(membership=chair, ends_on=datetime.date(2025, 8, 31))
    member(body, role="chair", starts_on=datetime.date(2025, 9, 1))


def test_councillors_and_co_opted_members_hold_their_own_roles():
    body = new_body()
    coopted = PersonFactory(kind=Person.Kind.COOPTED, ward=None, party=None)
    with pytest.raises(ValidationError) as error:
        member(body, person=coopted, role="member")
    assert error.value.message_dict["role"] == [f"{coopted} is co-opted: choose whether they vote."]
    member(body, person=coopted, role=Membership.Role.COOPTED_NON_VOTING)
    with pytest.raises(ValidationError) as error:
        member(body, role=Membership.Role.COOPTED_VOTING)
    assert "choose chair, vice-chair or member" in error.value.message_dict["role"][0]
    with pytest.raises(ValidationError) as error:
        member(body, person=PersonFactory(officer=True))
    assert "only they sit on a body" in error.value.message_dict["person"][0]


def test_a_membership_is_sane_in_its_dates():
    body = new_body(starts_on=datetime.date(2020, 5, 21))
    person = PersonFactory()
    with pytest.raises(ValidationError) as error:
        member(
            body,
            person=person,
            starts_on=datetime.date(2025, 5, 21),
            ends_on=datetime.date(2025, 5, 1),
        )
    assert error.value.message_dict["ends_on"] == [
        "The last day cannot be before the membership starts, on 21 May 2025."
    ]
    with pytest.raises(ValidationError) as error:
        member(body, person=person, starts_on=datetime.date(2019, 5, 21))
    assert "cannot start before then" in error.value.message_dict["starts_on"][0]
    with pytest.raises(ValidationError) as error:
        member(body, person=person, starts_on=datetime.date(9999, 1, 1))
    assert error.value.message_dict["starts_on"][0].startswith("Check the year")
    first = member(body, person=person)
    with pytest.raises(ValidationError) as error:
        member(body, person=person, starts_on=datetime.date(2026, 1, 1))
    assert (
        "already a member of this body from 21 May 2025" in error.value.message_dict["starts_on"][0]
    )
    with pytest.raises(ValidationError) as error:
        setup.membership_end(membership=first, ends_on=datetime.date(2024, 1, 1))
    assert "cannot be before the membership starts" in error.value.message_dict["ends_on"][0]


def test_a_named_substitute_is_a_councillor_who_is_not_a_member():
    body = new_body()
    sitting = member(body).person
    with pytest.raises(ValidationError) as error:
        setup.substitute_name(board=body, person=sitting, starts_on=datetime.date(2025, 6, 1))
    assert "a member is not its substitute" in error.value.message_dict["person"][0]
    with pytest.raises(ValidationError) as error:
        setup.substitute_name(
            board=body,
            person=PersonFactory(kind=Person.Kind.COOPTED, ward=None, party=None),
            starts_on=datetime.date(2025, 6, 1),
        )
    assert "only a councillor substitutes" in error.value.message_dict["person"][0]
    with pytest.raises(ValidationError) as error:
        setup.substitute_name(
            board=body,
            person=PersonFactory(),
            for_member=PersonFactory(),
            starts_on=datetime.date(2025, 6, 1),
        )
    assert "is not a member of this body" in error.value.message_dict["for_member"][0]
    named = setup.substitute_name(
        board=body, person=PersonFactory(), for_member=sitting, starts_on=datetime.date(2025, 6, 1)
    )
    setup.substitute_end(named=named, ends_on=datetime.date(2025, 12, 31))
    assert not body.named_substitutes.current(datetime.date(2026, 1, 1)).exists()


# People and posts ------------------------------------------------------------------------------


def image(kind="PNG", size=(200, 240)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format=kind)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}[kind]
    return SimpleUploadedFile(f"me.{kind.lower()}", buffer.getvalue(), content_type)


def test_a_councillors_photo_is_checked_and_stored_re_encoded_under_a_generated_name(
    django_capture_on_commit_callbacks,
):
    councillor = PersonFactory()
    setup.person_save(person=councillor, photo=image("PNG", (1600, 1200)))
    councillor.refresh_from_db()
    first = councillor.photo.name
    assert first.startswith("people/") and first.endswith(".jpg") and "me" not in first
    with default_storage.open(first) as stored, Image.open(stored) as photo:
        assert photo.format == "JPEG"
        assert max(photo.size) == 800
    with django_capture_on_commit_callbacks(execute=True):
        setup.person_save(person=councillor, photo=image("JPEG"))
    assert not default_storage.exists(first)  # the photo it replaced is gone


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("me.jpg", b"not an image", "image/jpeg"), "is not a photo"),
        (image("GIF"), "must be a photo"),
        (image("PNG", (20, 20)), "too small"),
        (SimpleUploadedFile("me.png", b"", "image/png"), "empty"),
    ],
)
def test_a_photo_that_is_not_one_is_refused_on_the_photo_field(upload, message):
    with pytest.raises(ValidationError) as error:
        setup.person_save(person=PersonFactory(), photo=upload)
    assert message in error.value.message_dict["photo"][0]


def test_a_photo_too_large_is_refused(settings):
    settings.PHOTO_UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        setup.person_save(person=PersonFactory(), photo=image())
    assert error.value.message_dict["photo"] == ["The selected photo must be smaller than 0.1 MB."]


def test_only_a_councillor_has_a_ward_party_and_term_and_only_members_a_photo():
    officer = PersonFactory.build(
        officer=True, ward=WardFactory(), elected_on=datetime.date(2022, 5, 5)
    )
    setup.person_save(person=officer)
    assert (officer.ward, officer.elected_on) == (None, None)
    with pytest.raises(ValidationError) as error:
        setup.person_save(person=PersonFactory(officer=True), photo=image())
    assert error.value.message_dict["photo"] == [
        "Only councillors and co-opted members have a photo."
    ]


def test_a_councillors_term_ends_after_the_election():
    councillor = PersonFactory(elected_on=datetime.date(2022, 5, 5))
    councillor.term_ends_on = datetime.date(2021, 5, 5)
    with pytest.raises(ValidationError) as error:
        setup.person_save(person=councillor)
    assert "cannot be before their term starts" in error.value.message_dict["term_ends_on"][0]


def test_who_held_a_post_is_recorded_over_time():
    post = PostFactory(title="Director of Adults and Health")
    first, second = PersonFactory(officer=True), PersonFactory(officer=True)
    setup.post_holding_save(
        holding=PostHolding(
            post=post,
            person=first,
            starts_on=datetime.date(2019, 1, 1),
            ends_on=datetime.date(2024, 3, 31),
        )
    )
    setup.post_holding_save(
        holding=PostHolding(post=post, person=second, starts_on=datetime.date(2024, 4, 1))
    )
    assert post.holder_on(datetime.date(2020, 1, 1)) == first
    assert post.holder_on(datetime.date(2025, 1, 1)) == second
    with pytest.raises(ValidationError) as error:
        setup.post_holding_save(
            holding=PostHolding(post=post, person=second, starts_on=datetime.date(2025, 1, 1))
        )
    assert "already holds this post from 1 April 2024" in error.value.message_dict["starts_on"][0]
    with pytest.raises(ValidationError) as error:
        setup.post_holding_save(
            holding=PostHolding(
                post=post,
                person=PersonFactory(kind=Person.Kind.WITNESS, ward=None, party=None),
                starts_on=datetime.date(2025, 1, 1),
            )
        )
    assert "is not an officer or councillor" in error.value.message_dict["person"][0]


# History --------------------------------------------------------------------------------------


def test_the_history_says_who_changed_what_and_when():
    clerk = UserFactory(roles=[Role.CLERK], first_name="Harriet", last_name="Doyle")
    body = new_body()
    person = PersonFactory(given_name="Ruth", family_name="Woodhouse")
    membership = member(body, person=person)
    membership.role = Membership.Role.VICE_CHAIR
    membership._history_user = clerk  # as HistoryRequestMiddleware sets it for a request
    setup.membership_update(membership=membership)

    changes = history.changes(Membership.history.filter(board_id=body.pk))
    latest, created = changes
    assert latest.who_name == "Harriet Doyle"
    assert latest.record == "Membership of Councillor Ruth Woodhouse"
    assert latest.action == "Changed"
    assert [(f.label, f.old, f.new) for f in latest.fields] == [("Role", "Member", "Vice-chair")]
    assert created.action == "Created"
    assert ("Starts on", "", "21 May 2025") in [(f.label, f.old, f.new) for f in created.fields]


def test_the_history_reads_a_fixed_number_of_queries(django_assert_max_num_queries):
    body = new_body()
    for _ in range(10):
        person = PersonFactory()
        membership = member(body, person=person)
        setup.membership_end(membership=membership, ends_on=datetime.date(2026, 1, 1))
    with django_assert_max_num_queries(6):
        changes = history.changes(body.history.all(), Membership.history.filter(board_id=body.pk))
    assert len(changes) == 21
