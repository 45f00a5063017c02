"""Two-factor authentication (allauth.mfa): enrolment from the account page, the code step at sign-in,
and the Django admin signing in the same way."""

import base64
import hashlib
import hmac
import struct
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str, steps_ahead: int = 0) -> str:
    """RFC 6238 with the usual parameters (SHA-1, 30 seconds, 6 digits), as authenticator apps do.
    A code works once; the hub also takes the next 30 seconds' code (MFA_TOTP_TOLERANCE)."""
    counter = struct.pack(">Q", int(time.time()) // 30 + steps_ahead)
    digest = hmac.new(base64.b32decode(secret), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def _sign_in(client, username, next_url=None):
    url = reverse("accounts:login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": username, "password": PASSWORD})


def _signed_in(client) -> bool:
    return client.get(reverse("accounts:account")).status_code == 200


@pytest.fixture
def staff_with_totp(staff):
    TOTP.activate(staff, SECRET)
    return staff


def test_staff_enrols_from_the_account_page_and_then_signs_in_with_a_code(client, staff):
    _sign_in(client, "staff")
    account_page = client.get(reverse("accounts:account")).content.decode()
    assert reverse("mfa_index") in account_page
    assert client.get(reverse("mfa_activate_totp")).url.startswith(
        reverse("account_reauthenticate")
    )
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert set(Authenticator.objects.filter(user=staff).values_list("type", flat=True)) == {
        "totp",
        "recovery_codes",
    }
    recovery_codes = client.get(reverse("mfa_view_recovery_codes")).context["unused_codes"]
    client.post(reverse("accounts:logout"))

    response = _sign_in(client, "staff")
    assert response.url == reverse("mfa_authenticate")
    assert not _signed_in(client)
    client.post(reverse("mfa_authenticate"), {"code": recovery_codes[0]})
    assert _signed_in(client)


def test_the_password_alone_does_not_sign_in_once_enrolled(client, staff_with_totp):
    assert _sign_in(client, "staff").url == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert not _signed_in(client)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(SECRET)})
    assert _signed_in(client)


def test_wrong_codes_are_throttled_too(client, staff_with_totp):
    _sign_in(client, "staff")
    for _ in range(10):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(SECRET)})
    assert "Too many failed sign-in attempts; try again in 15 minutes." in response.content.decode()
    assert not _signed_in(client)


def test_the_admin_login_does_not_bypass_the_code(client, staff_with_totp):
    response = client.post(
        reverse("admin:login"), {"username": "staff", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert client.get(reverse("admin:index")).status_code == 302

    _sign_in(client, "staff", next_url=reverse("admin:index"))
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(SECRET)})
    assert response.url == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_non_staff_signed_in_cannot_reach_the_admin_login(client_for, editor):
    assert client_for(editor).get(reverse("admin:login")).status_code == 403


def test_with_the_requirement_staff_enrol_before_anything_else(client, staff, editor, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    _sign_in(client, "staff")
    response = client.get(reverse("partnerships:list"))
    assert response.url == reverse("mfa_activate_totp")
    assert client.get(reverse("admin:index")).url == reverse("mfa_activate_totp")
    enrol = client.get(reverse("mfa_activate_totp"))
    assert enrol.url.startswith(reverse("account_reauthenticate"))  # reachable, asks the password
    assert client.get(enrol.url).status_code == 200
    assert client.get("/no-such-page/").status_code == 404
    TOTP.activate(staff, SECRET)
    assert client.get(reverse("partnerships:list")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_requirement_leaves_other_accounts_alone(client_for, editor, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    assert client_for(editor).get(reverse("partnerships:list")).status_code == 200
