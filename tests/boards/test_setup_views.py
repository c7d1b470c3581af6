"""The set-up pages: who may open and post to each (clerks every body, officers the bodies they
support, never the public), field-named messages for bad input, a dissolved body read only and
saying why, the history of changes, photos, and list pages in a fixed number of queries."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from boards import services, setup
from boards.models import Board, Membership, Person, PostHolding
from tests.factories import (
    BoardFactory,
    MembershipFactory,
    PartyFactory,
    PersonFactory,
    PostFactory,
    WardFactory,
)
from tests.matrix import EDITORS, EVERYONE, STAFF, expect

pytestmark = pytest.mark.django_db

CLERKS = ["clerk", "administrator"]


def today() -> datetime.date:
    return timezone.localdate()


def _membership(board):
    return board.memberships.first()


# Who may open each page: (url builder, {audience: expected status}).
PAGES = {
    "set-up home": (lambda b: reverse("boards:setup"), expect(STAFF)),
    "bodies": (lambda b: reverse("boards:setup-bodies"), expect(STAFF)),
    "new body": (lambda b: reverse("boards:setup-body-create"), expect(CLERKS)),
    "a body's set-up": (lambda b: reverse("boards:setup-body", args=[b.slug]), expect(EDITORS)),
    "its details": (lambda b: reverse("boards:setup-body-edit", args=[b.slug]), expect(EDITORS)),
    "dissolve it": (lambda b: reverse("boards:setup-body-dissolve", args=[b.slug]), expect(CLERKS)),
    "its history": (lambda b: reverse("boards:setup-body-history", args=[b.slug]), expect(EDITORS)),
    "a standard line": (
        lambda b: reverse("boards:setup-line-edit", args=[b.slug, 1]),
        expect(EDITORS),
    ),
    "add a member": (lambda b: reverse("boards:setup-member-add", args=[b.slug]), expect(EDITORS)),
    "a membership": (
        lambda b: reverse("boards:setup-membership", args=[_membership(b).pk]),
        expect(EDITORS),
    ),
    "end a membership": (
        lambda b: reverse("boards:setup-membership-end", args=[_membership(b).pk]),
        expect(EDITORS),
    ),
    "name a substitute": (
        lambda b: reverse("boards:setup-substitute-add", args=[b.slug]),
        expect(EDITORS),
    ),
    "people": (lambda b: reverse("boards:setup-people"), expect(STAFF)),
    "add a councillor": (
        lambda b: reverse("boards:setup-person-create", args=["councillor"]),
        expect(STAFF),
    ),
    "a person": (
        lambda b: reverse("boards:setup-person", args=[_membership(b).person_id]),
        expect(STAFF),
    ),
    "a person's history": (
        lambda b: reverse("boards:setup-person-history", args=[_membership(b).person_id]),
        expect(STAFF),
    ),
    "posts": (lambda b: reverse("boards:setup-posts"), expect(STAFF)),
    "add a post": (lambda b: reverse("boards:setup-post-create"), expect(STAFF)),
    "a post": (lambda b: reverse("boards:setup-post", args=[PostFactory().pk]), expect(STAFF)),
    "wards and parties": (lambda b: reverse("boards:setup-wards-and-parties"), expect(CLERKS)),
    "a ward": (lambda b: reverse("boards:setup-ward", args=[WardFactory().pk]), expect(CLERKS)),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_permission_matrix(board, audiences, page):
    url_for, expected = PAGES[page]
    url = url_for(board)
    seen = {name: audiences[name].get(url).status_code for name in EVERYONE}
    assert seen == expected
    assert audiences["public"].get(url)["Location"].startswith("/account/sign-in/")


@pytest.mark.parametrize(
    ("name", "data", "allowed"),
    [
        ("boards:setup-member-add", {"role": "member"}, EDITORS),
        ("boards:setup-line-add", {"line-kind": "other", "line-title": "X"}, EDITORS),
        ("boards:setup-body-dissolve", {}, CLERKS),
    ],
)
def test_writes_refuse_those_who_may_not_make_them(board, audiences, name, data, allowed):
    url = reverse(name, args=[board.slug])
    for audience in EVERYONE:
        status = audiences[audience].post(url, data).status_code
        if audience == "public":
            assert status == 302
        elif audience in allowed:
            assert status in (302, 422), audience
        else:
            assert status == 403, audience


def test_an_officer_keeps_the_details_of_their_body_but_not_its_kind_or_officer(
    board, officer, client_for
):
    client = client_for(officer)
    response = client.post(
        reverse("boards:setup-body-edit", args=[board.slug]),
        {"name": "Scrutiny Board (Resources)", "kind": "executive", "remit": "Money."},
    )
    assert response.status_code == 302
    board.refresh_from_db()
    assert (board.name, board.kind, board.remit) == (
        "Scrutiny Board (Resources)",
        Board.Kind.SCRUTINY,
        "Money.",
    )
    assert board.support_officer.user == officer  # kept: the field is a clerk's


# A clerk sets up a body ------------------------------------------------------------------------


def test_a_new_body_with_bad_input_gets_field_named_messages(clerk, client_for):
    client = client_for(clerk)
    response = client.post(reverse("boards:setup-body-create"), {"name": "", "starts_on": "x"})
    assert response.status_code == 422
    page = response.text
    assert "Enter the name of the body." in page
    assert "Choose what kind of body it is." in page
    assert "Enter a real date, for example 21/05/2026." in page
    assert "This field is required." not in page

    response = client.post(
        reverse("boards:setup-body-create"),
        {"name": "Licensing Committee", "kind": "regulatory", "starts_on": "1216-05-21"},
    )
    assert response.status_code == 422
    assert "Check the year" in response.text


def test_a_clerk_sets_up_a_regulatory_committee_with_its_own_standard_agenda(clerk, client_for):
    client = client_for(clerk)
    response = client.post(
        reverse("boards:setup-body-create"),
        {"name": "Licensing Committee", "kind": "regulatory", "remit": "Licences."},
    )
    body = Board.objects.get(name="Licensing Committee")
    assert response.status_code == 302
    assert response["Location"] == reverse("boards:setup-body", args=[body.slug])
    page = client.get(response["Location"]).text
    assert "Regulatory committee (its minutes record decisions)" in page
    assert "Appeals against refusal of inspection of documents" in page
    assert "7. Date and time of next meeting" in page  # no scrutiny work schedule before it
    assert ". Work schedule" not in page

    # Its standard agenda, line by line.
    response = client.post(
        reverse("boards:setup-line-add", args=[body.slug]),
        {"line-kind": "report", "line-title": "Applications for premises licences"},
    )
    assert response["Location"].endswith("#line-7")
    client.post(reverse("boards:setup-line-move", args=[body.slug, 7]), {"direction": "up"})
    client.post(reverse("boards:setup-line-remove", args=[body.slug, 1]))
    titles = [line.title for line in services.standard_agenda(body)]
    assert titles[4:6] == ["Applications for premises licences", "Minutes of the previous meeting"]
    response = client.post(
        reverse("boards:setup-line-add", args=[body.slug]), {"line-kind": "report"}
    )
    assert response.status_code == 422
    assert "Enter the title of the item." in response.text


def test_one_chair_at_a_time_is_said_on_the_form(board, clerk, client_for):
    MembershipFactory(board=board, role="chair", person=PersonFactory(given_name="Kathryn"))
    councillor = PersonFactory()
    response = client_for(clerk).post(
        reverse("boards:setup-member-add", args=[board.slug]),
        {"person": councillor.pk, "role": "chair", "starts_on": today().isoformat()},
    )
    assert response.status_code == 422
    assert "This body already has a chair from 21 May 2015" in response.text
    assert "end that membership as chair first" in response.text


def test_a_member_is_added_and_ended_from_the_set_up_page(board, officer, client_for):
    client = client_for(officer)
    councillor = PersonFactory(given_name="Ruth", family_name="Woodhouse")
    response = client.post(
        reverse("boards:setup-member-add", args=[board.slug]),
        {"person": councillor.pk, "role": "vice_chair", "starts_on": "2025-05-21"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(person=councillor)
    assert membership.role == "vice_chair"
    response = client.post(
        reverse("boards:setup-membership-end", args=[membership.pk]), {"ends_on": "2025-01-01"}
    )
    assert response.status_code == 422
    assert "The last day cannot be before the membership starts, on 21 May 2025." in response.text
    client.post(
        reverse("boards:setup-membership-end", args=[membership.pk]), {"ends_on": "2025-12-31"}
    )
    membership.refresh_from_db()
    assert membership.ends_on == datetime.date(2025, 12, 31)
    history = client.get(reverse("boards:setup-body-history", args=[board.slug])).text
    assert "Membership of Councillor Ruth Woodhouse" in history
    assert f"by {officer.get_full_name()}" in history
    assert "Vice-chair" in history and "31 December 2025" in history


# A dissolved body ------------------------------------------------------------------------------


def test_a_dissolved_body_is_read_only_and_every_refusal_says_why(board, clerk, client_for):
    successor = BoardFactory(name="Overview and Scrutiny Committee")
    MembershipFactory(board=board)
    client = client_for(clerk)
    response = client.post(
        reverse("boards:setup-body-dissolve", args=[board.slug]),
        {"ends_on": (today() - datetime.timedelta(days=1)).isoformat(), "successor": successor.pk},
    )
    assert response.status_code == 302

    page = client.get(reverse("boards:setup-body", args=[board.slug])).text
    assert "was dissolved after" in page
    assert "its work passed to Overview and Scrutiny Committee" in page
    assert "Add a member" not in page and "Edit the details" not in page
    for url in (
        reverse("boards:setup-member-add", args=[board.slug]),
        reverse("boards:meeting-create", args=[board.slug]),
        reverse("boards:setup-body-edit", args=[board.slug]),
    ):
        refused = client.get(url)
        assert refused.status_code == 403, url
        assert "can no longer be changed here" in refused.text

    public = Client()
    assert (
        "Its work passed to" in public.get(reverse("boards:board-detail", args=[board.slug])).text
    )
    successor_page = public.get(reverse("boards:board-detail", args=[successor.slug])).text
    assert "Took over the work of" in successor_page and board.name in successor_page
    assert "Dissolved after" in public.get(reverse("boards:board-list")).text


# People ------------------------------------------------------------------------------------------


def png(size=(300, 300)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, format="PNG")
    return SimpleUploadedFile("portrait.png", buffer.getvalue(), "image/png")


def test_a_councillor_is_added_with_a_photo_anyone_may_see(officer, client_for):
    client = client_for(officer)
    ward, party = WardFactory(name="Moortop"), PartyFactory(name="Green")
    response = client.post(
        reverse("boards:setup-person-create", args=["councillor"]),
        {
            "given_name": "Aaron",
            "family_name": "Sowerby",
            "ward": ward.pk,
            "party": party.pk,
            "elected_on": "2022-05-05",
            "term_ends_on": "2026-05-07",
            "photo": png(),
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(family_name="Sowerby")
    assert (person.kind, person.ward, person.term_ends_on) == (
        "councillor",
        ward,
        datetime.date(2026, 5, 7),
    )
    photo = Client().get(reverse("boards:person-photo", args=[person.pk]))
    assert photo["Content-Type"] == "image/jpeg"
    assert b"".join(photo.streaming_content).startswith(b"\xff\xd8")


def test_bad_input_about_a_person_names_the_field(officer, client_for):
    client = client_for(officer)
    response = client.post(
        reverse("boards:setup-person-create", args=["councillor"]),
        {
            "given_name": "",
            "family_name": "Sowerby",
            "email": "not an address",
            "photo": SimpleUploadedFile("x.png", b"GIF89a nonsense", "image/png"),
        },
    )
    assert response.status_code == 422
    for message in (
        "Enter their given name.",
        "Choose the ward they represent.",
        "Enter an email address like name@example.gov.uk.",
        "The selected file is not a photo that can be opened",
    ):
        assert message in response.text, message
    response = client.post(
        reverse("boards:setup-person-create", args=["officer"]),
        {"given_name": "Guy", "family_name": "Ellerby"},
    )
    assert "Enter their job title." in response.text
    assert client.get(reverse("boards:setup-person-create", args=["mayor"])).status_code == 404


def test_an_officers_photo_is_never_served(db):
    officer = PersonFactory(officer=True)
    assert Client().get(reverse("boards:person-photo", args=[officer.pk])).status_code == 404
    councillor = PersonFactory()
    assert Client().get(reverse("boards:person-photo", args=[councillor.pk])).status_code == 404


def test_people_are_found_by_name_post_ward_or_kind(officer, client_for):
    PersonFactory(given_name="Ruth", family_name="Woodhouse", ward=WardFactory(name="Farsby"))
    director = PersonFactory(officer=True, given_name="Anne", family_name="Lister")
    PostHolding.objects.create(
        post=PostFactory(title="Director of Adults and Health"),
        person=director,
        starts_on=datetime.date(2020, 1, 1),
    )
    client = client_for(officer)
    url = reverse("boards:setup-people")
    assert "Woodhouse" in client.get(url, {"q": "farsby"}).text
    found = client.get(url, {"q": "lister"}).text
    assert "Director of Adults and Health" in found and "Woodhouse" not in found
    assert "Woodhouse" not in client.get(url, {"kind": "officer"}).text


def test_the_people_list_reads_a_fixed_number_of_queries(
    officer, client_for, django_assert_max_num_queries
):
    post = PostFactory()
    for _ in range(30):
        PersonFactory()
        holder = PersonFactory(officer=True)
        PostHolding.objects.create(post=post, person=holder, starts_on=datetime.date(2020, 1, 1))
    client = client_for(officer)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("boards:setup-people"))
    assert response.text.count("<tr>") == 51  # a page of 50, and the heading row
    with django_assert_max_num_queries(10):
        response = client.get(reverse("boards:setup-people"), {"kind": "officer"})
    assert response.text.count(post.title) == 30


def test_the_bodies_posts_and_wards_lists_read_a_fixed_number_of_queries(
    clerk, client_for, django_assert_max_num_queries
):
    post = PostFactory()
    for _ in range(12):
        body = BoardFactory(support_officer=PersonFactory(officer=True))
        MembershipFactory(board=body)
        PostHolding.objects.create(
            post=PostFactory(), person=PersonFactory(officer=True), starts_on=post.created.date()
        )
    client = client_for(clerk)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("boards:setup-bodies")).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(reverse("boards:setup-posts")).status_code == 200
    with django_assert_max_num_queries(13):
        assert client.get(reverse("boards:setup-wards-and-parties")).status_code == 200


def test_a_body_set_up_page_reads_a_fixed_number_of_queries(
    board, clerk, client_for, django_assert_max_num_queries
):
    for _ in range(15):
        MembershipFactory(board=board)
    setup.substitute_name(board=board, person=PersonFactory(), starts_on=datetime.date(2025, 1, 1))
    client = client_for(clerk)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("boards:setup-body", args=[board.slug]))
    assert response.text.count("Change<span") == 15


# Wards, parties and posts ----------------------------------------------------------------------


def test_a_ward_or_party_named_twice_is_refused_by_name(clerk, client_for):
    WardFactory(name="Moortop")
    client = client_for(clerk)
    response = client.post(reverse("boards:setup-ward-create"), {"ward-name": "Moortop"})
    assert response.status_code == 422
    assert "There is already a ward with that name." in response.text
    response = client.post(reverse("boards:setup-party-create"), {"party-name": ""})
    assert "Enter the name of the party." in response.text
    client.post(reverse("boards:setup-party-create"), {"party-name": "Yorkshire Party"})
    page = client.get(reverse("boards:setup-wards-and-parties")).text
    assert "Yorkshire Party" in page
    assert f"by {clerk.get_full_name()}" in page  # its history


def test_who_holds_a_post_is_recorded_and_its_history_kept(officer, client_for):
    client = client_for(officer)
    response = client.post(
        reverse("boards:setup-post-create"), {"title": "Director of Adults and Health"}
    )
    post_url = response["Location"]
    holder = PersonFactory(officer=True, given_name="Anne", family_name="Lister")
    post_pk = int(post_url.rstrip("/").split("/")[-1])
    client.post(
        reverse("boards:setup-holding-add", args=[post_pk]),
        {"person": holder.pk, "starts_on": "2024-04-01"},
    )
    assert "Anne Lister" in client.get(post_url).text
    history = client.get(reverse("boards:setup-post-history", args=[post_pk])).text
    assert "Director of Adults and Health held by Anne Lister" in history
    response = client.post(reverse("boards:setup-post-create"), {"title": ""})
    assert "Enter the title of the post." in response.text


def test_the_clerks_and_officers_desks_link_to_the_set_up_pages(officer, clerk, client_for):
    for user, desk in ((clerk, "home:clerk-home"), (officer, "home:officer-home")):
        page = client_for(user).get(reverse(desk)).text
        assert f'href="{reverse("boards:setup")}"' in page, desk


def test_dates_out_of_order_are_refused_on_their_field_not_as_a_constraint(
    board, officer, client_for
):
    client = client_for(officer)
    response = client.post(
        reverse("boards:setup-member-add", args=[board.slug]),
        {
            "person": PersonFactory().pk,
            "role": "member",
            "starts_on": "2025-05-21",
            "ends_on": "2025-05-01",
        },
    )
    assert response.status_code == 422
    assert "The last day cannot be before the membership starts, on 21 May 2025." in response.text
    assert "Constraint" not in response.text
    response = client.post(
        reverse("boards:setup-person-create", args=["councillor"]),
        {
            "given_name": "Aaron",
            "family_name": "Sowerby",
            "ward": WardFactory().pk,
            "elected_on": "2022-05-05",
            "term_ends_on": "2022-05-05",
        },
    )
    assert "The term ends after the day of the election." in response.text
    assert "Constraint" not in response.text


def test_an_administrator_still_finds_bodies_with_their_substitutes_in_the_admin_site(
    board, administrator, client_for
):
    setup.substitute_name(board=board, person=PersonFactory(), starts_on=datetime.date(2025, 1, 1))
    page = client_for(administrator).get(reverse("admin:boards_board_change", args=[board.pk]))
    assert page.status_code == 200
    assert "Named substitute" in page.text


def test_a_ward_and_a_party_are_renamed_on_their_own_pages(clerk, client_for):
    ward, party = WardFactory(name="Moortop"), PartyFactory(name="Labour")
    client = client_for(clerk)
    page = client.get(reverse("boards:setup-ward", args=[ward.pk]))
    assert "Ward: Moortop" in page.text
    assert "agendas already published included" in page.text
    response = client.post(
        reverse("boards:setup-ward", args=[ward.pk]), {"name": "  Moortop North "}, follow=True
    )
    assert "The ward has been saved." in response.text
    ward.refresh_from_db()
    assert ward.name == "Moortop North"
    refused = client.post(reverse("boards:setup-party", args=[party.pk]), {"name": ""})
    assert refused.status_code == 422
    assert "Party: " in refused.text and "Save the party" in refused.text
    party.refresh_from_db()
    assert party.name == "Labour"
