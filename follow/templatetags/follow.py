"""The "follow" controls pages share: calendar and Atom links, and the subscribe button.

``{% load follow %}`` then ``{% follow_links %}`` (the whole council's calendar and feed),
``{% follow_links board=board %}`` (a board's calendar and feed, and the subscribe button),
``{% follow_links inquiry=inquiry %}`` (its feed and button) or ``{% follow_links
recommendation=recommendation %}`` (the button). ``button=False`` leaves the button out.
``{% your_subscriptions %}`` lists what the signed-in user follows, for their desk. The markup
is in ``follow/subscriptions.html`` as partials, shared with the htmx replies.
"""

from django import template

from follow.models import Subscription
from follow.views import feed_links, follow_context

register = template.Library()


@register.inclusion_tag("follow/subscriptions.html#follow-links", takes_context=True)
def follow_links(context, board=None, inquiry=None, recommendation=None, button=True) -> dict:
    request = context["request"]
    thing = board or inquiry or recommendation
    if recommendation is not None:
        links, about = {}, "this recommendation"
    else:
        links = feed_links(request, board=board, inquiry=inquiry)
        about = "this inquiry" if inquiry else board.name if board else "all meetings"
    return {
        "links": links,
        "about": about,
        "heading_id": f"follow-{_kind(thing)}-heading",
        "follow": follow_context(request, thing) if thing is not None and button else None,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("follow/subscriptions.html#your-subscriptions", takes_context=True)
def your_subscriptions(context) -> dict:
    """What the signed-in user follows, in one query."""
    user = context["request"].user
    subscriptions = (
        Subscription.objects.filter(user=user).for_list().order_by("created", "pk")
        if user.is_authenticated
        else Subscription.objects.none()
    )
    return {"subscriptions": list(subscriptions)}


def _kind(thing) -> str:
    return thing._meta.model_name if thing is not None else "all"
