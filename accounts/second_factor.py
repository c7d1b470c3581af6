"""Who needs a second factor, and where a session stands with it (OWASP ASVS 6.3.3).

Officers, clerks and administrators (anyone who may prepare meetings, publish agendas or
administer the site, or open the admin) must have a second factor: a passkey or an
authenticator app, with ten one-time recovery codes besides. Councillors and everyone else may
add one, and once they have, they are asked for it too.

After the password a session is in one of three steps:

- ``VERIFY``: the user has a second factor and has not used it in this session;
- ``ENROL``: the user must have a second factor and has none (a verified session whose last
  passkey or app was removed in the admin comes here too, having used a recovery code);
- ``DONE``: nothing more to ask.

Until ``DONE`` the session reaches nothing but the pages of its step and signing out
(``accounts.middleware``): for staff abilities it is as good as signed out.

The devices are django-otp's: ``TOTPDevice`` (an authenticator app), ``WebAuthnCredential``
(a passkey, from django-otp-webauthn) and one ``StaticDevice`` holding the recovery codes.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from boards.access import Ability, has_ability, is_staff

# How many recovery codes a person is given at a time.
RECOVERY_CODES = 10


class Step(StrEnum):
    VERIFY = "verify"
    ENROL = "enrol"
    DONE = "done"


def needs_second_factor(user: User | AnonymousUser) -> bool:
    """Officers, clerks and administrators: whoever may change the boards' business, administer
    the site or open the admin."""
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        is_staff(user)
        or has_ability(user, Ability.ADMINISTER)
        or user.is_staff
        or user.is_superuser
    )


def main_devices(user: User) -> list[Device]:
    """The user's confirmed passkeys and authenticator apps, passkeys first, oldest first."""
    return [
        *WebAuthnCredential.objects.devices_for_user(user, confirmed=True).order_by("pk"),
        *TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk"),
    ]


def recovery_device(user: User) -> StaticDevice | None:
    return StaticDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def has_any_device(user: User) -> bool:
    return next(devices_for_user(user, confirmed=True), None) is not None


def is_verified(user: Any) -> bool:
    """Whether django-otp's middleware found a device that verified this session."""
    return bool(getattr(user, "is_verified", None) and user.is_verified())


# Session keys: whether the user had a second factor when signing in (read for those who need
# not have one, so their pages cost no query), and that a verified session must still enrol.
HAD_DEVICE = "second_factor_had_device"
MUST_ENROL = "second_factor_must_enrol"


def remember_devices(request: HttpRequest, user: User) -> None:
    """At sign-in (``user_logged_in``): note whether the user has a second factor to ask for."""
    request.session[HAD_DEVICE] = has_any_device(user)


def step_of(request: HttpRequest) -> Step:
    """Where the request's session stands with the second factor (worked out once a request).
    Staff are judged afresh; others by what they had when they signed in."""
    cached: Step | None = getattr(request, "_second_factor_step", None)
    if cached is not None:
        return cached
    user = request.user
    if not user.is_authenticated:
        step = Step.DONE
    elif is_verified(user):
        step = Step.ENROL if request.session.get(MUST_ENROL) else Step.DONE
    elif needs_second_factor(user):
        step = Step.VERIFY if has_any_device(user) else Step.ENROL
    else:
        step = Step.VERIFY if request.session.get(HAD_DEVICE) else Step.DONE
    request._second_factor_step = step  # type: ignore[attr-defined]
    return step


def may_change_devices(request: HttpRequest) -> bool:
    """Devices are added or removed only in a verified session, or by someone with none yet
    (else the password alone would let anyone add their own authenticator)."""
    user = request.user
    return user.is_authenticated and (is_verified(user) or not has_any_device(user))
