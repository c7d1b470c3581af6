"""Safe rich text: officers write Markdown, pages show sanitised HTML.

markdown-it-py renders with raw HTML off, then nh3 keeps only the tags below, so a ``<script>``, an
``onerror=`` handler or a ``javascript:`` link never reaches a page, whatever the renderer lets
through.

Text arrives without control characters (``without_control_characters``, applied to every
request's data by ``boards.middleware``); rendering drops any that older text still holds.
"""

import functools
import html
import re

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = frozenset(
    {"p", "br", "h3", "h4", "blockquote", "pre"}
    | {"strong", "em", "code", "sup", "sub", "a"}
    | {"ul", "ol", "li"}
    | {"table", "thead", "tbody", "tr", "th", "td"}
)

_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    # A numbered list pasted from its third point starts at 3.
    attributes={"a": {"href", "title"}, "th": {"scope"}, "ol": {"start"}},
    tag_attribute_values={"ul": {"class": {"lettered"}}},
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer",
)

_strip_all = nh3.Cleaner(tags=set(), attributes={})

_WHITESPACE = re.compile(r"\s+")

# Control characters but tab, line feed and carriage return: C0, DEL and C1. None is ever meant;
# they come with text pasted from Word or a PDF, PostgreSQL refuses NUL in text, and XML (feeds)
# refuses the rest of C0.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Those that end a line: Word's manual line break (vertical tab), a PDF's page break (form feed),
# and the C1 next line.
_LINE_ENDS = frozenset("\x0b\x0c\x85")

# A lettered list item as councils write it: "(a) note…", "b) agree…", "ii. consider…".
_LETTERED_ITEM = re.compile(
    r"(\(([a-zA-Z]|[ivxlcIVXLC]{1,7}|\d{1,3})\)|([a-zA-Z]|[ivxlcIVXLC]{1,7})[.)])\s"
)


def without_control_characters(value: str) -> str:
    """The text without control characters; those that end a line become a line feed."""
    return _CONTROL.sub(lambda match: "\n" if match.group() in _LINE_ENDS else "", value)


def _mark_lettered_lists(tokens: list[Token]) -> None:
    """Markdown has no lettered lists: a bullet list whose every item starts with its letter
    ("- (a) note the report") is shown without bullets (class "lettered"), the letters kept."""
    for index, token in enumerate(tokens):
        if token.type != "bullet_list_open":
            continue
        firsts = []
        for position in range(index + 1, len(tokens)):
            item = tokens[position]
            if item.type == "bullet_list_close" and item.level == token.level:
                break
            if item.type == "list_item_open" and item.level == token.level + 1:
                opens_paragraph = tokens[position + 1].type == "paragraph_open"
                firsts.append(tokens[position + 2].content if opens_paragraph else "")
        if firsts and all(_LETTERED_ITEM.match(first) for first in firsts):
            token.attrSet("class", "lettered")


def _fit_to_page(tokens: list[Token]) -> None:
    # Pages already own h1 and h2, so "# Background" becomes an h3 rather than losing its tag.
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = "h3" if token.tag in {"h1", "h2", "h3"} else "h4"
        elif token.type == "th_open":
            # Markdown header cells are column headers; their inline alignment style is dropped.
            token.attrs = {"scope": "col"}
    _mark_lettered_lists(tokens)


# A pure function of its text, called for the same texts again and again: by every page, and by
# every agenda pack build as it plans (about 1,300 texts for a 400-page pack).
@functools.lru_cache(maxsize=4096)
def _render_html(source: str) -> str:
    tokens = _markdown.parse(without_control_characters(source))
    _fit_to_page(tokens)
    return _cleaner.clean(_markdown.renderer.render(tokens, _markdown.options, {}))


def render_markdown(source: str) -> SafeString:
    """Markdown rendered to sanitised HTML, safe to put in a template as it is."""
    return mark_safe(_render_html(source))  # noqa: S308 - sanitised by nh3 just above


def plain_text(source: str) -> str:
    """The rendered text without tags, whitespace collapsed: for search and summaries."""
    text = html.unescape(_strip_all.clean(_render_html(source)))
    return _WHITESPACE.sub(" ", text).strip()
