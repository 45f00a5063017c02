"""Sign-in with a Wikimedia account: django-allauth's MediaWiki provider (OAuth 2), configured from
the environment (hub/settings.py, docs/wikimedia-sign-in.md).

Without a client id the hub has no such sign-in: no button, and its pages answer 404."""

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse

from hub.accounts.models import Invitation, User

PROVIDER = "mediawiki"
# Where the invitation travels through the OAuth round trip: allauth's own state for this sign-in,
# kept in the session under a random id that the wiki sends back (so never in a URL).
INVITATION_KEY = "invitation"
_NOT_IN_A_USER_NAME = re.compile(r"[^\w.@+-]")
_MAX_USERNAME = User._meta.get_field("username").max_length or 150


def enabled() -> bool:
    """Whether an OAuth 2 consumer is configured (WIKIMEDIA_OAUTH_CLIENT_ID)."""
    provider: dict[str, Any] = settings.SOCIALACCOUNT_PROVIDERS.get(PROVIDER, {})
    return any(app.get("client_id") for app in provider.get("APPS", []))


def only_when_enabled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The sign-in pages exist only when a consumer is configured: 404 otherwise (allauth would
    fail looking for the missing app)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def unique_username(wiki_name: str) -> str:
    """The hub user name for a new account from its wiki user name: spaces as underscores (as in
    the wiki's own page titles), characters a hub user name cannot hold left out, and a number
    added when another account has the name already (user names match without regard to case)."""
    base = _NOT_IN_A_USER_NAME.sub("", (wiki_name or "").strip().replace(" ", "_"))
    base = base[:_MAX_USERNAME] or "wikimedian"
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        suffix = f"_{number}"
        candidate = base[: _MAX_USERNAME - len(suffix)] + suffix
    return candidate


def invitation_of(state: dict | None) -> Invitation | None:
    """The invitation a Wikimedia sign-in was started from (its page's "Accept by signing in with
    Wikimedia"), while it can still be accepted."""
    token = ((state or {}).get("data") or {}).get(INVITATION_KEY)
    if not token:
        return None
    invitation = Invitation.objects.select_related("organization").filter(token=token).first()
    if invitation is None or invitation.accepted_at is not None or invitation.is_expired:
        return None
    return invitation
