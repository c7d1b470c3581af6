"""The roles people sign in with, as Django groups with permissions.

This module is the one place that says which permissions each role has. The groups are
brought into line with it after every ``migrate``, so a deployment never drifts from the code.
"""

from __future__ import annotations

from enum import StrEnum

from django.apps import apps as global_apps
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.db.models import Q


class Role(StrEnum):
    ADMINISTRATOR = "Administrator"
    CLERK = "Clerk"
    OFFICER = "Scrutiny officer"
    COUNCILLOR = "Councillor"


# In order of precedence: someone with two roles lands on the page of the first.
ROLES = [Role.ADMINISTRATOR, Role.CLERK, Role.OFFICER, Role.COUNCILLOR]

READ_REFERENCE_DATA = [
    "boards.view_board",
    "boards.view_membership",
    "boards.view_person",
    "boards.view_ward",
    "boards.view_party",
]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.OFFICER: [
        *READ_REFERENCE_DATA,
        "boards.prepare_meetings",
        "boards.change_board",
        "boards.add_membership",
        "boards.change_membership",
        "boards.add_person",
        "boards.change_person",
        # The set-up pages: people, posts and who holds them; their own bodies' details,
        # standard agendas and memberships come with supporting them (``boards.access``).
        "boards.set_up_people",
    ],
    Role.CLERK: [
        *READ_REFERENCE_DATA,
        "boards.publish_agendas",
        # The set-up pages: every body (creating and dissolving them), wards and parties,
        # people, posts and who holds them.
        "boards.set_up_bodies",
        "boards.set_up_people",
    ],
    Role.COUNCILLOR: [
        *READ_REFERENCE_DATA,
        "boards.read_member_papers",
    ],
    # Administrators hold every permission of the project's apps and of accounts; see below.
    Role.ADMINISTRATOR: [],
}

ADMINISTRATOR_APPS = [
    "auth",
    "axes",
    "boards",
    "minutes",
    "inquiries",
    "recommendations",
    "packs",
    "search",
    "follow",
    # Import runs and where each imported record came from.
    "transfer",
    # Second factors: an administrator removes a lost one, so its owner can set up another.
    "otp_totp",
    "otp_static",
    "django_otp_webauthn",
]


# The roles are read once a request and kept on the user object, under this name.
_CACHED_ON_USER = "_scrutiny_roles"


def roles_of(user: User | AnonymousUser) -> list[Role]:
    """The user's roles in order of precedence, read once per request and kept on the user."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[Role] | None = getattr(user, _CACHED_ON_USER, None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = [role for role in ROLES if role in names]
        if user.is_superuser and Role.ADMINISTRATOR not in cached:
            cached.insert(0, Role.ADMINISTRATOR)
        setattr(user, _CACHED_ON_USER, cached)
    return cached


def _permissions(names: list[str]) -> list[Permission]:
    query = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    found = list(Permission.objects.filter(query))
    if len(found) != len(set(names)):
        known = {f"{p.content_type.app_label}.{p.codename}" for p in found}
        raise LookupError(f"Unknown permissions in ROLE_PERMISSIONS: {sorted(set(names) - known)}")
    return found


def sync_role_groups() -> None:
    """Create the role groups and give each exactly the permissions this module lists."""
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        if role == Role.ADMINISTRATOR:
            permissions = list(
                Permission.objects.filter(content_type__app_label__in=ADMINISTRATOR_APPS)
            )
        else:
            permissions = _permissions(ROLE_PERMISSIONS[role])
        group.permissions.set(permissions)


def sync_role_groups_after_migrate(sender, app_config, **kwargs) -> None:
    """post_migrate receiver: runs once, after the last app's permissions have been created."""
    with_models = [c for c in global_apps.get_app_configs() if c.models_module is not None]
    if app_config.label == with_models[-1].label:
        sync_role_groups()
