"""The committed OpenAPI document, the offline docs page, and every operation in the matrix."""

import json
import re
from pathlib import Path

from django.urls import NoReverseMatch, reverse

from hub.api.management.commands.export_openapi import openapi_text
from hub.api.tests.matrix import CASES

COMMITTED = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


def test_committed_openapi_matches_the_code(db):
    assert COMMITTED.read_text(encoding="utf-8") == openapi_text(), (
        "docs/openapi.json is out of date: run `manage.py export_openapi docs/openapi.json`."
    )


def test_served_document_is_the_committed_one(client, db):
    served = client.get("/api/v1/openapi.json").json()
    assert served == json.loads(COMMITTED.read_text(encoding="utf-8"))


def test_docs_page_needs_nothing_from_the_internet(client, db):
    html = client.get("/api/v1/docs").content.decode()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    for asset in re.findall(r"""(?:src|href)="(/api/v1/docs-assets/[^"]+)""", html):
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert b"".join(response.streaming_content)
    assert "swagger-ui-bundle.js" in html


def test_every_operation_has_a_url_name_in_the_matrix(db):
    """Each operation of the document is a URL name with a matrix case for its method."""
    document = json.loads(COMMITTED.read_text(encoding="utf-8"))
    operations = {
        (method.upper(), path) for path, item in document["paths"].items() for method in item
    }
    covered = {
        (case.method.upper(), _route(name))
        for name, case in CASES.items()
        if name.startswith("api:") and name not in ("api:openapi-json", "api:openapi-view")
    }
    missing = sorted(operations - covered)
    assert not missing, f"operations without a permission-matrix case: {missing}"


def _route(name: str) -> str:
    """The OpenAPI path of a URL name: /api/v1/partnerships/{id}/end."""
    try:
        url = reverse(name, kwargs={"id": 1})
    except NoReverseMatch:
        url = reverse(name)
    return re.sub(r"/1(/|$)", r"/{id}\1", url)
