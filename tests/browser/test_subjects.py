"""An officer files an agenda item under a new subject made from its title and follows the link to
its history; and changes the council's tracking categories. Every page is checked with axe."""

import datetime
import zoneinfo

from playwright.sync_api import expect

from boards import services
from boards.models import AgendaItem, Subject
from recommendations.models import TrackingCategory
from tests.factories import VenueFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_an_officer_makes_a_subject_from_an_item_and_follows_it_to_its_history(
    page, sign_in, assert_accessible, board, officer
):
    meeting = services.meeting_create(
        board=board,
        starts_at=datetime.datetime(2016, 3, 21, 10, tzinfo=LONDON),
        venue=VenueFactory(),
    )
    item = services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title="Closure of Oakwood Library")
    )
    services.subject_create(title="Libraries")
    sign_in(officer)

    page.goto(f"/meetings/{meeting.pk}/agenda/")
    page.get_by_role("link", name=f"Link to a subject of item {item.shown_number}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Link to a subject")
    title = page.get_by_label("Title")
    expect(title).to_have_value("Closure of Oakwood Library")
    assert_accessible(page)

    # A title already taken is explained on the field, with the choice to pick that subject.
    title.fill("libraries")
    page.get_by_role("button", name="Make the subject and link to it").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "There is already a subject called “Libraries”: choose it instead."
    )
    assert_accessible(page)

    page.get_by_label("Title").fill("Oakwood Library")
    page.get_by_label("Description (optional)").fill("The future of the library on Oak Road.")
    page.get_by_role("button", name="Make the subject and link to it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the agenda")
    expect(page.get_by_role("status").first).to_contain_text(
        "is now on the subject “Oakwood Library”"
    )
    assert_accessible(page)

    page.get_by_role("link", name="History of this subject (Oakwood Library)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Issue history Oakwood Library")
    expect(page.locator(".subject-history")).to_contain_text(
        "The future of the library on Oak Road."
    )
    expect(page.locator(".subject-history tbody")).to_contain_text(
        f"{item.shown_number}. Closure of Oakwood Library"
    )
    assert_accessible(page)
    assert Subject.objects.get(title="Oakwood Library").agenda_items.get() == item

    # The list of subjects: staff see one not yet on a published agenda, with how to make more.
    page.get_by_role("link", name="Subjects", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Subjects")
    expect(page.get_by_role("row", name="Oakwood Library")).to_contain_text("Monday, 21 March 2016")
    expect(page.get_by_role("link", name="Make a subject")).to_be_visible()
    assert_accessible(page)


def test_an_officer_adds_reorders_and_retires_tracking_categories(
    page, sign_in, assert_accessible, officer
):
    sign_in(officer)
    page.goto("/recommendations/categories/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tracking categories")
    assert_accessible(page)

    page.get_by_role("link", name="Add a category").click()
    page.get_by_label("Name").fill("Superseded")
    page.get_by_label("Colour").fill("yellow")
    page.get_by_role("button", name="Add the category").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the colour as a hex code")
    assert_accessible(page)
    page.get_by_label("Colour").fill("#ffdd00")
    page.get_by_role("button", name="Add the category").click()

    offered = page.get_by_role("table", name="Offered for new judgements")
    rows = offered.locator("tbody tr")
    expect(rows.last).to_contain_text("Superseded")
    # Black text on the yellow: the lighter colour takes the darker text.
    expect(rows.last.locator(".category-sample")).to_have_class(
        "category-sample category-sample--dark"
    )
    page.get_by_role("button", name="Move up Superseded").click()
    expect(rows.nth(rows.count() - 2)).to_contain_text("Superseded")
    assert_accessible(page)

    page.get_by_role("link", name="Remove Superseded").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove “Superseded”")
    assert_accessible(page)
    page.get_by_role("button", name="Remove “Superseded”").click()
    expect(page.get_by_role("status").first).to_contain_text("“Superseded” removed.")
    assert not TrackingCategory.objects.filter(name="Superseded").exists()

    # Retired: no longer offered, listed apart, and offered again with one button.
    page.get_by_role("button", name="Retire Stop monitoring").click()
    retired = page.get_by_role(
        "table", name="Retired: kept by the judgements recorded, no longer offered"
    )
    expect(retired).to_contain_text("Stop monitoring")
    expect(offered).not_to_contain_text("Stop monitoring")
    assert_accessible(page)
    page.get_by_role("button", name="Offer again Stop monitoring").click()
    expect(offered).to_contain_text("Stop monitoring")
