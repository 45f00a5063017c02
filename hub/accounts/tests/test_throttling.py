"""Sign-in and password reset are throttled per account and per client address, for a while."""

import re
import time
from types import SimpleNamespace

import pytest
from allauth.core.internal import ratelimit
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from conftest import PASSWORD
from hub.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

THROTTLED = "Too many failed sign-in attempts; try again in 15 minutes."


def _sign_in(client, login, password, **extra):
    return client.post(reverse("accounts:login"), {"login": login, "password": password}, **extra)


def _signed_in(client) -> bool:
    return client.get(reverse("accounts:account")).status_code == 200


@pytest.fixture
def later(monkeypatch):
    """Move allauth's rate-limit clock forward by some seconds (its counters keep timestamps)."""

    def move(seconds: float) -> None:
        clock = SimpleNamespace(
            time=lambda: time.time() + seconds, monotonic=time.monotonic, sleep=time.sleep
        )
        monkeypatch.setattr(ratelimit, "time", clock)

    return move


def test_ten_wrong_passwords_then_the_right_one_waits_for_the_window(client, editor, later):
    for _ in range(10):
        response = _sign_in(client, "editor", "wrong password")
        assert "are not correct" in response.content.decode()
    response = _sign_in(client, "editor", PASSWORD)
    assert response.status_code == 200
    assert THROTTLED in response.content.decode()
    assert not _signed_in(client)

    later(15 * 60 + 1)
    assert _sign_in(client, "editor", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_the_account_is_throttled_whichever_address_host_and_spelling_the_guesses_use(
    client, editor
):
    for n in range(10):
        _sign_in(
            client,
            "EDITOR" if n % 2 else "editor",
            "wrong",
            REMOTE_ADDR=f"192.0.2.{n}",
            HTTP_HOST=["localhost", "testserver", "127.0.0.1"][n % 3],
        )
    response = _sign_in(client, "editor", PASSWORD, REMOTE_ADDR="198.51.100.1")
    assert THROTTLED in response.content.decode()
    assert not _signed_in(client)


def test_an_address_is_throttled_across_accounts(client, editor, client_for):
    for n in range(20):
        _sign_in(client, f"someone{n}", "wrong", REMOTE_ADDR="192.0.2.7")
    response = _sign_in(client, "editor", PASSWORD, REMOTE_ADDR="192.0.2.7")
    assert THROTTLED in response.content.decode()
    assert not _signed_in(client)
    assert _sign_in(client, "editor", PASSWORD, REMOTE_ADDR="192.0.2.8").status_code == 302


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(client, editor, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(20):
        # The client writes what it likes in front; the proxy appends the address it saw.
        forwarded = f"10.9.9.{n}, 203.0.113.5"
        _sign_in(
            client, f"someone{n}", "wrong", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded
        )
    through_proxy = {"REMOTE_ADDR": "10.0.0.1"}
    response = _sign_in(
        client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5", **through_proxy
    )
    assert THROTTLED in response.content.decode()
    other_client = _sign_in(
        client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.9", **through_proxy
    )
    assert other_client.status_code == 302


def test_without_a_proxy_a_forged_forwarded_for_changes_nothing(client, editor):
    for n in range(20):
        _sign_in(client, f"someone{n}", "wrong", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}")
    response = _sign_in(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="10.1.1.1")
    assert THROTTLED in response.content.decode()


def test_a_request_around_the_proxies_is_counted_by_its_own_address(client, editor, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    response = _sign_in(client, "editor", "wrong", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 200
    assert "are not correct" in response.content.decode()


def test_password_reset_mails_are_capped_per_address(client, editor, later):
    for _ in range(5):
        response = client.post(reverse("accounts:password_reset"), {"email": editor.email})
    assert len(mail.outbox) == 3
    assert response.status_code == 429
    assert "try again in 15 minutes" in response.content.decode()
    later(15 * 60 + 1)
    client.post(reverse("accounts:password_reset"), {"email": editor.email.upper()})
    assert len(mail.outbox) == 4


def test_password_reset_requests_are_capped_per_client_address(client):
    users = UserFactory.create_batch(12)
    for user in users[:11]:
        response = client.post(
            reverse("accounts:password_reset"), {"email": user.email}, REMOTE_ADDR="192.0.2.1"
        )
    assert response.status_code == 429
    assert len(mail.outbox) == 10
    client.post(
        reverse("accounts:password_reset"), {"email": users[11].email}, REMOTE_ADDR="192.0.2.2"
    )
    assert len(mail.outbox) == 11


def test_no_mail_for_an_address_without_an_account(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert not mail.outbox


def test_a_password_reset_ends_the_wait(client, editor):
    for _ in range(11):
        _sign_in(client, "editor", "wrong password")
    client.post(reverse("accounts:password_reset"), {"email": editor.email})
    link = re.search(r"https?://[^/]+(/account/password/reset/key/\S+)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    new = "a new long password 42"
    client.post(form_page.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert _sign_in(client, "editor", new).status_code == 302


def test_filling_the_cache_does_not_reset_the_counters(client, editor, settings):
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "OPTIONS": {"MAX_ENTRIES": 30}},
    }
    for _ in range(10):
        _sign_in(client, "editor", "wrong password")
    # Chart and filter combinations anyone can ask for; past MAX_ENTRIES the cache culls.
    cache.set_many({f"chart:{n}": "svg" for n in range(100)})
    for n in range(100):
        cache.set(f"panel:{n}", "html")
    assert cache.get("chart:0") is None  # culled
    response = _sign_in(client, "editor", PASSWORD)
    assert THROTTLED in response.content.decode()


def test_erasing_a_contact_does_not_reset_the_counters(client, editor, manager, affiliate):
    """An erasure empties the cache of what may name the person (rendered panels), not the
    counters: any manager can create and erase a contact, which must not buy more guesses."""
    from hub.directory.factories import OrganizationFactory
    from hub.directory.services import person_create, person_erase

    for _ in range(10):
        _sign_in(client, "editor", "wrong password")
    cache.set("panel:with-a-name", "Ada Guessme")
    person = person_create(
        actor=manager,
        organization=OrganizationFactory(),
        steward=affiliate,
        name="Ada Guessme",
        consent_note="Asked",
    )
    person_erase(actor=manager, person=person)
    assert cache.get("panel:with-a-name") is None
    response = _sign_in(client, "editor", PASSWORD)
    assert THROTTLED in response.content.decode()
    assert not _signed_in(client)
