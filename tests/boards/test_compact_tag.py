"""``{% compact %}``: the templates' indentation between tags goes, what a reader sees stays."""

from django.template import Context, Template


def render(source: str, **context: object) -> str:
    return Template("{% load pages %}{% compact %}" + source + "{% endcompact %}").render(
        Context(context)
    )


def test_indentation_between_tags_becomes_one_line_break():
    page = render("<ul>\n      <li>One</li>\n\n      <li>Two</li>\n    </ul>")
    assert page == "<ul>\n<li>One</li>\n<li>Two</li>\n</ul>"


def test_a_space_between_words_in_tags_is_kept_and_text_is_untouched():
    page = render("<p><b>Approved</b> <i>minutes</i>  of   the\n   meeting</p>")
    assert page == "<p><b>Approved</b> <i>minutes</i>  of   the\n   meeting</p>"


def test_a_textarea_keeps_what_was_typed_and_values_are_escaped_as_before():
    typed = "  - a point\n\n    - indented under it\n<b>not a tag</b>"
    page = render("<form>\n  <textarea>{{ typed }}</textarea>\n</form>", typed=typed)
    assert page == (
        "<form>\n<textarea>  - a point\n\n    - indented under it\n"
        "&lt;b&gt;not a tag&lt;/b&gt;</textarea>\n</form>"
    )
