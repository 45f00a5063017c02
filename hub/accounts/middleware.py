"""With MFA_REQUIRED_FOR_STAFF, staff without two-factor authentication can only enrol."""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

# Enrolling needs these pages (the password asked again, the codes shown, signing out).
ENROLMENT_PAGES = {
    "mfa_index",
    "mfa_activate_totp",
    "mfa_reauthenticate",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    "account_reauthenticate",
    "account_logout",
    "accounts:logout",
    "set_language",
}


def _enrolment_page(request) -> bool:
    try:
        return resolve(request.path_info).view_name in ENROLMENT_PAGES
    except Resolver404:
        return True  # the 404 page is no place to hold anyone up


def staff_two_factor_middleware(get_response):
    def middleware(request):
        user = request.user
        if (
            settings.MFA_REQUIRED_FOR_STAFF
            and user.is_authenticated
            and user.is_staff
            and not _enrolment_page(request)
            and not is_mfa_enabled(user)
        ):
            messages.warning(
                request, _("Staff accounts need two-factor authentication: turn it on to continue.")
            )
            return redirect("mfa_activate_totp")
        return get_response(request)

    return middleware
