"""Safe rich text: officers write Markdown, pages show sanitised HTML.

markdown-it-py renders with raw HTML off, then nh3 keeps only the tags below, so a ``<script>``, an
``onerror=`` handler or a ``javascript:`` link never reaches a page, whatever the renderer lets
through.
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
    attributes={"a": {"href", "title"}, "th": {"scope"}},
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer",
)

_strip_all = nh3.Cleaner(tags=set(), attributes={})

_WHITESPACE = re.compile(r"\s+")


def _fit_to_page(tokens: list[Token]) -> None:
    # Pages already own h1 and h2, so "# Background" becomes an h3 rather than losing its tag.
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = "h3" if token.tag in {"h1", "h2", "h3"} else "h4"
        elif token.type == "th_open":
            # Markdown header cells are column headers; their inline alignment style is dropped.
            token.attrs = {"scope": "col"}


# A pure function of its text, called for the same texts again and again: by every page, and by
# every agenda pack build as it plans (about 1,300 texts for a 400-page pack).
@functools.lru_cache(maxsize=4096)
def _render_html(source: str) -> str:
    tokens = _markdown.parse(source)
    _fit_to_page(tokens)
    return _cleaner.clean(_markdown.renderer.render(tokens, _markdown.options, {}))


def render_markdown(source: str) -> SafeString:
    """Markdown rendered to sanitised HTML, safe to put in a template as it is."""
    return mark_safe(_render_html(source))  # noqa: S308 - sanitised by nh3 just above


def plain_text(source: str) -> str:
    """The rendered text without tags, whitespace collapsed: for search and summaries."""
    text = html.unescape(_strip_all.clean(_render_html(source)))
    return _WHITESPACE.sub(" ", text).strip()
