"""Until its second factor is given, a session reaches nothing but the pages of that step and
signing out: every other view (the desks, the admin, htmx endpoints, downloads) sends it to
the step instead, so for staff abilities it is as good as signed out. (``second_factor``
explains the steps.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

from accounts.second_factor import Step, step_of

# Views open at every step: signing out, and the passkey script's messages.
ALWAYS = {"accounts:sign-out", "otp_webauthn:js-i18n-catalog"}
OPEN_AT = {
    Step.VERIFY: {
        "security:verify",
        "otp_webauthn:credential-authentication-begin",
        "otp_webauthn:credential-authentication-complete",
    },
    Step.ENROL: {
        "security:set-up",
        "security:authenticator-app-start",
        "security:authenticator-app",
        "security:recovery-codes",
        "otp_webauthn:credential-registration-begin",
        "otp_webauthn:credential-registration-complete",
    },
}
PAGE_OF = {Step.VERIFY: "security:verify", Step.ENROL: "security:set-up"}


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        step = step_of(request)
        if step == Step.DONE:
            return None
        name = request.resolver_match.view_name if request.resolver_match else ""
        if name in ALWAYS or name in OPEN_AT[step]:
            return None
        url = reverse(PAGE_OF[step])
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        if request.method == "GET":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        return redirect(url)
