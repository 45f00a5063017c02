"""Every write the API app makes of its own: personal tokens. Data writes use the domain services."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.api.models import TOKEN_PREFIX, ApiToken, hash_secret
from hub.core import history
from hub.core.models import HistoryEntry

MAX_ACTIVE_TOKENS = 20


def _snapshot(token: ApiToken) -> history.Snapshot:
    return history.snapshot(token, ["name", "scope", "revoked_at"])


@transaction.atomic
def apitoken_create(*, actor, name: str, scope: str) -> tuple[ApiToken, str]:
    """Create a personal token for `actor`; returns the token and its secret, shown only this once."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to create API tokens."))
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the token a name, such as the tool that uses it.")})
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": _("Choose read or read-write.")})
    if ApiToken.objects.owned_by(actor).active().count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            {
                "name": _("You have %(n)s active tokens; revoke one first.")
                % {"n": MAX_ACTIVE_TOKENS}
            }
        )
    key = secrets.token_hex(6)
    while ApiToken.objects.filter(key=key).exists():
        key = secrets.token_hex(6)
    raw = f"{TOKEN_PREFIX}_{key}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=actor, name=name[:80], key=key, secret_hash=hash_secret(raw), scope=scope
    )
    history.record(
        actor=actor, instance=token, action=HistoryEntry.Action.CREATE, after=_snapshot(token)
    )
    return token, raw


@transaction.atomic
def apitoken_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a token for good; requests carrying it are refused from now on."""
    if not actor.is_authenticated or token.user_id != actor.pk:
        raise PermissionDenied(_("You can revoke only your own tokens."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    before = _snapshot(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    history.record(
        actor=actor,
        instance=token,
        action=HistoryEntry.Action.ARCHIVE,
        before=before,
        after=_snapshot(token),
    )
    return token
