"""What every page says about itself: its canonical address.

``{% load pages %}`` then ``{% canonical_url %}`` gives the page's absolute address without its
query string; ``{% canonical_url "year" %}`` keeps the named parameters that choose what the
page shows (a board's year, a page of a list), in the order given. The address starts from the
``SITE_URL`` setting when it is set, so a canonical link never trusts the Host header; without
it, from the request (whose host Django has checked against ``ALLOWED_HOSTS``).

``{% compact %}…{% endcompact %}`` sends what it holds without the templates' indentation:
the blank lines and spaces between one tag and the next, where a line ends, become one line
break, which reads as the space it was (unlike ``{% spaceless %}``, which joins "<b>a</b> <i>b</i>"
into one word). Text, and a textarea's content that is not only spaces, is sent as it was; a
``<pre>`` holding tags on lines of their own would lose their indentation, so none goes inside
it. For the longest pages, which their indentation swells by a sixth.
"""

import re

from django import template
from django.conf import settings
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def canonical_url(context, *kept: str) -> str:
    request = context.get("request")
    if request is None:
        return ""
    if settings.SITE_URL:
        url = settings.SITE_URL + request.path
    else:
        url = request.build_absolute_uri(request.path)
    query = [(name, request.GET[name]) for name in kept if request.GET.get(name)]
    return f"{url}?{urlencode(query)}" if query else url


_INDENTATION = re.compile(r">\s*\n\s*<")


class CompactNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        return mark_safe(_INDENTATION.sub(">\n<", self.nodelist.render(context)))  # noqa: S308 (the template's own output, already escaped)


@register.tag
def compact(parser: template.base.Parser, token: template.base.Token) -> CompactNode:
    nodelist = parser.parse(("endcompact",))
    parser.delete_first_token()
    return CompactNode(nodelist)
