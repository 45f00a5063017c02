"""What the funding routers (contributions, rates, grants) share: money as decimal strings, the
linked partnership as the caller may see it, and a body's ids resolved to records."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from hub.api.auth import caller
from hub.api.problems import ApiError
from hub.directory.models import Organization
from hub.partnerships.models import Partnership


def money(value: Decimal | None) -> str | None:
    """An amount as the API writes it: a decimal string with two places (None stays None)."""
    return None if value is None else f"{value:.2f}"


def partnership_ref(partnership_id: int | None, title: str | None) -> dict | None:
    """The linked partnership as `with_shown_partnership` let the caller see it (or None)."""
    return None if partnership_id is None else {"id": partnership_id, "title": title}


def resolve_refs(request: HttpRequest, data: dict[str, Any], org_fields: tuple[str, ...]) -> dict:
    """Ids of organizations and partnerships to records (422 naming the field if unknown)."""
    errors = []
    ids = [data[name] for name in org_fields if data.get(name) is not None]
    found = Organization.objects.in_bulk(ids)
    arguments = dict(data)
    for name in org_fields:
        if name in data and data[name] is not None:
            arguments[name] = found.get(data[name])
            if arguments[name] is None:
                errors.append(
                    {"path": name, "message": _("There is no organization with this id.")}
                )
    if data.get("partnership") is not None:
        arguments["partnership"] = (
            Partnership.objects.visible_to(caller(request)).filter(pk=data["partnership"]).first()
        )
        if arguments["partnership"] is None:
            errors.append(
                {
                    "path": "partnership",
                    "message": _("There is no partnership with this id that you may see."),
                }
            )
    for name in ("value", "quantity", "amount"):
        if isinstance(data.get(name), str):
            arguments[name] = Decimal(data[name])
    if errors:
        raise ApiError(422, _("Some fields are invalid; see errors."), errors)
    return arguments
