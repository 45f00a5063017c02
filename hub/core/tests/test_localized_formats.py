"""Dates on pages in the reader's language, one presentation per kind; ISO where a machine reads."""

import datetime
import re
from decimal import Decimal

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from hub.api.services import apitoken_create
from hub.directory.factories import OrganizationFactory
from hub.funding.factories import make_contribution, make_grant, make_rate
from hub.partnerships.factories import make_partnership
from hub.partnerships.services import partnership_update

pytestmark = pytest.mark.django_db
D = datetime.date


def _page(client, url: str, language: str) -> str:
    client.cookies["django_language"] = language
    return client.get(url).content.decode()


@pytest.mark.parametrize(
    ("language", "written"),
    [("en", "Jan. 2, 2024"), ("de", "2. Januar 2024"), ("fr", "2 janvier 2024")],
)
def test_contribution_and_grant_lists_write_dates_as_the_language_does(
    client_for, editor, affiliate, language, written
):
    make_contribution(
        receiving_organization=affiliate, actor=editor, date=D(2024, 1, 2), value=Decimal(5)
    )
    make_grant(
        recipient=affiliate,
        actor=editor,
        period_start=D(2024, 1, 2),
        period_end=D(2024, 12, 31),
    )
    client = client_for(editor)
    for url in (reverse("funding:list"), reverse("funding:grant_list")):
        page = _page(client, url, language)
        assert written in page, url
        assert "01/02/2024" not in page
        assert "2024-01-02" not in page


@pytest.mark.parametrize(
    ("language", "pattern"),
    [
        ("en", r"[A-Z][a-z]{2}\.? \d{1,2}, \d{4}, \d{1,2}(:\d\d)? [ap]\.m\."),
        ("de", r"\d{1,2}\. \w+ \d{4} \d\d:\d\d"),
    ],
)
def test_token_list_writes_date_times_as_the_history_does(client_for, editor, language, pattern):
    apitoken_create(actor=editor, name="Bot", scope="read")
    page = _page(client_for(editor), reverse("apisite:tokens"), language)
    assert re.search(pattern, page), page
    assert not re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", page)


@pytest.mark.parametrize("language", ["en", "de", "fr", "es", "ar"])
def test_date_inputs_hold_iso_dates_in_every_language(client_for, editor, affiliate, language):
    """A browser's date input only takes YYYY-MM-DD: a localized value would show as empty and
    be saved as no date at all."""
    partnership = make_partnership(
        actor=editor,
        lead=affiliate,
        partners=[OrganizationFactory()],
        start_date=D(2024, 1, 2),
        end_date=D(2025, 3, 4),
    )
    page = _page(client_for(editor), reverse("partnerships:edit", args=[partnership.pk]), language)
    assert re.search(r'type="date"[^>]*value="2024-01-02"|value="2024-01-02"[^>]*type="date"', page)
    assert "2025-03-04" in page


@pytest.mark.parametrize(
    ("language", "amount", "day"),
    [("en", "1,234.50 EUR", "Jan. 1, 2024"), ("de", "1.234,50 EUR", "1. Januar 2024")],
)
def test_a_valuation_rate_reads_in_the_language_of_the_page(affiliate, language, amount, day):
    rate = make_rate(organization=affiliate, amount=Decimal("1234.50"), valid_from=D(2024, 1, 1))
    with translation.override(language):
        text = str(rate)
    assert amount in text
    assert day in text


def test_the_password_reset_mail_is_in_the_language_of_the_request(client, editor):
    """allauth's text in allauth's catalogue, the hub's subject prefix in the hub's."""
    client.cookies["django_language"] = "fr"
    client.post(reverse("accounts:password_reset"), {"email": editor.email})
    (message,) = mail.outbox
    catalogue = polib.pofile(str(settings.BASE_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    prefix = catalogue.find("[Partnership Hub] ")
    assert prefix is not None, "the subject prefix is not in the French catalogue"
    assert prefix.msgstr, "the subject prefix has no French translation yet"
    assert message.subject.startswith(prefix.msgstr)
    assert "mot de passe" in message.body


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [("en", "Jan. 2, 2024", "March 1, 2025"), ("de", "2. Januar 2024", "1. März 2025")],
)
def test_history_shows_changed_dates_in_the_language_of_the_reader(
    client_for, editor, affiliate, language, before, after
):
    partnership = make_partnership(actor=editor, lead=affiliate, start_date=D(2024, 1, 2))
    partnership_update(actor=editor, partnership=partnership, start_date=D(2025, 3, 1))
    page = _page(
        client_for(editor), reverse("partnerships:history", args=[partnership.pk]), language
    )
    assert f"<del>{before}</del>" in page
    assert f"<ins>{after}</ins>" in page
    assert "2025-03-01" not in page
