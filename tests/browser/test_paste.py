"""Pasting from Word and PDFs into the Markdown textareas: lists keep their levels.

The console test pastes through the system clipboard (written as Word writes it, then Ctrl+V);
the report test dispatches paste events carrying a DataTransfer, as a browser does. The pure
conversions of static/js/paste.js are checked on a blank page, without the server.
"""

import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from boards import services
from boards.models import AgendaItem, Paper
from minutes import services as minutes_services
from minutes.models import Minute
from tests.browser.clipboard import (
    PDF_LISTS,
    PDF_MARKDOWN,
    PDF_PLAIN,
    WORD_HTML,
    WORD_LISTS,
    WORD_MARKDOWN,
    WORD_PLAIN,
)
from tests.browser.waits import htmx_settled

PASTE_JS = Path(settings.BASE_DIR) / "static" / "js" / "paste.js"

# The list an item heads, as nested [tag, [[item text, sublist or None], …]]: "ul.lettered" for
# a list with a class.
OUTLINE = """(first) => {
    const own = (li) => [...li.childNodes]
        .filter((node) => !(node.nodeType === 1 && /^(UL|OL)$/.test(node.tagName)))
        .map((node) => node.textContent).join(" ").replace(/\\s+/g, " ").trim();
    const outline = (list) => [
        list.tagName.toLowerCase() + (list.className ? "." + list.className : ""),
        [...list.children].map((li) => {
            const sub = [...li.children].find((child) => /^(UL|OL)$/.test(child.tagName));
            return [own(li), sub ? outline(sub) : null];
        }),
    ];
    const item = [...document.querySelectorAll("li")].find((li) => own(li) === first);
    return item ? outline(item.parentElement) : null;
}"""

# A paste event as the browser fires it, with what the clipboard holds.
PASTE = """([selector, types]) => {
    const target = document.querySelector(selector);
    target.focus();
    const data = new DataTransfer();
    for (const [type, value] of Object.entries(types)) { data.setData(type, value); }
    const init = {clipboardData: data, bubbles: true, cancelable: true};
    target.dispatchEvent(new ClipboardEvent("paste", init));
}"""

# The system clipboard written as Word writes it: HTML and plain text together.
WRITE_CLIPBOARD = """async ([html, plain]) => {
    await navigator.clipboard.write([new ClipboardItem({
        "text/html": new Blob([html], {type: "text/html"}),
        "text/plain": new Blob([plain], {type: "text/plain"}),
    })]);
}"""


def as_json(value):
    """Tuples as the lists JavaScript gives back."""
    return json.loads(json.dumps(value))


def outline(page, first_item: str):
    return page.evaluate(OUTLINE, first_item)


# The conversions, called directly ---------------------------------------------------------------


