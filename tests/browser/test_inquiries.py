from django.utils import timezone
from playwright.sync_api import expect

from inquiries import services
from recommendations.models import Recommendation
from tests.browser.dates import fill_date, fill_month


def test_officer_records_a_statement_and_tracks_it_and_the_pages_follow(
    page, browser, live_server, sign_in, assert_accessible, board, officer, councillor
):
    inquiry = services.inquiry_create(
        board=board, title="Inquiry into library opening hours", on=timezone.localdate()
    )
    today = timezone.localdate()
    sign_in(officer)
    page.goto(inquiry.get_absolute_url())
    assert_accessible(page)

    # The statement: cover, a desired outcome, a section, a recommendation.
    page.get_by_role("link", name="Start the statement").click()
    page.locator("#id_title").fill("Library opening hours")
    fill_month(page, "Month", 2020, 5)
    page.get_by_label("Desired outcome", exact=True).fill(
        "To keep libraries open when people can use them."
    )
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Build the statement")

    page.get_by_role("link", name="Add a section").click()
    page.get_by_label("Heading").fill("Introduction")
    page.get_by_label("Body").fill(
        "The Board heard from library users.[^1]\n\n[^1]: Session of June 2019.\n\n"
        "Opening hours have fallen since 2015."
    )
    page.get_by_role("button", name="Save section").click()
    page.get_by_role("link", name="Add a recommendation").click()
    page.get_by_label("Desired outcome").select_option(
        label="To keep libraries open when people can use them."
    )
    page.get_by_label("Recommendation", exact=True).fill(
        "That the Director reviews opening hours with library users."
    )
    fill_month(page, "Deadline month", 2020, 9)
    assert_accessible(page)
    page.get_by_role("button", name="Add recommendation").click()
    preview = page.locator(".statement")
    expect(preview).to_contain_text("Recommendation 1")
    expect(preview).to_contain_text("by September 2020")
    expect(preview.locator("#paragraph-2")).to_contain_text("Opening hours have fallen")
    assert_accessible(page)

    # Publish: the response clock starts.
    fill_date(page, "Date of publication", today)
    page.get_by_role("button", name="Publish the statement").click()
    expect(page.get_by_text("Statement published", exact=False).first).to_be_visible()
    recommendation = Recommendation.objects.get()
    assert recommendation.statement.response_due_on is not None

    # The councillor sees it published, overdue and awaiting a response.
    other = browser.new_context(base_url=live_server.url)
    councillor_page = other.new_page()
    from django.conf import settings
    from django.test import Client

    from tests.factories import sign_in as signed_in_client

    client = signed_in_client(Client(), councillor)
    other.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    councillor_page.goto(inquiry.get_absolute_url())
    table = councillor_page.get_by_role("table", name="Recommendations and their progress")
    expect(table).to_contain_text("Awaited")
    expect(table).to_contain_text("Overdue")
    assert_accessible(councillor_page)

    # The officer's dashboard lists it as overdue and the statement as awaiting a response.
    page.goto("/recommendations/attention/")
    expect(page.get_by_role("table", name="Overdue recommendations")).to_contain_text("1")
    expect(page.get_by_role("table", name="Responses awaited")).to_contain_text(
        "Library opening hours"
    )
    assert_accessible(page)

    # Response, progress update and judgement.
    page.goto(recommendation.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Record the response").click()
    page.get_by_label("Agreed", exact=True).check()
    page.get_by_label("The response", exact=True).fill("Agreed: a review will start in the autumn.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add a progress update").click()
    page.get_by_label("Progress").fill("Opening hours were extended in three libraries.")
    page.get_by_role("button", name="Save").click()
    page.goto("/recommendations/attention/")
    expect(
        page.get_by_role("table", name="Updates awaiting the board's judgement")
    ).to_contain_text("1")
    page.goto(recommendation.get_absolute_url())
    page.get_by_role("link", name="Record the board's judgement").click()
    page.get_by_label("Achieved").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Achieved").first).to_be_visible()

    # The councillor's page and the dashboard follow.
    councillor_page.reload()
    table = councillor_page.get_by_role("table", name="Recommendations and their progress")
    expect(table).to_contain_text("Agreed")
    expect(table).to_contain_text("Achieved")
    expect(table).not_to_contain_text("Overdue")
    expect(table).to_contain_text("Opening hours were extended")
    page.goto("/recommendations/attention/")
    expect(page.get_by_role("table", name="Overdue recommendations")).to_contain_text(
        "Nothing overdue."
    )
    expect(page.get_by_role("table", name="Responses awaited")).to_contain_text(
        "No responses awaited."
    )
    other.close()
