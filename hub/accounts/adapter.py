"""How django-allauth behaves in the hub: no public sign-up, throttling per account and address,
sign-in with a Wikimedia account (hub/accounts/wikimedia.py)."""

import logging
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.models import EmailAddress
from allauth.core import context, ratelimit
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from hub.accounts import services, wikimedia
from hub.accounts.models import Invitation

logger = logging.getLogger(__name__)


def _throttled_message() -> str:
    minutes = settings.THROTTLE_MINUTES
    return ngettext(
        "Too many failed sign-in attempts; try again in %(minutes)d minute.",
        "Too many failed sign-in attempts; try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


throttled_message = lazy(_throttled_message, str)


class HubAccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": throttled_message(),
    }

    def is_open_for_signup(
        self, request: HttpRequest, invitation: Invitation | None = None
    ) -> bool:
        """Accounts come from invitations (accounts:accept) and from staff, never from public
        sign-up: a new account, local or from Wikimedia, needs an invitation that still works."""
        return (
            invitation is not None and invitation.accepted_at is None and not invitation.is_expired
        )

    def post_login(self, request: HttpRequest, user, **kwargs: Any) -> HttpResponse:
        """After a Wikimedia sign-in started from an invitation's page (and any two-factor step),
        the invitation is accepted: the membership is created once, by `invitation_accept`."""
        response = super().post_login(request, user, **kwargs)
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        invitation = wikimedia.invitation_of(sociallogin.state if sociallogin else None)
        if invitation is None:
            return response
        try:
            services.invitation_accept(user=user, invitation=invitation)
        except (ValidationError, PermissionDenied) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, text)
            return redirect("accounts:account")
        messages.success(
            request, _("You are now a member of %(org)s.") % {"org": invitation.organization}
        )
        return redirect(invitation.organization)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth adds the request's host name, which a client may vary among ALLOWED_HOSTS; the
        # account is the login alone (user names match without regard to case).
        login = credentials.get("username") or credentials.get("email") or ""
        return f"login:{login.lower()}"

    def set_password(self, user, password: str) -> None:
        """A new password (reset by mail, or changed signed in) ends the wait its owner is in."""
        super().set_password(user, password)
        if context.request is not None:
            key = self._get_login_attempts_cache_key(context.request, username=user.get_username())
            ratelimit.clear(context.request, action="login_failed", key=key)

    def get_client_ip(self, request: HttpRequest) -> str:
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            # Fewer X-Forwarded-For entries than trusted proxies: the request did not come
            # through them all, so only the connection's own address can be believed.
            return request.META.get("REMOTE_ADDR", "")


class HubSocialAccountAdapter(DefaultSocialAccountAdapter):
    """Wikimedia accounts: a new one becomes a hub account only through an invitation (the same
    rule as local accounts, asked of the account adapter); its user name is the wiki's."""

    error_messages = {
        **DefaultSocialAccountAdapter.error_messages,
        "no_password": gettext_lazy(
            "This Wikimedia account is the only way to sign in to your account: set a password "
            "first, then remove it."
        ),
    }

    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        invitation = wikimedia.invitation_of(sociallogin.state)
        return get_account_adapter(request).is_open_for_signup(request, invitation=invitation)

    def populate_user(self, request: HttpRequest, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.username = wikimedia.unique_username(data.get("username") or "")
        return user

    def save_user(self, request: HttpRequest, sociallogin, form=None):
        """A new account from an invitation gets the invited address, as a local one does (the
        link was mailed there); the wiki's address is kept only when the wiki confirmed it."""
        invitation = wikimedia.invitation_of(sociallogin.state)
        if invitation is not None and sociallogin.user is not None:
            sociallogin.user.email = invitation.email
            for address in sociallogin.email_addresses:
                address.primary = False
            sociallogin.email_addresses.insert(
                0, EmailAddress(email=invitation.email, verified=True, primary=True)
            )
        return super().save_user(request, sociallogin, form=form)

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        # The kind of failure only: an exception's text can quote the wiki's answer, and a
        # request's parameters the consumer's secret.
        logger.warning(
            "Wikimedia sign-in failed: %s%s",
            error or "error",
            f" ({type(exception).__name__})" if exception is not None else "",
        )
