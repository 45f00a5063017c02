"""Personas shared by every app's tests: a manager, editor and viewer of one affiliate, an outsider
from another affiliate, staff, and the anonymous visitor."""

import os

import pytest
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from hub.accounts.factories import MembershipFactory, UserFactory
from hub.directory.factories import AffiliateFactory

# Playwright's sync API keeps an event loop in the test thread; Django's ORM must still work there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
PASSWORD = "correct horse battery"

# Property tests assert what is generated, never how fast: on a busy machine (CI runs two workers
# beside the database servers) a slow example is not a failure.
hypothesis_settings.register_profile(
    "hub", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
hypothesis_settings.load_profile("hub")


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
def _default_language_after_each_test():
    # A request in another language (Accept-Language, the language cookie) leaves that language
    # active in the thread; the next test in this process must start in the default one.
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # Django's test setup sends mail to mail.outbox already; static files need no manifest in tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def pytest_configure(config):
    from django.conf import settings

    # Hashing passwords properly costs a third of a second each; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = os.path.join(os.path.dirname(__file__), "test-artifacts", "screenshots")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def browser_page(browser, live_server):
    """A fresh page; `page.shot(name)` saves a screenshot under test-artifacts/screenshots/."""
    from django.core.cache import cache

    # The database is emptied between live-server tests, but not the cache table: without this the
    # sign-in counters of earlier tests (30 sign-in forms a minute per address) would throttle this one.
    cache.clear()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()

    def shot(name: str) -> None:
        os.makedirs(SCREENSHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)

    page.shot = shot
    yield page
    context.close()


@pytest.fixture
def sign_in():
    """Sign `page` in through the real login form."""

    def do(page, username: str, password: str = PASSWORD) -> None:
        page.goto("/account/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").last.click()
        page.wait_for_load_state()

    return do
