"""Passkeys (WebAuthn) through django-otp-webauthn, as a second factor only.

The relying party is the site: its ID is the host of ``SITE_URL`` (the request's own host,
which ``ALLOWED_HOSTS`` has vetted, where ``SITE_URL`` is not set), its name the council's, and
the one origin a passkey may answer is ``SITE_URL`` (else the request's). A passkey added by
someone who had no second factor yet brings them their recovery codes, like an app.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from django_otp_webauthn.helpers import WebAuthnHelper

from accounts import services
from accounts.second_factor import MUST_ENROL, recovery_device
from boards.models import Council

# The session key holding recovery codes just issued, until the page that shows them once.
NEW_RECOVERY_CODES = "second_factor_new_recovery_codes"


def _origin(request: HttpRequest) -> str:
    return settings.SITE_URL or f"{request.scheme}://{request.get_host()}"


def relying_party_id(request: HttpRequest) -> str:
    return urlsplit(_origin(request)).hostname or ""


def relying_party_name(request: HttpRequest) -> str:
    return Council.load().name


def issue_first_recovery_codes(request: HttpRequest, user: User) -> None:
    """Once someone has their first passkey or app: recovery codes, kept for the page that
    shows them; and a session that had to enrol has now done so."""
    request.session.pop(MUST_ENROL, None)
    if recovery_device(user) is None:
        request.session[NEW_RECOVERY_CODES] = services.recovery_codes_issue(user=user)


class PasskeyHelper(WebAuthnHelper):
    def get_allowed_origins(self) -> list[str]:
        return [_origin(self.request)]

    def create_credential(self, user, response, parsed_credential, original_data):
        device = super().create_credential(user, response, parsed_credential, original_data)
        device.name = "Passkey"
        return device

    def register_complete(self, user, state: dict, data: dict):
        device = super().register_complete(user=user, state=state, data=data)
        issue_first_recovery_codes(self.request, user)
        return device
