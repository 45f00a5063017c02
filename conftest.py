"""Personas shared by every app's tests: a manager, editor and viewer of one affiliate, an outsider
from another affiliate, staff, and the anonymous visitor."""

import os

import pytest
from django.test import Client

from hub.accounts.factories import MembershipFactory, UserFactory
from hub.directory.factories import AffiliateFactory

# Playwright's sync API keeps an event loop in the test thread; Django's ORM must still work there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
PASSWORD = "correct horse battery"


@pytest.fixture
def affiliate(db):
    return AffiliateFactory(name="Wikimedia Testland", short_code="WMTL")


@pytest.fixture
def other_affiliate(db):
    return AffiliateFactory(name="Wikimedia Otherland", short_code="WMOL")


def _member(organization, role, username):
    return MembershipFactory(
        organization=organization, role=role, user=UserFactory(username=username)
    ).user


@pytest.fixture
def manager(affiliate):
    return _member(affiliate, "manager", "manager")


@pytest.fixture
def editor(affiliate):
    return _member(affiliate, "editor", "editor")


@pytest.fixture
def viewer(affiliate):
    return _member(affiliate, "viewer", "viewer")


@pytest.fixture
def outsider(other_affiliate):
    return _member(other_affiliate, "editor", "outsider")


@pytest.fixture
def staff(db):
    return UserFactory(username="staff", is_staff=True, is_superuser=True)


@pytest.fixture
def anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


@pytest.fixture
def client_for():
    """A test client signed in as the given user (or anonymous for None)."""

    def make(user):
        client = Client()
        if user is not None and user.is_authenticated:
            client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _no_real_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def pytest_configure(config):
    from django.conf import settings

    # Hashing passwords properly costs a third of a second each; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
