"""Following the council's work: subscriptions that bring e-mails (sent by the worker: see
``follow.notifications``), and the follow controls pages share. The calendars and Atom feeds
they link to are open data (``opendata``).

Subscribing needs a signed-in user; the unsubscribe link in every e-mail works without signing
in, by its signed token.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from boards.access import acting_user
from boards.models import Board
from boards.views.common import HtmxHttpRequest
from boards.visibility import Audience
from follow import notifications, services
from follow.models import Subscription
from inquiries.models import Inquiry
from recommendations.models import Recommendation

TEMPLATE = "follow/subscriptions.html"
# By kind, as ``Subscription.kind_of`` names it.
NOUNS: dict[str, str] = {
    Subscription.Kind.BOARD: "board",
    Subscription.Kind.INQUIRY: "inquiry",
    Subscription.Kind.RECOMMENDATION: "recommendation",
}
WHAT_YOU_GET: dict[str, str] = {
    Subscription.Kind.BOARD: "when its agendas and supplementary papers are published",
    Subscription.Kind.INQUIRY: "when it moves to a new stage, such as its statement's publication",
    Subscription.Kind.RECOMMENDATION: (
        "when there is a progress update, the board's judgement or the executive's response"
    ),
}


# Subscriptions.


def followable(request: HtmxHttpRequest, kind: str, pk: int):
    """The board, inquiry or recommendation, if the user may see it (else 404)."""
    if kind == Subscription.Kind.BOARD:
        return get_object_or_404(Board, pk=pk)
    if kind == Subscription.Kind.INQUIRY:
        return get_object_or_404(Inquiry, pk=pk)
    if kind == Subscription.Kind.RECOMMENDATION:
        recommendations = Recommendation.objects.visible_to(Audience.of(request.user))
        return get_object_or_404(recommendations.select_related("statement__inquiry"), pk=pk)
    raise Http404("That cannot be followed.")


def follow_context(request: HtmxHttpRequest, thing, *, subscribed: bool | None = None) -> dict:
    """What the follow button shows for ``thing``: one query to find whether the user follows
    it, unless the caller knows."""
    kind = Subscription.kind_of(thing)
    user = request.user
    if subscribed is None:
        subscribed = (
            user.is_authenticated
            and Subscription.objects.filter(user=user, **{kind: thing}).exists()
        )
    return {
        "kind": kind,
        "pk": thing.pk,
        "label": Subscription(**{kind: thing}).label,
        "noun": NOUNS[kind],
        "what_you_get": WHAT_YOU_GET[kind],
        "signed_in": user.is_authenticated,
        "subscribed": subscribed,
        "next": request.get_full_path(),
    }


def _next_url(request: HtmxHttpRequest, thing) -> str:
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return Subscription(**{Subscription.kind_of(thing): thing}).thing_url


def _follow_reply(request: HtmxHttpRequest, thing, subscribed: bool, message: str) -> HttpResponse:
    if request.htmx:
        follow = follow_context(request, thing, subscribed=subscribed)
        follow["next"] = _next_url(request, thing)
        follow["swapped"] = True
        return render(request, f"{TEMPLATE}#follow-controls", {"follow": follow})
    messages.success(request, message)
    return redirect(_next_url(request, thing))


@login_required
@require_POST
@vary_on_headers("HX-Request")
def subscribe(request: HtmxHttpRequest, kind: str, pk: int) -> HttpResponse:
    thing = followable(request, kind, pk)
    services.subscription_add(user=acting_user(request), thing=thing)
    label = Subscription(**{kind: thing}).label
    return _follow_reply(
        request, thing, True, f"You will get an e-mail about {label} {WHAT_YOU_GET[kind]}."
    )


@login_required
@require_POST
@vary_on_headers("HX-Request")
def unsubscribe(request: HtmxHttpRequest, kind: str, pk: int) -> HttpResponse:
    thing = followable(request, kind, pk)
    services.subscription_remove(user=acting_user(request), thing=thing)
    label = Subscription(**{kind: thing}).label
    return _follow_reply(request, thing, False, f"You will no longer get e-mails about {label}.")


@login_required
@require_GET
def subscription_list(request: HtmxHttpRequest) -> HttpResponse:
    subscriptions = list(
        Subscription.objects.filter(user=acting_user(request)).for_list().order_by("created", "pk")
    )
    for subscription in subscriptions:
        # Read by the template, as a page's follow controls read ``follow_context``.
        subscription.follow = {  # type: ignore[attr-defined]
            "kind": subscription.kind,
            "pk": subscription.thing.pk,
            "label": subscription.label,
            "noun": NOUNS[subscription.kind],
            "what_you_get": WHAT_YOU_GET[subscription.kind],
            "signed_in": True,
            "subscribed": True,
            "next": request.get_full_path(),
        }
    return render(request, TEMPLATE, {"subscriptions": subscriptions})


@csrf_exempt  # the signed token is the authority; mail clients post it with no cookie (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe_by_token(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The link in every e-mail. Looking at it changes nothing (mail scanners follow links);
    the button on it, or a mail client's one-click unsubscribe, removes the subscription."""
    subscriptions = notifications.subscriptions_for_token(token)
    if subscriptions is None:
        raise Http404("This unsubscribe link is not valid.")
    subscription = subscriptions.for_list().first()
    done = False
    if request.method == "POST" and subscription is not None:
        services.subscriptions_remove(subscriptions=subscriptions)
        done = True
    response = render(
        request,
        "follow/unsubscribe.html",
        {"subscription": subscription, "done": done, "token": token},
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def feed_links(request: HtmxHttpRequest, *, board=None, inquiry=None) -> dict:
    """The calendar and Atom addresses for a page: the whole council's, a board's, or an
    inquiry's (an inquiry has no calendar of its own)."""
    if inquiry is not None:
        return {"feed": reverse("opendata:feed-inquiry", kwargs={"slug": inquiry.slug})}
    if board is not None:
        calendar_path = reverse("opendata:calendar-board", kwargs={"slug": board.slug})
        feed = reverse("opendata:feed-board", kwargs={"slug": board.slug})
    else:
        calendar_path = reverse("opendata:calendar-all")
        feed = reverse("opendata:feed-all")
    calendar_url = request.build_absolute_uri(calendar_path)
    return {
        "calendar": calendar_path,
        "calendar_url": calendar_url,
        "webcal": "webcal://" + calendar_url.split("://", 1)[1],
        "feed": feed,
    }
