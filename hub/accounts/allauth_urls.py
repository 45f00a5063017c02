"""The django-allauth pages the hub uses, under allauth's own URL names (its views and templates
reverse them). Sign-up, e-mail management, login by code and security keys are left out on purpose:
accounts come from invitations and an account's address changes only through staff.

Sign-in with a Wikimedia account (allauth.socialaccount's MediaWiki provider) answers 404 while no
OAuth 2 consumer is configured (hub/accounts/wikimedia.py)."""

from allauth.account import views as account
from allauth.mfa.base import views as mfa
from allauth.mfa.recovery_codes import views as recovery_codes
from allauth.mfa.totp import views as totp
from allauth.socialaccount import views as social
from allauth.socialaccount.providers.mediawiki import views as mediawiki
from django.urls import path, re_path

from hub.accounts.wikimedia import only_when_enabled

urlpatterns = [
    path("login/", account.login, name="account_login"),
    path("logout/", account.logout, name="account_logout"),
    path("inactive/", account.account_inactive, name="account_inactive"),
    path("reauthenticate/", account.reauthenticate, name="account_reauthenticate"),
    path("password/change/", account.password_change, name="account_change_password"),
    path("password/set/", account.password_set, name="account_set_password"),
    path("password/reset/", account.password_reset, name="account_reset_password"),
    path("password/reset/done/", account.password_reset_done, name="account_reset_password_done"),
    re_path(
        r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        account.password_reset_from_key,
        name="account_reset_password_from_key",
    ),
    path(
        "password/reset/key/done/",
        account.password_reset_from_key_done,
        name="account_reset_password_from_key_done",
    ),
    path("2fa/", mfa.index, name="mfa_index"),
    path("2fa/authenticate/", mfa.authenticate, name="mfa_authenticate"),
    path("2fa/reauthenticate/", mfa.reauthenticate, name="mfa_reauthenticate"),
    path("2fa/totp/activate/", totp.activate_totp, name="mfa_activate_totp"),
    path("2fa/totp/deactivate/", totp.deactivate_totp, name="mfa_deactivate_totp"),
    path("2fa/recovery-codes/", recovery_codes.view_recovery_codes, name="mfa_view_recovery_codes"),
    path(
        "2fa/recovery-codes/generate/",
        recovery_codes.generate_recovery_codes,
        name="mfa_generate_recovery_codes",
    ),
    path(
        "2fa/recovery-codes/download/",
        recovery_codes.download_recovery_codes,
        name="mfa_download_recovery_codes",
    ),
    path("mediawiki/login/", only_when_enabled(mediawiki.oauth2_login), name="mediawiki_login"),
    path(
        "mediawiki/login/callback/",
        only_when_enabled(mediawiki.oauth2_callback),
        name="mediawiki_callback",
    ),
    path(
        "3rdparty/login/cancelled/",
        only_when_enabled(social.login_cancelled),
        name="socialaccount_login_cancelled",
    ),
    path(
        "3rdparty/login/error/",
        only_when_enabled(social.login_error),
        name="socialaccount_login_error",
    ),
    path("3rdparty/signup/", only_when_enabled(social.signup), name="socialaccount_signup"),
    path("3rdparty/", only_when_enabled(social.connections), name="socialaccount_connections"),
]
