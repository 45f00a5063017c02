"""Who is calling: a personal token (Authorization: Bearer), the signed-in session, or nobody.

Reads accept all three; writes need a read-write token or a session (with the CSRF token).
Rate limits count per token, and per client address for calls without a token.
"""

import hmac
import logging
import math
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import OperationalError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import BaseThrottle
from ninja.utils import check_csrf

from hub.api.models import TOKEN_PREFIX, ApiToken, RateCount, hash_secret
from hub.core.busy import is_busy, skip_if_busy

logger = logging.getLogger(__name__)

LAST_USED_PRECISION = timedelta(minutes=1)


def find_token(raw: str) -> ApiToken | None:
    """The active token whose secret is `raw`, or None. Compares hashes in constant time."""
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or len(parts[1]) > 16:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(key=parts[1], user__is_active=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(raw.strip())):
        return None
    return token


# A write operation's check of the target record (or of the right to create one), run after the
# caller is known and before ninja reads parameters and body: see `authorize_write`.
Guard = Callable[[HttpRequest], None]


class TokenAuth(HttpBearer):
    """`Authorization: Bearer phub_...`. A wrong or revoked token is refused, never read as anonymous;
    so is an Authorization header of any other kind (Basic, an empty Bearer...), unless the caller
    is signed in: a proxy that guards the site with Basic auth adds that header to every request
    of a signed-in browser, whose session then decides."""

    def __init__(self, guard: Guard | None = None, *, write: bool = False) -> None:
        super().__init__()
        self.guard = guard
        self.write = write

    def __call__(self, request: HttpRequest) -> Any:
        value = request.headers.get(self.header)
        if value is None:
            return None
        scheme, _space, token = value.strip().partition(" ")
        if scheme.lower() != self.openapi_scheme and _signed_in(request):
            return None  # e.g. Basic, added by a proxy in front of the site: the session decides
        if scheme.lower() != self.openapi_scheme or not token.strip():
            _count_failure(request)
            raise AuthenticationError(
                401, _("Send a personal token as Authorization: Bearer phub_...; nothing else.")
            )
        user = self.authenticate(request, token.strip())
        if self.write:
            authorize_write(request, user, self.guard)
        return user

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = find_token(token)
        if found is None:
            _count_failure(request)
            raise AuthenticationError(401, _("The token is unknown or revoked."))
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_PRECISION:
            # a read must not fail for a busy database: the time waits for the next call
            skip_if_busy(
                lambda: ApiToken.objects.filter(pk=found.pk).update(last_used_at=now),
                what="a token's last-used time",
            )
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class SessionAuth(APIKeyCookie):
    """The hub's own sign-in; unsafe methods need the CSRF token like any form on the site."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, guard: Guard | None = None, *, write: bool = False) -> None:
        super().__init__()
        self.guard = guard
        self.write = write

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not _signed_in(request):
            return None
        user = request.user
        if check_csrf(request):
            raise HttpError(403, _("CSRF check failed: send the X-CSRFToken header."))
        if self.write:
            authorize_write(request, user, self.guard)
        return user


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def anonymous(request: HttpRequest) -> Any:
    """Reads are open to everyone; they then see public records only."""
    return AnonymousUser()


def _count_failure(request: HttpRequest) -> None:
    """Failed attempts count against the address, so tokens cannot be guessed at speed."""
    allowed, wait = hit(address_key(request), settings.API_RATE_LIMIT_PER_ADDRESS)
    if not allowed:
        raise Throttled(wait=wait)


READ_AUTH = [TokenAuth(), SessionAuth(), anonymous]


def write_auth(guard: Guard | None = None) -> list:
    """The auth of a write operation: a token or the session, then `authorize_write` with `guard`."""
    return [TokenAuth(guard, write=True), SessionAuth(guard, write=True)]


WRITE_AUTH = write_auth()


def authorize_write(request: HttpRequest, user: Any, guard: Guard | None) -> None:
    """Refuse a write in the pages' order, before the body is read (so a caller who may not write
    learns nothing from validation): too many requests (429), a read-only token (403), then the
    operation's `guard` (404 for a record the caller may not see, 403 if they may not change it).

    ninja runs auth before its throttles; the rate limit is counted here so refused writes are
    counted too (RateLimit then reuses this count)."""
    allowed, wait = count_request(request)
    request._hub_rate = (allowed, wait)  # type: ignore[attr-defined]
    if not allowed:
        raise Throttled(wait=wait)
    require_write(request)
    if guard is not None:
        request.auth = user  # type: ignore[attr-defined]
        guard(request)


def require_write(request: HttpRequest) -> None:
    token = getattr(request, "api_token", None)
    if token is not None and not token.can_write:
        raise HttpError(403, _("This token may only read; create a read-write token to write."))


def caller(request: HttpRequest) -> Any:
    return getattr(request, "auth", None) or AnonymousUser()


def hit(key: str, limit: int) -> tuple[bool, int]:
    """Count one request for `key` in the current window: (allowed, seconds until the next window).

    A fixed-window counter in the database, shared by every process and thread: each request
    adds one atomically and is allowed while the count it made is within the limit, so no more
    than `limit` requests pass in a window however many processes serve them. When the database
    stays busy past its timeout (another process holds SQLite's write lock), the request is let
    through uncounted rather than answered with an error: the count is a guard against floods,
    worth less than the answer (hub/core/busy.py).
    """
    window = max(1, settings.API_RATE_LIMIT_WINDOW)
    now = time.time()
    start = int(now // window) * window
    wait = max(1, math.ceil(start + window - now))
    if limit <= 0:
        return True, wait
    try:
        count = _add(f"{key}:{start}", start)
    except OperationalError as exc:
        if not is_busy(exc):
            raise
        logger.warning("API rate count skipped: the database is busy (%s)", exc)
        return True, wait
    return count <= limit, wait


def _add(row_key: str, start: int) -> int:
    """Add one to the window's count and return it. The UPDATE locks the row until the
    transaction ends, so the count read back is the one this request made."""
    counted = RateCount.objects.filter(key=row_key)
    while True:
        with transaction.atomic():
            if counted.update(count=F("count") + 1):
                return counted.select_for_update().values_list("count", flat=True).get()
        # The window's first request (or one of several at once) makes its row, outside the
        # counting transaction: an insert there next to another one deadlocks on MariaDB.
        RateCount.objects.bulk_create(
            [RateCount(key=row_key, window_start=start, count=0)], ignore_conflicts=True
        )
        RateCount.objects.filter(window_start__lt=start).delete()  # the windows before


def count_request(request: HttpRequest) -> tuple[bool, int]:
    """Count this request: per token for calls with a token, per client address for the others."""
    token = getattr(request, "api_token", None)
    if token is not None:
        return hit(f"token:{token.pk}", settings.API_RATE_LIMIT_PER_TOKEN)
    return hit(address_key(request), settings.API_RATE_LIMIT_PER_ADDRESS)


def address_key(request: HttpRequest) -> str:
    return f"addr:{request.META.get('REMOTE_ADDR', '')}"


class RateLimit(BaseThrottle):
    """Per token for calls with a token, per client address for the others."""

    def __init__(self) -> None:
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        counted = getattr(request, "_hub_rate", None)  # a write counted it in authorize_write
        allowed, wait = counted or count_request(request)
        self._local.wait = wait
        return allowed

    def wait(self) -> float | None:
        return getattr(self._local, "wait", 1)
