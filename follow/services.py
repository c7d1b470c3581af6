"""Writes for following: a user starts or stops following a board, an inquiry or a
recommendation."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet

from follow.models import Subscription


def subscription_add(*, user: User, thing: Model) -> Subscription:
    """The user follows the thing (once, however often they ask)."""
    followed: dict[str, Any] = {Subscription.kind_of(thing): thing}
    try:
        with transaction.atomic():
            subscription, _ = Subscription.objects.get_or_create(user=user, **followed)
    except IntegrityError:
        # A second click raced the first: either way the user now follows it.
        subscription = Subscription.objects.get(user=user, **followed)
    return subscription


@transaction.atomic
def subscription_remove(*, user: User, thing: Model) -> None:
    Subscription.objects.of_thing(thing).filter(user=user).delete()


@transaction.atomic
def subscriptions_remove(*, subscriptions: QuerySet[Subscription]) -> None:
    """The subscriptions an unsubscribe link names."""
    subscriptions.delete()
