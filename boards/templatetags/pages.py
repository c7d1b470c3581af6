"""What every page says about itself: its canonical address.

``{% load pages %}`` then ``{% canonical_url %}`` gives the page's absolute address without its
query string; ``{% canonical_url "year" %}`` keeps the named parameters that choose what the
page shows (a board's year, a page of a list), in the order given. The address starts from the
``SITE_URL`` setting when it is set, so a canonical link never trusts the Host header; without
it, from the request (whose host Django has checked against ``ALLOWED_HOSTS``).
"""

from django import template
from django.conf import settings
from django.utils.http import urlencode

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
