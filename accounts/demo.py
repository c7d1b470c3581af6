"""The demo council's second factors: the staff demo accounts (officer, clerk, admin) each have
an authenticator app with one published key, so that a person trying the demo can sign in as
them. Add the key to an authenticator app, or print the code of the moment with
``manage.py demo_code``. (``load_demo`` refuses production, where this key would be a hole.)"""

from __future__ import annotations

import time
from base64 import b32decode

from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor import needs_second_factor
from boards.demo import DEMO_ACCOUNTS

# Published, like the demo password: 32 base32 letters, 20 bytes.
DEMO_SECRET = "SCRUTINYDEMOTWOTHOUSANDTWENTYSIX"  # noqa: S105 - published, refused in production
DEMO_KEY = b32decode(DEMO_SECRET).hex()
DEVICE_NAME = "Demo authenticator app"
INSTRUCTIONS = (
    "The officer, clerk and admin accounts then ask for a code from an authenticator app: "
    f"add the key {DEMO_SECRET} to one, or run `manage.py demo_code` for the code of the moment."
)


def code_now(at: float | None = None) -> str:
    """The 6-digit code the demo key gives now."""
    totp = TOTP(bytes.fromhex(DEMO_KEY))
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


@transaction.atomic
def load() -> None:
    User = get_user_model()
    for user in User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]):
        if needs_second_factor(user):
            TOTPDevice.objects.get_or_create(
                user=user, name=DEVICE_NAME, defaults={"key": DEMO_KEY, "confirmed": True}
            )
