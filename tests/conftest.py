import os

import pytest
from django.test import Client

from boards.roles import Role
from tests.factories import BoardFactory, MembershipFactory, PersonFactory, UserFactory

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI nothing is skipped: a test that would skip for a missing service fails."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Skipped under CI=true, which counts as a failure: {report.longrepr}"


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def make_user(db):
    """A user in the given role; officers support a board, councillors sit on one."""

    def make(role: Role | None, **kwargs):
        return UserFactory(roles=[role] if role else [], **kwargs)

    return make


@pytest.fixture
def board(db):
    return BoardFactory()


@pytest.fixture
def officer(db, board):
    user = UserFactory(roles=[Role.OFFICER])
    board.support_officer = PersonFactory(officer=True, user=user)
    board.save()
    return user


@pytest.fixture
def clerk(db):
    return UserFactory(roles=[Role.CLERK])


@pytest.fixture
def councillor(db, board):
    user = UserFactory(roles=[Role.COUNCILLOR])
    MembershipFactory(board=board, person=PersonFactory(user=user))
    return user


@pytest.fixture
def administrator(db):
    return UserFactory(roles=[Role.ADMINISTRATOR], is_staff=True)


@pytest.fixture
def client_for():
    def login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login
