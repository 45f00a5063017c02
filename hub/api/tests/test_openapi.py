"""The committed OpenAPI document, the offline docs page, and every operation in the matrix."""

import json
import re
from pathlib import Path

from django.urls import NoReverseMatch, reverse

from hub.api.api import VERSIONED
from hub.api.management.commands.export_openapi import openapi_text
from hub.core.testing.matrix import all_cases

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
        for name, case in all_cases().items()
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


def _operations(document):
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def test_document_lists_the_headers_we_send(db):
    document = json.loads(openapi_text())
    for path, method, operation in _operations(document):
        responses = operation["responses"]
        assert "WWW-Authenticate" in responses["401"]["headers"], (path, method)
        assert "Retry-After" in responses["429"]["headers"], (path, method)
        if "201" in responses:
            # Records without a version (an endorsement, a clinic question) have no ETag.
            ref = responses["201"]["content"]["application/json"]["schema"]["$ref"]
            versioned = ref.rsplit("/", 1)[-1] in VERSIONED
            expected = {"ETag", "Location"} if versioned else {"Location"}
            assert set(responses["201"]["headers"]) == expected, (path, method)
        if "requestBody" in operation:
            assert "415" in responses, (path, method)


def test_parameters_are_never_null_and_if_match_is_required(db):
    document = json.loads(openapi_text())
    goal = next(
        p
        for p in document["paths"]["/api/v1/partnerships"]["get"]["parameters"]
        if p["name"] == "goal"
    )
    assert goal["schema"] == {
        "description": "funding, content, advocacy; repeatable.",
        "items": {"type": "string"},
        "title": "Goal",
        "type": "array",
    }
    if_matches = []
    for _path, _method, operation in _operations(document):
        for parameter in operation.get("parameters", []):
            assert "anyOf" not in parameter["schema"], parameter
            assert parameter["schema"].get("default", "") is not None, parameter
            if parameter["name"] == "If-Match":
                if_matches.append(operation["operationId"])
                assert parameter["required"] is True
    assert sorted(if_matches) == [
        "agreement_update",
        "contribution_archive",
        "contribution_update",
        "grant_update",
        "lesson_update",
        "moving_on_save",
        "next_action_update",
        "partnership_end",
        "partnership_update",
        "progress_move",
        "resource_update",
    ]


def test_operation_ids_are_function_names_and_only_used_schemas_are_listed(db):
    document = json.loads(openapi_text())
    ids = [operation["operationId"] for _p, _m, operation in _operations(document)]
    assert len(ids) == len(set(ids))
    assert "partnership_list" in ids
    assert "grant_update" in ids
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)+", i) for i in ids), ids
    schemas = document["components"]["schemas"]
    assert not [name for name in schemas if name.endswith("Query")]
    text = json.dumps(document["paths"]) + json.dumps(schemas)
    for name in schemas:
        assert f"#/components/schemas/{name}" in text, name
    for name, schema in schemas.items():
        if name.endswith("Page"):
            assert set(schema["required"]) == {"items", "next", "notices"}, name
