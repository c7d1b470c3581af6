"""The dispatch list page: who may see it and act on it, what it shows (late summonses flagged),
resending to one person, adding someone, recording a delivery by hand or by post, the CSV, and
its query budget."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from boards import services as board_services
from boards.models import AgendaItem, Membership
from summons.models import Dispatch, ExtraRecipient
from tests.conftest import meeting_with_exempt_item
from tests.factories import MeetingFactory, MembershipFactory, PersonFactory
from tests.matrix import expect

pytestmark = pytest.mark.django_db

Status = Dispatch.Status


@pytest.fixture
def published(body, clerk, django_capture_on_commit_callbacks):
    """The body's meeting in 30 days, its agenda published on time and sent."""
    meeting = meeting_with_exempt_item(body.board)
    with django_capture_on_commit_callbacks(execute=True):
        board_services.agenda_publish(meeting=meeting, by=clerk)
    return meeting


def list_url(meeting) -> str:
    return reverse("summons:dispatch-list", args=[meeting.pk])


def row_of(meeting, person) -> Dispatch:
    return Dispatch.objects.get(publication__meeting=meeting, person=person)


# Who may see it, and act ---------------------------------------------------------------------


def test_the_list_is_for_clerks_and_the_body_s_officers(published, audiences):
    codes = {
        name: client.get(list_url(published)).status_code for name, client in audiences.items()
    }
    assert codes == expect(["officer", "clerk", "administrator"])
    csv_url = reverse("summons:dispatch-csv", args=[published.pk])
    codes = {name: client.get(csv_url).status_code for name, client in audiences.items()}
    assert codes == expect(["officer", "clerk", "administrator"])


def test_only_clerks_send_and_record(published, body, audiences):
    row = row_of(published, body.chair)
    allowed = {"clerk", "administrator"}
    for name, client in audiences.items():
        resend = client.post(reverse("summons:dispatch-resend", args=[row.pk]))
        deliver = client.get(reverse("summons:dispatch-delivered", args=[row.pk]))
        add = client.post(reverse("summons:recipient-add", args=[published.pk]), {})
        if name == "public":
            assert {resend.status_code, deliver.status_code, add.status_code} == {302}
            assert "/account/sign-in/" in resend.url
        elif name in allowed:
            assert resend.status_code == 302, name
            assert deliver.status_code == 200, name
            assert add.status_code == 422, name  # an empty form
        else:
            assert {resend.status_code, deliver.status_code, add.status_code} == {403}, name
    page = audiences["officer"].get(list_url(published)).text
    assert "Resend" not in page  # the officer reads the list; the clerk acts on it
    assert "Resend" in audiences["clerk"].get(list_url(published)).text


def test_the_meeting_page_links_to_the_list_for_those_it_is_for_only(published, audiences):
    link = list_url(published)
    for name, client in audiences.items():
        page = client.get(published.get_absolute_url()).text
        assert (link in page) is (name in {"officer", "clerk", "administrator"}), name
    page = audiences["clerk"].get(published.get_absolute_url()).text
    assert "5 of 6 reached" in page
    assert "1 not sent" in page


# What it shows --------------------------------------------------------------------------------


def test_the_list_shows_who_what_when_and_what_failed(published, body, client_for, clerk):
    page = client_for(clerk).get(list_url(published)).text

    chair = row_of(published, body.chair)
    assert f'id="dispatch-{chair.pk}"' in page
    assert body.chair.display_name in page
    assert "k.greenhalgh@aldermoor.example" in page
    assert "Members&#x27; pack" in page and "Public pack" in page
    assert "Named substitute" in page and "Supporting officer" in page
    assert "No e-mail address is held for them" in page  # the member without one
    assert "1 not sent." in page
    assert "1 member not yet reached." in page
    assert "Late summons" not in page  # sent a month before


def test_a_summons_sent_too_late_is_flagged(
    body, clerk, client_for, django_capture_on_commit_callbacks
):
    soon = timezone.localtime() + datetime.timedelta(days=3)
    meeting = MeetingFactory(board=body.board, starts_at=soon.replace(hour=23, minute=0))
    board_services.agenda_item_add(meeting=meeting, item=AgendaItem(title="Budget"))
    with django_capture_on_commit_callbacks(execute=True):
        board_services.agenda_publish(meeting=meeting, by=clerk, late_reason="Report delayed.")

    page = client_for(clerk).get(list_url(meeting)).text

    assert "Late summons:" in page
    assert "3 members summoned fewer than five clear working days before the meeting" in page
    assert page.count('<strong class="tag tag--red">Late</strong>') == 5  # who it reached
    assert "Published late" in page
    rows = list(csv.DictReader(io.StringIO(_csv(client_for(clerk), meeting).lstrip("\ufeff"))))
    on_time = {row["Name"]: row["Five clear working days before the meeting"] for row in rows}
    assert set(on_time.values()) == {"No"}


