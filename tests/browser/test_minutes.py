"""Taking minutes in the browser: the keyboard, two minute-takers at once, and a lost connection."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from boards import services
from boards.models import AgendaItem, Person
from minutes import services as minutes_services
from minutes.choosers import person_label
from minutes.models import Attendance, Declaration, Minute, Resolution
from tests.browser.dates import fill_date
from tests.browser.waits import htmx_settled
from tests.factories import MembershipFactory, PersonFactory, PostFactory


@pytest.fixture
def meeting(board, officer):
    MembershipFactory(
        board=board,
        role="chair",
        person=PersonFactory(given_name="Kathryn", family_name="Greenhalgh"),
    )
    MembershipFactory(board=board, person=PersonFactory(given_name="Ruth", family_name="Woodhouse"))
    MembershipFactory(board=board, person=PersonFactory(given_name="Dominic", family_name="Naylor"))
    PersonFactory(given_name="Brian", family_name="Ackroyd")  # a councillor who can substitute
    PostFactory(title="Chief Officer (Human Resources)")
    meeting = services.meeting_create(
        board=board, starts_at=timezone.now() - datetime.timedelta(hours=1), venue=None
    )
    services.agenda_item_add(
        meeting=meeting,
        item=AgendaItem(title="Scrutiny Inquiry into ICT Capacity – Session 2", purpose="Session."),
    )
    return meeting


def test_minutes_taken_with_the_keyboard_alone_are_all_there_after_a_reload(
    page, sign_in, assert_accessible, meeting, officer
):
    sign_in(officer)
    page.goto(f"/meetings/{meeting.pk}/console/")
    assert_accessible(page)

    # Attendance: apologies from Woodhouse, with Ackroyd substituting; keyboard only. Each
    # choice saves as it changes; the status says so.
    def saved_attendance(response):
        return "/attendance/" in response.url

    announced = page.locator("#attendance").get_by_role("status")
    with page.expect_response(saved_attendance):
        page.get_by_role("radio", name="R Woodhouse: Apologies").press("Space")
    expect(announced).to_have_text("Attendance of Councillor Ruth Woodhouse saved.")
    htmx_settled(page)
    expect(page.get_by_role("radio", name="R Woodhouse: Apologies")).to_be_checked()
    # The substitute is typed (the councillors serving are suggested), and saved on leaving
    # the box.
    substitute = page.get_by_label("Substitute for R Woodhouse")
    substitute.fill("Councillor Brian Ackroyd")
    with page.expect_response(saved_attendance):
        substitute.press("Tab")
    expect(announced).to_have_text("Attendance of Councillor Ruth Woodhouse saved.")
    ackroyd = Person.objects.get(family_name="Ackroyd")
    assert Attendance.objects.get(kind="substitute").person == ackroyd
    htmx_settled(page)

    # A declaration.
    page.get_by_text("Record a declaration").press("Enter")
    page.locator("#declarations").get_by_label("Declared by").select_option(
        label="Councillor Dominic Naylor"
    )
    page.locator("#declarations").get_by_label("Item", exact=True).select_option(
        label="7. Scrutiny Inquiry into ICT Capacity – Session 2"
    )
    page.locator("#declarations").get_by_label("Kind of interest").select_option("registrable")
    page.locator("#declarations").get_by_label("Nature").fill("A trustee of a local ICT charity.")
    page.locator("#declarations").get_by_role("button", name="Record declaration").press("Enter")
    expect(page.locator("#declarations")).to_contain_text("A trustee of a local ICT charity.")
    htmx_settled(page)

    # Recording the first thing opened the minutes: the standing minutes (late items,
    # declarations, apologies: items 3 to 5) were written at once, in agenda order, and came
    # back into the console; the apologies minute is written from the attendance.
    apologies = page.locator(f"#minute-item-{meeting.agenda_items.get(number=5).pk}")
    expect(apologies.get_by_label("What was said (minute 3)")).to_be_visible()
    expect(page.get_by_role("button", name="Take a minute for item 5")).to_have_count(0)

    # The substantive minute: narrative, then two resolutions, one an action.
    page.get_by_role("button", name="Take a minute for item 7").press("Enter")
    narrative = page.get_by_label("What was said (minute 4)")
    expect(narrative).to_be_visible()
    htmx_settled(page)  # typed before then, the text would wait for the ten-second retry
    narrative.focus()
    page.keyboard.type("The Head of Service Delivery ICT submitted a report.")
    item = meeting.agenda_items.get(title__startswith="Scrutiny Inquiry")
    block = page.locator(f"#minute-item-{item.pk}")
    expect(block.get_by_role("status").first).to_contain_text("Saved")
    block.get_by_text("Add a resolution").press("Enter")
    block.get_by_label("Resolution").fill("To note the information provided.")
    block.get_by_role("button", name="Add resolution to minute 4").press("Enter")
    expect(block.locator(".resolutions")).to_contain_text("(a) To note the information provided.")
    htmx_settled(page)
    block.get_by_text("Add a resolution").press("Enter")
    block.get_by_label("Resolution").fill("That HR be advised of the Board's observations.")
    block.get_by_label("This asks someone to do something (an action)").press("Space")
    block.get_by_label("Action owner: a post").fill("Chief Officer (Human Resources)")
    fill_date(block, "Due date", datetime.date(2026, 12, 31))
    block.get_by_role("button", name="Add resolution to minute 4").press("Enter")
    expect(block.locator(".resolutions li").nth(1)).to_contain_text("(b)")
    expect(block.locator(".resolutions li").nth(1)).to_contain_text("Action")
    assert_accessible(page)

    # Everything is there after a reload, and in the database.
    page.reload()
    expect(page.get_by_role("radio", name="R Woodhouse: Apologies")).to_be_checked()
    expect(page.get_by_label("Substitute for R Woodhouse")).to_have_value(
        person_label(Attendance.objects.get(kind="substitute").person)
    )
    expect(page.get_by_label("What was said (minute 4)")).to_have_value(
        "The Head of Service Delivery ICT submitted a report."
    )
    expect(page.locator("#declarations")).to_contain_text("A trustee of a local ICT charity.")
    action = Resolution.objects.get(is_action=True)
    assert action.owner == "Chief Officer (Human Resources)"
    assert action.due_on == datetime.date(2026, 12, 31)
    assert Declaration.objects.get().left_room is False
    page.goto(f"/meetings/{meeting.pk}/minutes/")
    expect(
        page.get_by_text("Councillor B Ackroyd was to substitute for Councillor R Woodhouse")
    ).to_be_visible()
    assert_accessible(page)


def test_two_minute_takers_on_one_minute_keep_both_texts(
    page, browser, live_server, sign_in, meeting, officer, clerk
):
    item = meeting.agenda_items.get(title__startswith="Scrutiny Inquiry")
    minute = minutes_services.minute_take(meeting=meeting, agenda_item=item, by=officer)
    sign_in(officer)
    page.goto(f"/meetings/{meeting.pk}/console/")
    other = browser.new_context(base_url=live_server.url)
    other_page = other.new_page()
    from django.conf import settings
    from django.test import Client

    from tests.factories import sign_in as signed_in_client

    client = signed_in_client(Client(), clerk)
    other.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    other_page.goto(f"/meetings/{meeting.pk}/console/")

    label = f"What was said (minute {minute.number})"
    page.get_by_label(label).fill("First officer's text.")
    expect(page.locator(f"#save-status-{minute.pk}")).to_contain_text("Saved")
    other_page.get_by_label(label).fill("Clerk's text.")
    conflict = other_page.locator(f"#conflict-{minute.pk}")
    expect(conflict).to_contain_text("Someone else saved this minute")
    expect(conflict.locator("[data-theirs]")).to_have_text("First officer's text.")
    expect(conflict.locator("[data-yours]")).to_have_text("Clerk's text.")
    minute.refresh_from_db()
    assert minute.narrative == "First officer's text."
    # The clerk keeps both, merged.
    conflict.get_by_role("button", name="Save this text").click()
    other_page.wait_for_url(f"**/meetings/{meeting.pk}/console/**")
    minute.refresh_from_db()
    assert "First officer's text." in minute.narrative
    assert "Clerk's text." in minute.narrative
    other.close()


def test_a_lost_connection_loses_no_text(page, sign_in, meeting, officer):
    item = meeting.agenda_items.get(title__startswith="Scrutiny Inquiry")
    minute = minutes_services.minute_take(meeting=meeting, agenda_item=item, by=officer)
    sign_in(officer)
    page.goto(f"/meetings/{meeting.pk}/console/")
    textarea = page.get_by_label(f"What was said (minute {minute.number})")
    status = page.locator(f"#save-status-{minute.pk}")
    textarea.fill("Typed while connected.")
    expect(status).to_contain_text("Saved")

    page.context.set_offline(True)
    textarea.press("End")
    page.keyboard.type(" Typed while the network was down.")
    expect(status).to_contain_text("Not saved")
    expect(textarea).to_have_value("Typed while connected. Typed while the network was down.")
    # Leaving now warns: the page holds unsaved text. (Dismissing the warning stays on the page.)
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.close(run_before_unload=True)
    expect(textarea).to_be_visible()
    assert dialogs == ["beforeunload"]
    page.remove_listener("dialog", stay)

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(status).to_contain_text("Saved")
    minute.refresh_from_db()
    assert minute.narrative == "Typed while connected. Typed while the network was down."
    assert not page.evaluate("!!document.querySelector('[data-autosave][data-dirty]')")
    assert Minute.objects.count() == 1


def test_text_typed_before_htmx_has_set_up_a_new_minute_is_saved_when_it_has(
    page, sign_in, meeting, officer
):
    # With the page's clock stopped, htmx swaps the new minute in but cannot settle it, so its
    # autosave trigger is not there yet, nor does the ten-second retry come round.
    sign_in(officer)
    page.clock.install()
    page.goto(f"/meetings/{meeting.pk}/console/")
    page.clock.pause_at(datetime.datetime.now() + datetime.timedelta(minutes=1))
    page.get_by_role("button", name="Take a minute for item 7").press("Enter")
    # The first minute taken opened the minutes: the standing ones (items 3 to 5) came first.
    textarea = page.get_by_label("What was said (minute 4)")
    textarea.fill("Typed the moment the box appeared.")
    minute = Minute.objects.get(agenda_item__number=7)
    assert minute.narrative == ""

    page.clock.run_for(100)  # htmx settles the swap and sets up the form

    expect(page.locator(f"#save-status-{minute.pk}")).to_contain_text("Saved")
    minute.refresh_from_db()
    assert minute.narrative == "Typed the moment the box appeared."


def test_minutes_pages_of_the_demo_are_accessible(page, demo, sign_in, assert_accessible):
    from django.contrib.auth import get_user_model

    from boards.models import Meeting

    sign_in(get_user_model().objects.get(username="officer"))
    february = Meeting.objects.get(starts_at__date="2016-02-22")
    minute = Minute.objects.get(meeting=february, title__startswith="Scrutiny Inquiry")
    for url in (
        "/officer/",
        f"/meetings/{february.pk}/console/",
        f"/meetings/{february.pk}/minutes/",
        f"/minutes/{minute.pk}/history/",
        f"/minutes/{minute.pk}/edit/",
        "/boards/strategy-and-resources/",
        "/boards/strategy-and-resources/attendance/",
    ):
        page.goto(url)
        assert_accessible(page)
    page.goto("/officer/")
    expect(page.get_by_role("table", name="Open actions from minutes")).to_contain_text(
        "That ICT undertake an exercise"
    )
