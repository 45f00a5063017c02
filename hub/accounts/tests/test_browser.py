"""A staff member turns on two-factor authentication in the browser and signs in with a code."""

import re

import pytest

from conftest import PASSWORD
from hub.accounts.tests.test_two_factor import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_enrols_two_factor_and_signs_in_with_a_code(browser_page, sign_in, staff):
    page = browser_page
    sign_in(page, "staff")
    page.goto("/account/")
    page.get_by_role("link", name="Two-factor authentication").click()
    page.shot("accounts-2fa-index")
    page.get_by_role("link", name="Activate").first.click()
    page.get_by_label("Password").fill(PASSWORD)
    page.shot("accounts-reauthenticate")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    secret = page.locator("#authenticator_secret").input_value()
    page.shot("accounts-2fa-activate")
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_load_state()
    page.shot("accounts-2fa-recovery-codes")
    assert re.search(r"\d{8}", page.locator("#recovery_codes").input_value())

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    sign_in(page, "staff")
    assert "/2fa/authenticate/" in page.url
    page.shot("accounts-2fa-authenticate")
    page.get_by_label("Code").fill(totp_code(secret, steps_ahead=1))  # the first one is used
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.goto("/account/")
    assert "Two-factor authentication is on" in page.content()
    page.shot("accounts-account")


def test_the_sign_in_page_says_when_to_try_again(browser_page, editor):
    page = browser_page
    page.goto("/account/login/")
    page.shot("accounts-login")
    for _ in range(11):
        page.get_by_label("Username").fill("editor")
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Sign in").last.click()
        page.wait_for_load_state()
    page.shot("accounts-login-throttled")
    assert "try again in 15 minutes" in page.content()
