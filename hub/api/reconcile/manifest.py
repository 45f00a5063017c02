"""The service manifest: what a client learns from a GET of the endpoint without queries.

Addresses are absolute, built from the request's host, so the manifest names the site the
client reached.
"""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from hub.api.reconcile.queries import MAX_BATCH
from hub.api.reconcile.vocabulary import types

PREVIEW_WIDTH = 400
PREVIEW_HEIGHT = 220
_ID = "0"  # reversed, then replaced by the specification's {{id}}
SCHEMA_SPACE = "https://schema.org/Organization"


def identifier_space(request: HttpRequest) -> str:
    """The URI namespace of the service's ids: an organization's page is this plus its id."""
    return request.build_absolute_uri(reverse("directory:list"))


def _template(request: HttpRequest, name: str) -> str:
    # build_absolute_uri would percent-encode the braces: the placeholder goes in afterwards
    address = request.build_absolute_uri(reverse(name, args=[_ID]))
    head, _sep, tail = address.rpartition(f"/{_ID}/")
    return f"{head}/{{{{id}}}}/{tail}"


def _suggest(request: HttpRequest, name: str) -> dict[str, str]:
    return {
        "service_url": request.build_absolute_uri("/").rstrip("/"),
        "service_path": reverse(name),
    }


def manifest(request: HttpRequest) -> dict:
    return {
        "versions": ["0.2"],
        "name": _("Partnership Hub organizations"),
        "identifierSpace": identifier_space(request),
        "schemaSpace": SCHEMA_SPACE,
        "batchSize": MAX_BATCH,
        "defaultTypes": types(),
        "view": {"url": _template(request, "directory:organization")},
        "preview": {
            "url": _template(request, "reconcile:preview"),
            "width": PREVIEW_WIDTH,
            "height": PREVIEW_HEIGHT,
        },
        "suggest": {
            "entity": _suggest(request, "reconcile:suggest_entity"),
            "type": _suggest(request, "reconcile:suggest_type"),
            "property": _suggest(request, "reconcile:suggest_property"),
        },
    }
