"""A clerk sets up a new body of another kind, a licensing committee, and runs its first meeting
without the administration site: its members, its first meeting and item, the agenda published,
and attendance and a minute recorded in the console. Every set-up page passes axe."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from boards.models import Board, Meeting
from minutes.models import Attendance, Minute
from tests.browser.dates import fill_date
from tests.browser.waits import htmx_settled
from tests.factories import PartyFactory, PersonFactory, WardFactory


def test_a_clerk_sets_up_a_licensing_committee_and_runs_its_first_meeting(
    page, sign_in, assert_accessible, clerk
):
    ward = WardFactory(name="Moortop")
    PartyFactory(name="Labour")
    PersonFactory(given_name="Helen", family_name="Haworth", ward=WardFactory(name="Temple Beck"))
    sign_in(clerk)

    # From the clerk's desk to the set-up pages.
    page.goto("/clerk/")
    page.get_by_role("link", name="Set up the council").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up the council")
    assert_accessible(page)

    # A councillor the council has not entered yet.
    page.get_by_role("link", name="People").click()
    assert_accessible(page)
    page.get_by_role("link", name="Add a councillor").click()
    page.get_by_label("Given name").fill("Aaron")
    page.get_by_label("Family name").fill("Sowerby")
    page.get_by_label("Ward", exact=True).select_option(label=ward.name)
    fill_date(page, "Elected on (optional)", datetime.date(2022, 5, 5))
    fill_date(page, "Term ends on (optional)", datetime.date(2021, 5, 5))
    page.get_by_role("button", name="Add a councillor").click()
    # A term that ends before it starts is refused on its field, and nothing typed is lost.
    expect(page.get_by_role("alert")).to_contain_text("The last day cannot be before")
    expect(page.get_by_label("Family name")).to_have_value("Sowerby")
    assert_accessible(page)
    fill_date(page, "Term ends on (optional)", datetime.date(2026, 5, 7))
    page.get_by_role("button", name="Add a councillor").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Councillor Aaron Sowerby")
    assert_accessible(page)

    # The new body, a regulatory committee.
    page.goto("/setup/")
    page.get_by_role("link", name="Bodies").click()
    assert_accessible(page)
    page.get_by_role("link", name="Set up a new body").click()
    page.get_by_role("button", name="Set up the body").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the name of the body.")
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Licensing Committee")
    page.get_by_label("Regulatory committee").check()
    page.get_by_label("Remit (optional)").fill("Decides applications for licences.")
    page.get_by_role("button", name="Set up the body").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Licensing Committee")
    expect(page.locator("#line-7")).to_contain_text("Date and time of next meeting")
    expect(page.get_by_role("list", name="Standard agenda")).not_to_contain_text("Work schedule")
    assert_accessible(page)
    body = Board.objects.get(name="Licensing Committee")
    assert body.kind == Board.Kind.REGULATORY

    # Its standard agenda gains a line for the applications, before the next meeting's date.
    page.get_by_text("Add a line to the standard agenda").click()
    page.get_by_label("Kind of item").select_option(label="Report")
    page.get_by_label("Title").fill("Applications for premises licences")
    page.get_by_role("button", name="Add the line").click()
    expect(page.locator("#line-7")).to_contain_text("Applications for premises licences")

    # Its members: a chair, then a second chair refused by name, then a member.
    for name, role in (("Aaron Sowerby", "Chair"), ("Helen Haworth", "Chair")):
        page.get_by_role("link", name="Add a member").click()
        page.get_by_label("Councillor or co-opted member").select_option(
            label=f"Councillor {name} ({'Moortop' if name == 'Aaron Sowerby' else 'Temple Beck'})"
        )
        page.get_by_label(role, exact=True).check()
        page.get_by_role("button", name="Add the member").click()
    expect(page.get_by_role("alert")).to_contain_text("This body already has a chair")
    assert_accessible(page)
    page.get_by_label("Member", exact=True).check()
    page.get_by_role("button", name="Add the member").click()
    members = page.get_by_role("table", name="Current members")
    expect(members).to_contain_text("Aaron Sowerby")
    expect(members).to_contain_text("Helen Haworth")
    assert_accessible(page)

    # Its first meeting, three weeks ahead, with an item.
    day = timezone.localdate() + datetime.timedelta(days=21)
    page.get_by_role("link", name="New meeting").click()
    fill_date(page, "Date of the meeting", day)
    page.get_by_label("Start time").fill("10:00")
    page.get_by_role("button", name="Create meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the agenda")
    page.get_by_label("Title").fill("Premises licence: The Crown, Market Street")
    page.get_by_label("Title").press("Enter")
    expect(page.locator("#agenda-items")).to_contain_text("The Crown, Market Street")
    htmx_settled(page)
    meeting = Meeting.objects.get(board=body)
    titles = list(meeting.agenda_items.order_by("number").values_list("title", flat=True))
    assert titles[6] == "Applications for premises licences"
    assert titles[-1] == "Date and time of next meeting"

    # Its first agenda, published.
    page.get_by_role("link", name="Publish the agenda").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status").first).to_contain_text("Agenda published.")

    # Its meeting, recorded in the console: everyone present, and a minute of the item.
    page.get_by_role("link", name="Take the minutes").click()
    page.get_by_role("button", name="All present").click()
    expect(page.get_by_role("radio", name="A Sowerby: Present")).to_be_checked()
    expect(page.get_by_role("radio", name="H Haworth: Present")).to_be_checked()
    htmx_settled(page)
    item = meeting.agenda_items.get(title__startswith="Premises licence")
    page.get_by_role("button", name=f"Take a minute for item {item.shown_number}").click()
    block = page.locator(f"#minute-item-{item.pk}")
    narrative = block.get_by_label("What was said", exact=False)
    expect(narrative).to_be_visible()
    htmx_settled(page)
    narrative.focus()
    page.keyboard.type("The Committee heard from the applicant and the police.")
    expect(block.get_by_role("status").first).to_contain_text("Saved")
    assert_accessible(page)

    assert set(
        Attendance.objects.filter(meeting=meeting).values_list("person__family_name", "status")
    ) == {("Sowerby", "present"), ("Haworth", "present")}
    minute = Minute.objects.get(agenda_item=item)
    assert minute.narrative == "The Committee heard from the applicant and the police."

    # The body's history says who set it up and what they changed; the other set-up pages.
    page.goto(f"/setup/bodies/{body.slug}/")
    page.get_by_role("link", name="History of changes").click()
    expect(page.locator("main")).to_contain_text("Membership of Councillor Aaron Sowerby")
    expect(page.locator("main")).to_contain_text(f"by {clerk.get_full_name()}")
    assert_accessible(page)
    for path in (
        "/setup/wards-and-parties/",
        "/setup/posts/",
        f"/setup/bodies/{body.slug}/dissolve/",
    ):
        page.goto(path)
        assert_accessible(page)
    # The forms refused on purpose above answered 422; nothing else went wrong in the page.
    assert [e for e in page.console_errors if "status of 422" not in e] == []