# Resending ------------------------------------------------------------------------------------


def test_resend_swaps_the_row_in_place_for_htmx(
    published, body, client_for, clerk, django_capture_on_commit_callbacks
):
    row = row_of(published, body.chair)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        with_htmx = client_for(clerk).post(
            reverse("summons:dispatch-resend", args=[row.pk]), headers={"HX-Request": "true"}
        )
        assert not mail.outbox  # queued for the worker, once the request has committed

    assert with_htmx.status_code == 200
    assert with_htmx.text.lstrip().startswith(f'<tr id="dispatch-{row.pk}">')
    assert "Waiting to be sent" in with_htmx.text
    assert "Sent again at the request of" in with_htmx.text
    assert [message.to for message in mail.outbox] == [["k.greenhalgh@aldermoor.example"]]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 2)


def test_resend_without_javascript_returns_to_the_row(published, body, client_for, clerk):
    row = row_of(published, body.member)

    response = client_for(clerk).post(reverse("summons:dispatch-resend", args=[row.pk]))

    assert response.status_code == 302
    assert response.url == f"{list_url(published)}#dispatch-{row.pk}"


def test_a_resend_refused_says_why_in_the_row(published, body, client_for, clerk):
    row = row_of(published, body.no_address)
    client = client_for(clerk)

    with_htmx = client.post(
        reverse("summons:dispatch-resend", args=[row.pk]), headers={"HX-Request": "true"}
    )
    assert with_htmx.status_code == 422
    assert "No e-mail address is held for" in with_htmx.text
    plain = client.post(reverse("summons:dispatch-resend", args=[row.pk]), follow=True)
    assert "add one to their record" in plain.text


def test_nothing_is_resent_once_the_meeting_has_begun(published, body, client_for, clerk):
    Dispatch.objects.update(status=Status.SENT, sent_at=timezone.now())
    published.starts_at = timezone.now() - datetime.timedelta(minutes=5)
    published.save()
    row = row_of(published, body.chair)
    mail.outbox.clear()

    client = client_for(clerk)
    assert "Resend" not in client.get(list_url(published)).text
    response = client.post(reverse("summons:dispatch-resend", args=[row.pk]), follow=True)

    assert "This meeting has begun" in response.text
    assert not mail.outbox


# Adding someone -------------------------------------------------------------------------------


def test_a_clerk_adds_someone_who_is_sent_the_papers_at_once(
    published, client_for, clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(clerk).post(
            reverse("summons:recipient-add", args=[published.pk]),
            {"name": "Press Office", "email": "press@aldermoor.example", "reason": "Press"},
        )

    assert response.status_code == 302
    extra = ExtraRecipient.objects.get()
    assert (extra.meeting, extra.board, extra.added_by) == (published, None, clerk)
    row = Dispatch.objects.get(extra=extra)
    assert (row.status, row.edition, row.role) == (Status.SENT, "public", "other")
    [message] = mail.outbox[-1:]
    assert message.to == ["press@aldermoor.example"]
    assert message.subject.startswith("Agenda: ")
    assert "You are sent it for this reason: Press." in message.body


def test_someone_added_to_every_meeting_is_on_the_next_meeting_s_list(
    published, body, client_for, clerk, django_capture_on_commit_callbacks
):
    client_for(clerk).post(
        reverse("summons:recipient-add", args=[published.pk]),
        {
            "name": "Press Office",
            "email": "press@aldermoor.example",
            "reason": "Press",
            "every_meeting": "on",
        },
    )
    assert ExtraRecipient.objects.get().board == body.board
    later = meeting_with_exempt_item(body.board)
    with django_capture_on_commit_callbacks(execute=True):
        board_services.agenda_publish(meeting=later, by=clerk)

    assert Dispatch.objects.filter(publication__meeting=later, name="Press Office").exists()


def test_adding_someone_already_on_the_list_or_a_bad_address_says_so(published, client_for, clerk):
    client = client_for(clerk)
    url = reverse("summons:recipient-add", args=[published.pk])

    twice = client.post(
        url, {"name": "Chair", "email": "K.Greenhalgh@aldermoor.example", "reason": "x"}
    )
    assert twice.status_code == 422
    assert "is on this meeting&#x27;s list already at this address, as a member" in twice.text
    bad = client.post(url, {"name": "Press", "email": "press@", "reason": "Press"})
    assert bad.status_code == 422
    assert "Enter the e-mail address in the right form" in bad.text
    empty = client.post(url, {})
    assert "Enter the name" in empty.text
    assert not ExtraRecipient.objects.exists()


def test_adding_the_same_address_twice_is_refused_whatever_its_case(published, client_for, clerk):
    client = client_for(clerk)
    url = reverse("summons:recipient-add", args=[published.pk])
    client.post(
        url,
        {
            "name": "Press",
            "email": "press@aldermoor.example",
            "reason": "Press",
            "every_meeting": "on",
        },
    )

    again = client.post(url, {"name": "Press", "email": "PRESS@aldermoor.example", "reason": "x"})

    assert again.status_code == 422
    assert "Press is on this meeting&#x27;s list already at this address." in again.text
    assert ExtraRecipient.objects.count() == 1


def test_a_clerk_takes_someone_off_the_list_and_what_they_were_sent_stays(
    published, client_for, clerk, django_capture_on_commit_callbacks
):
    client = client_for(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("summons:recipient-add", args=[published.pk]),
            {"name": "Press Office", "email": "press@aldermoor.example", "reason": "Press"},
        )
    extra = ExtraRecipient.objects.get()

    response = client.post(reverse("summons:recipient-remove", args=[published.pk, extra.pk]))

    assert response.status_code == 302
    assert not ExtraRecipient.objects.exists()
    assert Dispatch.objects.get(name="Press Office").status == Status.SENT


# Delivered another way ------------------------------------------------------------------------


def test_a_clerk_records_a_summons_delivered_by_hand(published, body, client_for, clerk):
    row = row_of(published, body.no_address)
    url = reverse("summons:dispatch-delivered", args=[row.pk])
    today = timezone.localdate()

    response = client_for(clerk).post(
        url,
        {
            "how": "by_hand",
            "delivered_on_day": today.day,
            "delivered_on_month": today.month,
            "delivered_on_year": today.year,
            "note": "Left at their home address.",
        },
    )

    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.delivered_how, row.delivered_on) == (Status.DELIVERED, "by_hand", today)
    assert row.delivery_recorded_by == clerk
    page = client_for(clerk).get(list_url(published)).text
    assert "Delivered by hand" in page
    assert "not yet reached" not in page


