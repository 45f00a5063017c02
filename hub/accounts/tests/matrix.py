from django.urls import reverse

from hub.accounts.models import Invitation
from hub.core.testing.matrix import SIGN_IN, Case, everyone


def setup(world):
    world.objects["invitation"] = Invitation.objects.create(
        organization=world.affiliate, email="new@example.org", role="viewer", token="tok-123"
    )


# A user's data pages: the user themself (the viewer here) and staff; nobody else learns of them.
OWN_DATA = {"anonymous": SIGN_IN, "editor": 404, "manager": 404, "outsider": 404}
SIGNED_IN = {"anonymous": SIGN_IN}
# Signed-in people are sent on from the sign-in page; nobody has two-factor authentication here.
SIGNED_OUT = {"anonymous": 200}


def _url(name, *args):
    return lambda w: reverse(name, args=args)


# django-allauth's pages (hub/accounts/allauth_urls.py).
ALLAUTH_CASES = {
    "account_login": Case(_url("account_login"), SIGNED_OUT, default=302),
    "account_logout": Case(_url("account_logout"), everyone(302), method="post"),
    "account_inactive": Case(_url("account_inactive"), everyone(200)),
    "account_reauthenticate": Case(_url("account_reauthenticate"), SIGNED_IN, default=200),
    "account_change_password": Case(_url("account_change_password"), SIGNED_IN, default=200),
    "account_set_password": Case(_url("account_set_password"), SIGNED_IN, default=302),
    "account_reset_password": Case(_url("account_reset_password"), everyone(200)),
    "account_reset_password_done": Case(_url("account_reset_password_done"), everyone(200)),
    "account_reset_password_from_key": Case(
        lambda w: reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "x"}),
        everyone(200),
    ),
    "account_reset_password_from_key_done": Case(
        _url("account_reset_password_from_key_done"), everyone(200)
    ),
    "mfa_index": Case(_url("mfa_index"), SIGNED_IN, default=200),
    "mfa_authenticate": Case(_url("mfa_authenticate"), everyone(302)),
    "mfa_reauthenticate": Case(_url("mfa_reauthenticate"), SIGNED_IN, default=302),
    # Enrolling asks for the password again unless the user signed in a moment ago.
    "mfa_activate_totp": Case(_url("mfa_activate_totp"), SIGNED_IN, default=302),
    "mfa_deactivate_totp": Case(_url("mfa_deactivate_totp"), SIGNED_IN, default=404),
    "mfa_view_recovery_codes": Case(_url("mfa_view_recovery_codes"), SIGNED_IN, default=404),
    "mfa_generate_recovery_codes": Case(
        _url("mfa_generate_recovery_codes"), SIGNED_IN, default=302
    ),
    "mfa_download_recovery_codes": Case(
        _url("mfa_download_recovery_codes"), SIGNED_IN, default=404
    ),
}

# Sign-in with a Wikimedia account: no OAuth 2 consumer is configured here, so its pages do not
# exist (hub/accounts/tests/test_wikimedia_sign_in.py calls them configured, against a local wiki).
WIKIMEDIA_CASES = {
    "mediawiki_login": Case(_url("mediawiki_login"), everyone(404), method="post"),
    "mediawiki_callback": Case(_url("mediawiki_callback"), everyone(404)),
    "socialaccount_login_cancelled": Case(_url("socialaccount_login_cancelled"), everyone(404)),
    "socialaccount_login_error": Case(_url("socialaccount_login_error"), everyone(404)),
    "socialaccount_signup": Case(_url("socialaccount_signup"), everyone(404)),
    "socialaccount_connections": Case(_url("socialaccount_connections"), everyone(404)),
    "accounts:accept_wikimedia": Case(
        _url("accounts:accept_wikimedia", "tok-123"), everyone(404), method="post"
    ),
}

CASES = {
    **ALLAUTH_CASES,
    **WIKIMEDIA_CASES,
    "accounts:login": Case(lambda w: reverse("accounts:login"), SIGNED_OUT, default=302),
    "accounts:logout": Case(lambda w: reverse("accounts:logout"), everyone(302), method="post"),
    "accounts:password_reset": Case(lambda w: reverse("accounts:password_reset"), everyone(200)),
    "accounts:password_reset_done": Case(
        lambda w: reverse("accounts:password_reset_done"), everyone(200)
    ),
    "accounts:password_reset_confirm": Case(
        lambda w: reverse("accounts:password_reset_confirm", args=["MQ", "bad-token"]),
        everyone(302),
    ),
    "accounts:account": Case(
        lambda w: reverse("accounts:account"), {"anonymous": SIGN_IN}, default=200
    ),
    # Only the invited address's account may accept; signed out, the invitee creates it.
    "accounts:accept": Case(
        lambda w: reverse("accounts:accept", args=["tok-123"]), {"anonymous": 200}, default=403
    ),
    "accounts:user_export": Case(
        lambda w: reverse("accounts:user_export", args=[w.users["viewer"].pk, "csv"]),
        OWN_DATA,
        default=200,
    ),
    "accounts:user_erase": Case(
        lambda w: reverse("accounts:user_erase", args=[w.users["viewer"].pk]),
        {**OWN_DATA, "viewer": 403},
        default=200,
    ),
}
