"""What the funding sub-domains share when they write and answer: the partnership rule of contributions and grants, text tidying and the pages' small helpers.

Use these from any funding sub-package; they import no sub-package's services or views.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from hub.directory.models import Organization
from hub.partnerships.models import Partnership


def text(value: Any) -> str:
    """A text input as the services store it: stripped, and "" for None."""
    return "" if value is None else str(value).strip()


def acts_for(actor, organization: Organization | None) -> bool:
    """Whether `actor` edits for `organization` (asked of Organization.objects.editable_by)."""
    return (
        organization is not None
        and Organization.objects.editable_by(actor).filter(pk=organization.pk).exists()
    )


def check_partnership(
    actor,
    partnership: Partnership | None,
    organization: Organization | None,
    seen: dict[tuple[int, int], bool] | None = None,
) -> None:
    """Refuse a partnership the actor may not see or that `organization` (the one that received
    the support) takes no part in: the pages offer only those, and the API and the import are
    held to the same rule here. One answer for both, so it never tells that a partnership exists.
    `seen` remembers the answers (for many rows)."""
    if partnership is None or organization is None:
        return
    seen = {} if seen is None else seen
    key = (partnership.pk, organization.pk)
    if key not in seen:
        seen[key] = (
            Partnership.objects.visible_to(actor)
            .with_organization([organization.pk])
            .filter(pk=partnership.pk)
            .exists()
        )
    if not seen[key]:
        raise ValidationError(
            {
                "partnership": _("Choose a partnership that %(org)s takes part in.")
                % {"org": organization}
            }
        )


def relinks(record, fields: dict[str, Any], organization_field: str) -> bool:
    """Whether an update links another partnership, or moves the record to another
    organization (whose partnerships are checked again); a link left as it was is kept."""
    return ("partnership" in fields and fields["partnership"] != record.partnership) or (
        organization_field in fields
        and getattr(fields[organization_field], "pk", None)
        != getattr(record, f"{organization_field}_id")
    )


def refuse_unknown(fields: dict[str, Any], allowed: set[str] | frozenset[str], message) -> None:
    """A ValidationError naming each field of `fields` a service does not take."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, message))


# --------------------------------------------------------------------------- pages


def htmx_target(request: HttpRequest) -> str | None:
    htmx = getattr(request, "htmx", None)
    return htmx.target if htmx else None


def stale_message() -> str:
    return _(
        "Someone else saved this record while you were editing it. "
        "Open it again to see their changes, then make yours."
    )
