"""Every URL refuses the public unless it is on the explicit public allow-list."""

import itertools
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from opendata import oparl_urls

# URL names the public may reach, each for a reason.
PUBLIC_URLS = {
    "home:home": "the public home page",
    "boards:board-list": "boards are public",
    "boards:board-detail": "a board's members and meetings are public",
    "boards:meeting-list": "the meetings calendar is public",
    "boards:meeting-detail": "published agendas are public; the visibility rule hides the rest",
    "boards:paper-detail": "published papers are public; the visibility rule hides exempt ones",
    "boards:paper-download": "published PDFs are public; the visibility rule hides exempt ones",
    "boards:paper-original": "the Word original beside a published PDF, by the same rule",
    "boards:person-photo": "a councillor's or co-opted member's photo; no one else's is served",
    "minutes:minutes-detail": "minutes are public (drafts by setting); exempt ones summarised",
    "minutes:attendance-figures": "members' attendance is public",
    "inquiries:inquiry-list": "inquiries are public",
    "statements:statement-pdf": "published statements are public; drafts 404",
    "minutes:minutes-pdf": "published minutes are public; exempt minutes summarised",
    "inquiries:evidence-download": "evidence is public; exempt evidence 404s for the public",
    "inquiries:work-schedule": "the work schedule is public; changing it needs an officer",
    "minutes:subject-detail": "a subject's history is public; exempt items are hidden",
    "boards:subject-list": "subjects with something the visitor may see; the rule hides the rest",
    "minutes:subject-pdf": "the same history printed, through the same rule",
    "search:search": "search is public; results go through the visibility rule",
    "inquiries:inquiry-detail": "an inquiry's page is public; draft statements are hidden",
    "statements:statement-detail": "published statements are public; drafts 404",
    "recommendations:recommendation-detail": "published recommendations are public",
    "recommendations:board-tracking": "progress on published recommendations is public",
    "recommendations:board-tracking-pdf": "the same report printed; drafts hidden",
    "recommendations:inquiry-tracking": "tracking of a published statement is public; drafts 404",
    "recommendations:inquiry-tracking-pdf": "the same report printed; drafts 404",
    "inquiries:work-schedule-pdf": "the work schedule printed, as public as its page",
    "opendata:board-tracking-csv": "the tracker as CSV; drafts for officers only",
    "opendata:inquiry-tracking-csv": "the tracker as CSV; drafts for officers only",
    "opendata:calendar-all": "the meetings calendar (iCalendar) is public, as its page",
    "opendata:calendar-board": "a board's meetings calendar (iCalendar) is public",
    "opendata:feed-all": "Atom feed of published papers: read as the public, whoever asks",
    "opendata:feed-board": "a board's Atom feed: read as the public, whoever asks",
    "opendata:feed-inquiry": "an inquiry's Atom feed: read as the public, whoever asks",
    "home:accessibility": "the accessibility statement public sector websites must publish",
    "home:favicon": "the site's icon, which browsers ask for at /favicon.ico",
    "home:healthz": "the load balancer's health check: ok or unavailable, nothing else",
    "follow:unsubscribe-token": "an e-mail's unsubscribe link works signed out (signed token)",
    "packs:pack-download": "the public agenda pack is public once published; members' pack 404s",
    "packs:pack-status": "a public pack's build progress; the members' pack 404s for the public",
    "packs:pack-build": "asks for the public pack to be brought up to date (deduplicated)",
    "minutes:councillor-list": "councillors, their wards and parties are public",
    "minutes:councillor-detail": "a councillor's page: seats, and what published minutes record",
    "minutes:declaration-register": "declarations in minutes the visitor may read; exempt withheld",
    "minutes:attendance-report": "attendance from minutes the visitor may read",
    "minutes:attendance-report-pdf": "the same report printed, through the same rule",
    "opendata:attendance-csv": "the same report as CSV, through the same rule",
    "opendata:open-data": "says where the public's open data is and on what terms",
    "decisions:decision-list": "published executive decisions are public; drafts for staff",
    "decisions:decision-detail": "a published decision is public; exempt text hidden, drafts 404",
    "decisions:decision-report": "a decision's report; exempt ones 404 for those not entitled",
    "decisions:call-in-explained": "the council's call-in rules in plain words",
    "decisions:forward-plan": "the forward plan is public: published notices only",
    "decisions:forward-plan-pdf": "the same plan printed, through the same rule",
    "decisions:forward-plan-entry": "a published notice is public; drafts 404 for the public",
    "opendata:feed-forward-plan": "the forward plan's Atom feed: read as the public, whoever asks",
    "opendata:feed-decisions": "published decisions as the public reads them, whoever asks",
    "opendata:calendar-forward-plan": "the forward plan's calendar: read as the public",
    "accounts:sign-in": "signing in",
    "accounts:sign-out": "signing out is harmless when signed out",
    "otp_webauthn:js-i18n-catalog": "the passkey script's messages: the same text for everyone",
    "admin:login": "the admin's own sign-in (throttled by django-axes like ours)",
    "admin:logout": "signing out of the admin is harmless when signed out",
    "decisions:call-in-list": "call-ins are public; an exempt decision's shows only its title",
    "decisions:call-in-detail": "a call-in's timeline is public; an exempt decision's is withheld",
    "decisions:call-in-of-item": "redirects to the call-in's page, which applies the rule",
}
# The OParl API is anonymous by design: whoever asks, it serves what the public may see.
PUBLIC_URLS |= {
    f"oparl:{pattern.name}": "open data (OParl): only what Audience.public() sees"
    for pattern in oparl_urls.urlpatterns
}

SIGN_IN_PATHS = ("/account/sign-in/", "/admin/login/")
CANDIDATE_VALUES = ["1", "x", "boards", "board", str(uuid.uuid4())]


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern


def _example_url(name: str, pattern: URLPattern) -> str:
    keys = sorted(pattern.pattern.regex.groupindex)
    for values in itertools.product(CANDIDATE_VALUES, repeat=len(keys)):
        try:
            return reverse(name, kwargs=dict(zip(keys, values, strict=True)))
        except NoReverseMatch:
            continue
    raise AssertionError(f"no example URL for {name}")


def all_urls():
    urls = []
    for namespace, pattern in _walk(get_resolver().url_patterns):
        if pattern.name is None:
            # Unnamed patterns (the admin's catch-all) are reached through named ones.
            continue
        name = f"{namespace}{pattern.name}"
        urls.append((name, _example_url(name, pattern)))
    return urls


def _refuses_the_public(response) -> bool:
    if response.status_code in (401, 403, 405):
        return True
    return response.status_code == 302 and response.url.split("?")[0].endswith(SIGN_IN_PATHS)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "url"), all_urls(), ids=lambda value: value)
def test_url_is_public_only_if_allow_listed(name, url):
    client = Client()
    refused = all(_refuses_the_public(response) for response in (client.get(url), client.post(url)))
    if name in PUBLIC_URLS:
        return
    assert refused, f"{name} ({url}) is reachable by the public but not on the allow-list"


def test_allow_list_names_only_existing_urls():
    names = {name for name, _url in all_urls()}
    assert set(PUBLIC_URLS) <= names