def test_a_delivery_date_still_to_come_is_refused(published, body, client_for, clerk):
    row = row_of(published, body.no_address)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client_for(clerk).post(
        reverse("summons:dispatch-delivered", args=[row.pk]),
        {
            "how": "by_post",
            "delivered_on_day": tomorrow.day,
            "delivered_on_month": tomorrow.month,
            "delivered_on_year": tomorrow.year,
        },
    )

    assert response.status_code == 422
    assert "That date is still to come." in response.text
    row.refresh_from_db()
    assert row.status == Status.FAILED


# The CSV --------------------------------------------------------------------------------------


def _csv(client, meeting) -> str:
    response = client.get(reverse("summons:dispatch-csv", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="summons-')
    return response.content.decode("utf-8")


def test_the_csv_is_the_evidence_of_who_was_sent_what_and_when(published, body, client_for, clerk):
    text = _csv(client_for(clerk), published)

    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == Dispatch.objects.count() == 6
    chair = next(row for row in rows if row["Name"] == body.chair.display_name)
    assert chair["Publication"] == "Agenda"
    assert chair["On the list as"] == "Member"
    assert chair["Pack linked"] == "Members' pack"
    assert chair["E-mail address"] == "k.greenhalgh@aldermoor.example"
    assert chair["Status"] == "Sent"
    assert chair["First sent at"].startswith(str(timezone.localdate()))
    assert chair["Five clear working days before the meeting"] == "Yes"
    unreached = next(row for row in rows if row["Name"] == body.no_address.display_name)
    assert unreached["Status"] == "Not sent"
    assert unreached["Error"].startswith("No e-mail address")
    assert unreached["Five clear working days before the meeting"] == "No"


def test_the_csv_cannot_carry_a_formula(
    published, client_for, clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(clerk).post(
            reverse("summons:recipient-add", args=[published.pk]),
            {"name": "=HYPERLINK(1)", "email": "x@aldermoor.example", "reason": "+1"},
        )

    text = _csv(client_for(clerk), published)

    assert "'=HYPERLINK(1)" in text and "'+1" in text


# Queries --------------------------------------------------------------------------------------


@pytest.mark.parametrize("members", [2, 25])
def test_the_list_runs_a_bounded_number_of_queries(
    body,
    clerk,
    client_for,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
    members,
):
    for _ in range(members):
        MembershipFactory(
            board=body.board,
            person=PersonFactory(email="m@aldermoor.example"),
            role=Membership.Role.MEMBER,
        )
    meeting = meeting_with_exempt_item(body.board)
    with django_capture_on_commit_callbacks(execute=True):
        board_services.agenda_publish(meeting=meeting, by=clerk)
        board_services.agenda_item_add(meeting=meeting, item=AgendaItem(title="Late"))
        board_services.agenda_publish(meeting=meeting, by=clerk, late_reason="Late.")
    client = client_for(clerk)
    client.get(list_url(meeting))  # the session's first request reads its second factor

    with django_assert_max_num_queries(12):
        response = client.get(list_url(meeting))

    assert response.status_code == 200
    assert response.text.count('<tr id="dispatch-') == 2 * (members + 6)
