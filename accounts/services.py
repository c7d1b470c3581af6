"""Every change to a person's second factor: adding an authenticator app, issuing recovery
codes, checking a code, removing a device. (Passkeys are added by django-otp-webauthn's own
views, which call ``accounts.passkeys.PasskeyHelper``.)"""

from __future__ import annotations

import math

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device, ThrottlingMixin
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor import RECOVERY_CODES, main_devices, needs_second_factor

APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def normalised(code: str) -> str:
    """A code as typed, without the spaces and hyphens people add, in lower case."""
    return "".join(code.split()).replace("-", "").lower()


def _wait_message(devices: list[ThrottlingMixin]) -> str:
    """Tell someone slowed down by django-otp's throttle how long to wait."""
    now = timezone.now()
    waits = []
    for device in devices:
        _allowed, details = device.verify_is_allowed()
        until = (details or {}).get("locked_until")
        if until is not None:
            waits.append(max(1, math.ceil((until - now).total_seconds())))
    seconds = min(waits, default=1)
    unit = "second" if seconds == 1 else "seconds"
    return f"Too many wrong codes. Wait {seconds} {unit}, then enter the code again."


def code_verify(*, user: User, code: str) -> Device:
    """The device that accepts ``code``: an authenticator app's six digits, or a recovery code
    (used up by this). A wrong code counts against each device it was tried on, and django-otp
    then refuses codes for a while (1, 2, 4… seconds)."""
    code = normalised(code)
    with transaction.atomic():
        # Row locks, so one code cannot be used twice at the same moment.
        candidates: list[TOTPDevice] | list[StaticDevice]
        if code.isdigit() and len(code) == 6:
            candidates = list(
                TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update()
            )
        else:
            candidates = list(
                StaticDevice.objects.devices_for_user(user, confirmed=True).select_for_update()
            )
        allowed = [device for device in candidates if device.verify_is_allowed()[0]]
        accepted = next((device for device in allowed if device.verify_token(code)), None)
    if accepted is not None:
        return accepted
    if candidates and not allowed:
        raise ValidationError({"code": _wait_message(candidates)}, code="throttled")
    raise ValidationError(
        {
            "code": "That code is not right. Enter the code your authenticator app shows now, "
            "or one of your recovery codes."
        },
        code="wrong",
    )


@transaction.atomic
def authenticator_app_start(*, user: User) -> TOTPDevice:
    """A new authenticator app, not yet confirmed (an earlier unfinished one is dropped)."""
    TOTPDevice.objects.devices_for_user(user, confirmed=False).delete()
    device = TOTPDevice(user=user, name=APP_NAME, confirmed=False)
    device.full_clean()
    device.save()
    return device


def authenticator_app_confirm(*, device: TOTPDevice, code: str) -> TOTPDevice:
    """Confirm the app with the code it shows; only then does it count as a second factor."""
    code = normalised(code)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed = device.verify_is_allowed()[0]
        accepted = allowed and device.verify_token(code)
        if accepted:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
    if accepted:
        return device
    if not allowed:
        raise ValidationError({"code": _wait_message([device])}, code="throttled")
    raise ValidationError(
        {
            "code": "That code is not right. Enter the 6-digit code the app shows for this "
            "account now; if it has changed, enter the new one."
        },
        code="wrong",
    )


@transaction.atomic
def recovery_codes_issue(*, user: User) -> list[str]:
    """Ten new recovery codes in place of any the user had; each works once. Returned so they
    can be shown, once."""
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice(user=user, name=RECOVERY_NAME, confirmed=True)
        device.full_clean()
        device.save()
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    device.throttle_reset()
    return codes


@transaction.atomic
def device_remove(*, user: User, device: Device) -> None:
    """Remove a passkey or an authenticator app. Staff keep at least one; someone who may do
    without removes their recovery codes with their last one, and is then asked for nothing."""
    if device.user_id != user.pk:
        raise ValidationError("This is not one of your passkeys or authenticator apps.")
    remaining = [other for other in main_devices(user) if other != device]
    if not remaining and needs_second_factor(user):
        raise ValidationError(
            "You need a second factor to sign in, so you cannot remove your last passkey or "
            "authenticator app. Add another first, then remove this one."
        )
    device.delete()
    if not remaining:
        StaticDevice.objects.filter(user=user).delete()
