"""How django-allauth behaves in the hub: no public sign-up, throttling per account and address."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context, ratelimit
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.utils.functional import lazy
from django.utils.translation import ngettext


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

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Accounts come from invitations (accounts:accept) and from staff, never from sign-up."""
        return False

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
