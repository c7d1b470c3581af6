import unicodedata
from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString

from boards import text
from boards.text import plain_text, render_markdown


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """The tags a browser would build from the HTML, with their attributes."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.found


@pytest.mark.parametrize("source", ["", "   ", "\n\n"])
def test_empty_input_renders_nothing(source):
    assert render_markdown(source) == ""
    assert plain_text(source) == ""


def test_rendered_markdown_is_safe_for_templates_as_it_is():
    rendered = render_markdown("**Budget** & spending")
    assert isinstance(rendered, SafeString)
    html = Template("{{ body }}").render(Context({"body": rendered}))
    assert html.strip() == "<p><strong>Budget</strong> &amp; spending</p>"


def test_paragraphs_and_emphasis_survive():
    rendered = render_markdown("First *point*.\n\nSecond **point**.")
    assert "<p>First <em>point</em>.</p>" in rendered
    assert "<p>Second <strong>point</strong>.</p>" in rendered


def test_bullet_lists_survive():
    rendered = render_markdown("- Housing\n- Transport\n")
    assert "<ul>\n<li>Housing</li>\n<li>Transport</li>\n</ul>" in rendered


def test_numbered_lists_survive():
    rendered = render_markdown("1. Note the report\n2. Agree the plan\n")
    assert "<ol>\n<li>Note the report</li>\n<li>Agree the plan</li>\n</ol>" in rendered


def test_tables_survive_with_column_headers_scoped():
    rendered = render_markdown("| Ward | Homes |\n|:--|--:|\n| North | 120 |\n")
    assert "<table>" in rendered
    assert '<th scope="col">Ward</th>' in rendered
    assert '<th scope="col">Homes</th>' in rendered
    assert "<td>North</td>" in rendered
    assert "<td>120</td>" in rendered
    assert "style=" not in rendered


def test_headings_fit_below_the_page_headings():
    rendered = render_markdown("# Background\n\n## Options\n\n#### Detail\n\n###### Note")
    assert "<h3>Background</h3>" in rendered
    assert "<h3>Options</h3>" in rendered
    assert "<h4>Detail</h4>" in rendered
    assert "<h4>Note</h4>" in rendered
    assert "<h1" not in rendered
    assert "<h2" not in rendered


def test_block_quotes_code_and_line_breaks_survive():
    rendered = render_markdown("> Quoted\n\n`code`\n\n```\nblock\n```\n\nline one  \nline two")
    assert "<blockquote>\n<p>Quoted</p>\n</blockquote>" in rendered
    assert "<code>code</code>" in rendered
    assert "<pre><code>block\n</code></pre>" in rendered
    assert "line one<br>" in rendered


def test_links_get_rel_noopener_and_keep_their_title():
    rendered = render_markdown('[Council](https://www.example.gov.uk/ "Home page")')
    assert (
        '<a href="https://www.example.gov.uk/" title="Home page" rel="noopener noreferrer">'
        "Council</a>"
    ) in rendered


def test_mailto_links_survive():
    assert 'href="mailto:scrutiny@example.gov.uk"' in render_markdown(
        "[Email us](mailto:scrutiny@example.gov.uk)"
    )


def test_bare_addresses_are_not_turned_into_links():
    assert "<a" not in render_markdown("See www.example.gov.uk for details.")


def test_script_tags_are_shown_as_text_not_run():
    rendered = render_markdown(
        "Before <script>alert('x')</script> after\n\n<script>\nalert(1)\n</script>"
    )
    assert "script" not in [tag for tag, _ in elements(rendered)]
    assert "<script" not in rendered
    assert "&lt;script&gt;" in rendered


@pytest.mark.parametrize(
    "source",
    [
        '<img src="x" onerror="alert(1)">',
        "Inline <IMG SRC=x onerror=alert(1)> image",
        '![chart](x" onerror="alert(1))',
        "![chart](https://example.org/chart.png)",
    ],
)
def test_images_and_their_event_handlers_are_neutralised(source):
    found = elements(render_markdown(source))
    assert all(tag != "img" for tag, _ in found)
    assert all(not name.startswith("on") for _, attrs in found for name in attrs)


@pytest.mark.parametrize(
    "source",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](&#106;avascript:alert(1))",
        "<javascript:alert(1)>",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[click](vbscript:msgbox(1))",
    ],
)
def test_dangerous_link_schemes_never_become_links(source):
    assert all("href" not in attrs for _, attrs in elements(render_markdown(source)))


def test_raw_html_in_markdown_is_escaped_not_rendered():
    rendered = render_markdown('<div style="color:red" onclick="x()">Hi</div>\n\n<iframe src="x">')
    assert [tag for tag, _ in elements(rendered)] == ["p", "p"]
    assert "&lt;div" in rendered
    assert "&lt;iframe" in rendered


def test_the_sanitiser_catches_what_the_renderer_lets_through(monkeypatch):
    # Defence in depth: even if markdown-it accepted every link, nh3 still drops unsafe ones.
    monkeypatch.setattr(text._markdown, "validateLink", lambda url: True)
    rendered = render_markdown("[a](javascript:alert(1)) [b](https://example.org/)")
    assert "javascript" not in rendered
    assert '<a rel="noopener noreferrer">a</a>' in rendered
    assert 'href="https://example.org/"' in rendered


def test_only_the_allowed_tags_can_ever_appear():
    rendered = render_markdown(
        "# H\n\n- a\n\n1. b\n\n> c\n\n| x |\n|---|\n| y |\n\n`z` **s** *e* [l](http://x.org)\n\n"
        "![img](http://x.org/i.png)\n\n---\n\n```\np\n```"
    )
    tags = {tag for tag, _ in elements(rendered)}
    assert tags <= text.ALLOWED_TAGS
    assert "hr" not in tags
    assert "img" not in tags


def test_plain_text_strips_tags_and_collapses_whitespace():
    source = (
        "# Budget\n\nThe **total** is   £4m.\n\n- Housing\n- Roads\n\n"
        "| A | B |\n|---|---|\n| 1 | 2 |"
    )
    assert plain_text(source) == "Budget The total is £4m. Housing Roads A B 1 2"


def test_plain_text_unescapes_entities():
    assert plain_text("Fish & chips, 5 < 6") == "Fish & chips, 5 < 6"


def test_plain_text_drops_link_targets_but_keeps_link_words():
    assert plain_text("Read [the report](https://example.org/r.pdf).") == "Read the report."


# Control characters, and lists pasted from Word and PDFs ------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Budget\x00 report", "Budget report"),
        ("".join(map(chr, range(0x20))), "\t\n\n\n\r"),  # C0: tab, LF, VT, FF and CR are left
        ("Deleted\x7f and C1 \x80\x9f", "Deleted and C1 "),
        (
            "Word's line\x0bbreak, a page\x0cbreak and a NEL\x85",
            "Word's line\nbreak, a page\nbreak and a NEL\n",
        ),
        ("Tabs\tand\r\nlines stay", "Tabs\tand\r\nlines stay"),
        ("£4m – “quoted” · é ñ ≥ \u00a0\u2028", "£4m – “quoted” · é ñ ≥ \u00a0\u2028"),
    ],
)
def test_control_characters_are_dropped_and_line_ends_kept_as_line_feeds(source, expected):
    assert text.without_control_characters(source) == expected


def test_every_control_character_goes_and_every_other_character_stays():
    everything = "".join(chr(point) for point in range(0x110000) if not 0xD800 <= point < 0xE000)
    cleaned = text.without_control_characters(everything)
    assert [c for c in cleaned if unicodedata.category(c) == "Cc"] == list("\t\n\n\n\r\n")
    others = [c for c in everything if unicodedata.category(c) != "Cc"]
    assert [c for c in cleaned if unicodedata.category(c) != "Cc"] == others
    assert text.without_control_characters(cleaned) == cleaned


def test_rendering_drops_control_characters_older_text_holds():
    assert render_markdown("Budget\x00 \x01report\x0bof 2016") == "<p>Budget report\nof 2016</p>\n"


def test_pasted_nested_lists_render_nested():
    rendered = render_markdown(
        "- the ICT service's hours of support\n"
        "  - weekday cover\n"
        "    - from 8 am\n"
        "- the core network\n\n"
        "1. The timescale.\n"
        "   - the cost\n"
        "2. The capacity."
    )
    assert [tag for tag, _ in elements(rendered)] == [
        *["ul", "li", "ul", "li", "ul", "li", "li"],
        *["ol", "li", "ul", "li", "li"],
    ]


def test_a_numbered_list_keeps_the_number_it_starts_at():
    assert '<ol start="3">' in render_markdown("3. Third point\n4. Fourth point")


@pytest.mark.parametrize(
    ("source", "first"),
    [
        ("- (a) note the report\n- (b) agree the plan", "(a) note the report"),
        ("- a) note the report\n- b) agree the plan", "a) note the report"),
        ("- a. note the report\n- b. agree the plan", "a. note the report"),
        ("- (i) first\n- (ii) second\n- (iv) fourth", "(i) first"),
        ("- (A) first\n- (B) second", "(A) first"),
    ],
)
def test_a_lettered_list_keeps_its_letters_and_loses_its_bullets(source, first):
    rendered = render_markdown(source)
    assert rendered.startswith(f'<ul class="lettered">\n<li>{first}</li>')


def test_a_lettered_list_nested_in_a_numbered_one_is_lettered_alone():
    rendered = render_markdown("1. Report back on:\n   - (a) the cost\n   - (b) the timetable")
    assert elements(rendered) == [
        ("ol", {}),
        ("li", {}),
        ("ul", {"class": "lettered"}),
        ("li", {}),
        ("li", {}),
    ]


@pytest.mark.parametrize(
    "source",
    [
        "- (a) note the report\n- agree the plan",  # not every item is lettered
        "- Note the report\n- Agree the plan",
        "- Mr. Smith\n- Ms. Jones",
    ],
)
def test_a_list_with_an_item_not_lettered_keeps_its_bullets(source):
    assert elements(render_markdown(source))[0] == ("ul", {})


def test_no_other_class_or_list_attribute_survives_the_sanitiser():
    html = (
        '<ul class="evil"><li>a</li></ul><ol start="2" type="a"><li>b</li></ol>'
        '<p class="lettered">c</p>'
    )
    cleaned = text._cleaner.clean(html)
    assert "evil" not in cleaned
    assert "type=" not in cleaned
    assert '<p class="lettered">' not in cleaned
    assert '<ol start="2">' in cleaned