@pytest.fixture(scope="module")
def paste(browser):
    """The page's conversions, window.ScrutinyPaste, as a function: paste("plainToMarkdown", t)."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content('<textarea data-paste="markdown"></textarea>')
    page.add_script_tag(path=str(PASTE_JS))

    def call(name: str, *args):
        return page.evaluate("([name, args]) => window.ScrutinyPaste[name](...args)", [name, args])

    yield call
    context.close()


def test_word_html_becomes_markdown_lists_with_their_levels(paste):
    assert paste("htmlToMarkdown", WORD_HTML) == WORD_MARKDOWN
    assert paste("clipboardToMarkdown", WORD_HTML, WORD_PLAIN) == WORD_MARKDOWN


def test_words_plain_text_alone_gives_the_same_lists(paste):
    # Word's plain text has no indents: "o" sits under "·" and "a." under "1.".
    expected = WORD_MARKDOWN.replace("*critical*", "critical").replace("**telephony**", "telephony")
    assert paste("plainToMarkdown", WORD_PLAIN) == expected


def test_a_pdfs_text_becomes_markdown_lists_with_their_levels(paste):
    assert paste("plainToMarkdown", PDF_PLAIN) == PDF_MARKDOWN
    assert paste("clipboardToMarkdown", "", PDF_PLAIN) == PDF_MARKDOWN


@pytest.mark.parametrize(
    ("plain", "markdown"),
    [
        # Nothing list-like: the text as it was, without its control characters.
        (
            "The Board noted the report.\r\n\tIt asked for\x00 an update.\x07",
            "The Board noted the report.\n\tIt asked for an update.",
        ),
        ("o dear, said the Chair", "o dear, said the Chair"),
        ("§ 9FE of the Act applies.", "§ 9FE of the Act applies."),
        ("A. N. Other attended.", "A. N. Other attended."),
        ("— the Chair, in her opening remarks", "— the Chair, in her opening remarks"),
        # Bullets of every kind, with tabs, spaces, non-breaking spaces or none.
        ("▪ Housing\n▪ Transport", "- Housing\n- Transport"),
        ("– Housing\n– Transport", "- Housing\n- Transport"),
        ("•Housing\n•Transport", "- Housing\n- Transport"),
        ("\uf0b7\u00a0\u00a0Housing\n\uf0b7\u00a0\u00a0Transport", "- Housing\n- Transport"),
        ("* Housing\n+ Transport", "- Housing\n- Transport"),
        # Levels from indents, tabs counting as four columns.
        ("• One\n    • Two\n\t\t• Three\n• Four", "- One\n  - Two\n    - Three\n- Four"),
        # Numbers: "1)" as "1.", nested under the width of their parent's marker.
        ("1) One\n2) Two", "1. One\n2. Two"),
        ("10. Ten\n\t• Under ten", "10. Ten\n    - Under ten"),
        # A list starting at 3 keeps its number; a restarted list stays a list of its own.
        ("Intro:\n3. Three\n4. Four", "Intro:\n\n3. Three\n4. Four"),
        ("1. One\n2. Two\n1. Again", "1. One\n2. Two\n1) Again"),
        # Letters and roman numerals as written: (i) after (h) is a letter, after (a) a numeral.
        ("(h) eighth\n(i) ninth", "- (h) eighth\n- (i) ninth"),
        (
            "(a) first\n(i) sub\n(ii) sub\n(b) second",
            "- (a) first\n  - (i) sub\n  - (ii) sub\n- (b) second",
        ),
        ("a) first\nb) second", "- a) first\n- b) second"),
        # A blank line between items keeps one tight list; a new paragraph ends it.
        ("• One\n\n• Two\nAfter the list.", "- One\n- Two\n\nAfter the list."),
        # A wrapped line continues its item; lists apart by blank lines stay one run of lists;
        # a bullet list after a numbered one at the same indent, past a blank line, is not
        # nested in it.
        (
            "• A long point that\nwraps\n\n1. One\n\n• Bullet",
            "- A long point that\n  wraps\n1. One\n- Bullet",
        ),
        # Text in an item that Markdown would read as a marker stays text.
        ("• 1. not a list\n• # not a heading", "- 1\\. not a list\n- \\# not a heading"),
    ],
)
def test_plain_text_lists(paste, plain, markdown):
    assert paste("plainToMarkdown", plain) == markdown


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        # Real lists (LibreOffice, Google Docs, Word for the web), nested, numbered from 3.
        (
            "<ul><li>One<ul><li>Two</li></ul></li><li>Three</li></ul>"
            '<ol start="3"><li><p>Third</p><ol><li>Sub</li></ol></li><li>Fourth</li></ol>',
            "- One\n  - Two\n- Three\n\n3. Third\n   1. Sub\n4. Fourth",
        ),
        # Word for the web: one list per item, joined again.
        (
            '<div class="ListContainerWrapper"><ul><li><p>One</p></li></ul></div>'
            '<div class="ListContainerWrapper"><ul><li><p>Two</p></li></ul></div>',
            "- One\n- Two",
        ),
        # Headings in bold, paragraphs apart, line breaks kept, links kept, tables as tables.
        (
            '<h1>Background</h1><p class=MsoNormal>See <a href="https://example.org/r">the'
            " report</a>.<br>Second line.</p><table><tr><td>Ward</td><td>Homes</td></tr>"
            "<tr><td>North | East</td><td>120</td></tr></table>",
            "**Background**\n\nSee [the report](https://example.org/r).\nSecond line.\n\n"
            "| Ward | Homes |\n| --- | --- |\n| North \\| East | 120 |",
        ),
        # Google Docs wraps everything in a <b> that is not bold.
        (
            '<b style="font-weight:normal;" id="docs-internal-guid-1"><ul><li>'
            '<span style="font-weight:700">Budget</span> gap</li></ul></b>',
            "- **Budget** gap",
        ),
        # Word's older markup: no mso-list:Ignore span, only the [if !supportLists] comments.
        (
            "<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><!--[if !supportLists]-->"
            "<span>(a)&nbsp;&nbsp;&nbsp; </span><!--[endif]-->Note the report</p>"
            "<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><!--[if !supportLists]-->"
            "<span>(b)&nbsp;&nbsp;&nbsp; </span><!--[endif]-->Agree the plan</p>",
            "- (a) Note the report\n- (b) Agree the plan",
        ),
    ],
)
def test_html_lists(paste, html, markdown):
    assert paste("htmlToMarkdown", html) == markdown


def test_a_single_paragraph_from_word_pastes_as_its_plain_text(paste):
    html = "<html xmlns:o='urn:schemas-microsoft-com:office:office'><body><p class=MsoNormal>"
    html += "<b>Budget</b> proposals<o:p></o:p></p></body></html>"
    assert paste("clipboardToMarkdown", html, "Budget proposals") == "Budget proposals"


def test_html_from_a_web_page_without_lists_pastes_as_its_plain_text(paste):
    html = "<p>First paragraph</p><p>Second paragraph</p>"
    assert paste("clipboardToMarkdown", html, "First\nSecond") == "First\nSecond"


@pytest.mark.parametrize(
    ("before", "text", "after", "inserted"),
    [
        ("", "- a\n- b", "", "- a\n- b"),
        ("The Board noted:", "- a\n- b", "", "\n\n- a\n- b"),
        ("The Board noted:\n", "- a\n- b", "", "\n- a\n- b"),
        ("- first\n", "- a\n- b", "\n- last", "- a\n- b"),
        ("- first", "- a\n- b", "", "\n- a\n- b"),
        ("Before.", "- a", "After.", "\n\n- a\n\n"),
        ("Mid", "plain words", "line", "plain words"),
    ],
)
def test_a_list_lands_on_lines_of_its_own(paste, before, text, after, inserted):
    assert paste("fitToCaret", before, text, after) == inserted


# In the pages -------------------------------------------------------------------------------


@pytest.fixture
def meeting(board, officer):
    meeting = services.meeting_create(
        board=board, starts_at=timezone.now() - datetime.timedelta(hours=1), venue=None
    )
    services.agenda_item_add(
        meeting=meeting,
        item=AgendaItem(title="Scrutiny Inquiry into ICT Capacity – Session 2", purpose="Session."),
    )
    return meeting


def test_word_pasted_into_a_minute_is_autosaved_as_nested_lists(
    page, live_server, sign_in, meeting, officer
):
    item = meeting.agenda_items.get(title__startswith="Scrutiny Inquiry")
    minute = minutes_services.minute_take(meeting=meeting, agenda_item=item, by=officer)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in(officer)
    page.goto(f"/meetings/{meeting.pk}/console/")
    htmx_settled(page)

    # Copied in Word, pasted with the keyboard: the clipboard holds Word's HTML and plain text.
    page.evaluate(WRITE_CLIPBOARD, [WORD_HTML, WORD_PLAIN])
    narrative = page.get_by_label(f"What was said (minute {minute.number})")
    narrative.focus()
    page.keyboard.press("Control+V")
    expect(narrative).to_have_value(WORD_MARKDOWN)

    # The paste saves itself, as typing does.
    expect(page.locator(f"#save-status-{minute.pk}")).to_contain_text("Saved")
    assert Minute.objects.get(pk=minute.pk).narrative == WORD_MARKDOWN
    # Chromium reports the inline styles it drops from HTML written to the clipboard; the
    # report test below shows the paste itself reports nothing.
    assert [e for e in page.console_errors if not e.startswith("Applying inline style")] == []

    page.goto(f"/meetings/{meeting.pk}/minutes/")
    assert outline(page, WORD_LISTS[0][1][0][0]) == as_json(WORD_LISTS[0])
    assert outline(page, WORD_LISTS[1][1][0][0]) == as_json(WORD_LISTS[1])
    expect(page.get_by_text("The Chair thanked the officers for attending.")).to_be_visible()


def test_word_and_a_pdf_pasted_into_a_report_become_nested_lists(
    page, sign_in, assert_accessible, meeting, officer
):
    item = meeting.agenda_items.get(title__startswith="Scrutiny Inquiry")
    sign_in(officer)
    page.goto(f"/items/{item.pk}/papers/write/")
    page.get_by_label("Subject").fill("ICT capacity")
    page.get_by_label("Heading").fill("Main issues")
    body = page.locator("#id_sections-0-body")
    summary = page.get_by_label("Summary")
    expect(body).to_have_attribute("data-paste", "markdown")

    # From Word: HTML and plain text; the HTML wins.
    page.evaluate(
        PASTE, ["#id_sections-0-body", {"text/html": WORD_HTML, "text/plain": WORD_PLAIN}]
    )
    expect(body).to_have_value(WORD_MARKDOWN)
    # An edit the browser can undo and redo.
    page.keyboard.press("Control+Z")
    expect(body).to_have_value("")
    page.keyboard.press("Control+Shift+Z")
    expect(body).to_have_value(WORD_MARKDOWN)

    # From a PDF: plain text only, after what the officer has typed.
    summary.fill("The report covers:")
    summary.press("End")
    page.evaluate(PASTE, ["#id_summary", {"text/plain": PDF_PLAIN}])
    expect(summary).to_have_value("The report covers:\n\n" + PDF_MARKDOWN)
    assert page.console_errors == []

    page.get_by_role("button", name="Save report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ICT capacity")
    paper = Paper.objects.get(agenda_item=item)
    # A form posts a textarea's lines ending CR LF.
    assert paper.sections.get().body.replace("\r\n", "\n") == WORD_MARKDOWN
    assert paper.summary.replace("\r\n", "\n") == "The report covers:\n\n" + PDF_MARKDOWN
    assert outline(page, WORD_LISTS[0][1][0][0]) == as_json(WORD_LISTS[0])
    assert outline(page, WORD_LISTS[1][1][0][0]) == as_json(WORD_LISTS[1])
    assert outline(page, PDF_LISTS[0][1][0][0]) == as_json(PDF_LISTS[0])
    assert outline(page, PDF_LISTS[1][1][0][0]) == as_json(PDF_LISTS[1])
    assert_accessible(page)
