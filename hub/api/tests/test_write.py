"""Writing through the API: the pages' services and rules, the version check, mass assignment."""

import json
import re

import pytest
from django.test import Client

from hub.core.models import HistoryEntry
from hub.core.weburl import MESSAGE as WEB_URL_MESSAGE
from hub.directory.factories import OrganizationFactory
from hub.partnerships.models import Partnership

JSON = "application/json"


def _create_payload(lead, partner, **extra):
    return {
        "title": "Wiki Loves the Museum",
        "lead": lead.pk,
        "participants": [{"organization": partner.pk, "role": "content_provider"}],
        "goals": ["content"],
        **extra,
    }


@pytest.fixture
def api(client, editor, token_for):
    """A client with a read-write token of the affiliate's editor."""
    headers = token_for(editor)

    def call(method, url, body=None, **more):
        kwargs = {"headers": {**headers, **more}}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type=JSON)
        return getattr(client, method)(url, **kwargs)

    return call


def test_create_through_the_service_records_history(api, affiliate, museum):
    response = api(
        "post", "/api/v1/partnerships", _create_payload(affiliate, museum, themes=["GLAM"])
    )
    assert response.status_code == 201
    partnership = Partnership.objects.get()
    assert response["Location"] == f"http://testserver/api/v1/partnerships/{partnership.pk}"
    assert response["ETag"] == partnership.etag
    body = response.json()
    assert body["participants"][1] == {
        "organization": {"id": museum.pk, "name": "Testland Museum", "short_code": None},
        "kind": "museum",
        "role": "content_provider",
    }
    assert body["themes"] == ["GLAM"]
    assert [e.action for e in HistoryEntry.objects.for_object(partnership)] == ["create"]


def test_update_needs_if_match(api, registry):
    p = registry["private"]
    missing = api("patch", f"/api/v1/partnerships/{p.pk}", {"title": "New"})
    assert missing.status_code == 428
    assert missing.json()["type"] == "/api/v1/problems/precondition-required"
    ok = api("patch", f"/api/v1/partnerships/{p.pk}", {"title": "New"}, **{"If-Match": p.etag})
    assert ok.status_code == 200
    assert ok["ETag"] == f'"{p.pk}-2"'
    assert ok.json()["title"] == "New"
    stale = api("patch", f"/api/v1/partnerships/{p.pk}", {"title": "Older"}, **{"If-Match": p.etag})
    assert stale.status_code == 412
    assert stale.json()["type"] == "/api/v1/problems/precondition-failed"
    assert stale.json()["detail"] == (
        "Someone else changed this record since you read it. "
        "Read it again, then send your change with its new ETag."
    )
    p.refresh_from_db()
    assert (p.title, p.version) == ("New", 2)
    other = api("patch", f"/api/v1/partnerships/{p.pk}", {"title": "X"}, **{"If-Match": '"999-2"'})
    assert other.status_code == 412


def test_update_replaces_participants(api, registry, affiliate):
    p = registry["public"]
    library = OrganizationFactory(name="Library")
    response = api(
        "patch",
        f"/api/v1/partnerships/{p.pk}",
        {"participants": [{"organization": library.pk, "role": "host"}]},
        **{"If-Match": p.etag},
    )
    assert response.status_code == 200
    assert [(x["organization"]["name"], x["role"]) for x in response.json()["participants"]] == [
        ("Wikimedia Testland", "lead"),
        ("Library", "host"),
    ]


def test_end_with_version_check(api, registry):
    p = registry["public"]
    assert (
        api("post", f"/api/v1/partnerships/{p.pk}/end", {"status": "completed"}).status_code == 428
    )
    response = api(
        "post",
        f"/api/v1/partnerships/{p.pk}/end",
        {"status": "ended_early", "end_date": "2024-05-01", "reason": "Museum closed"},
        **{"If-Match": p.etag},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["end_date"], body["end_reason"]) == (
        "ended_early",
        "2024-05-01",
        "Museum closed",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", 999),
        ("version", 42),
        ("history", []),
        ("created_at", "2020-01-01T00:00:00Z"),
        ("updated_at", "2020-01-01T00:00:00Z"),
        ("direction", "internal"),
        ("etag", '"1-1"'),
    ],
)
def test_mass_assignment_is_refused_by_name(api, registry, field, value):
    p = registry["public"]
    before = Partnership.objects.values().get(pk=p.pk)
    response = api(
        "patch",
        f"/api/v1/partnerships/{p.pk}",
        {"title": "Sneaky", field: value},
        **{"If-Match": p.etag},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"path": field, "message": "This field cannot be set through the API."}
    ]
    assert Partnership.objects.values().get(pk=p.pk) == before
    created = api(
        "post",
        "/api/v1/partnerships",
        {**_create_payload(p.lead, OrganizationFactory()), field: value},
    )
    assert created.status_code == 422
    assert Partnership.objects.count() == 4


def _lead_refused(message):
    return {
        "type": "/api/v1/problems/validation",
        "title": "The request has invalid fields.",
        "status": 422,
        "detail": "Some fields are invalid; see errors.",
        "errors": [{"path": "lead", "message": message}],
    }


def test_references_the_user_may_not_use_are_refused(api, registry, other_affiliate, museum):
    """A lead one does not edit for is an error of the lead field, on create as on update (as on
    the page's form)."""
    response = api("post", "/api/v1/partnerships", _create_payload(other_affiliate, museum))
    assert response.status_code == 422
    assert response.json() == _lead_refused(
        "You can start partnerships only for organizations you edit for."
    )
    p = registry["public"]
    handover = api(
        "patch",
        f"/api/v1/partnerships/{p.pk}",
        {"lead": other_affiliate.pk},
        **{"If-Match": p.etag},
    )
    assert handover.status_code == 422
    assert handover.json() == _lead_refused(
        "You can hand the lead only to an organization you edit for."
    )
    p.refresh_from_db()
    assert p.lead_id != other_affiliate.pk
    assert Partnership.objects.count() == 4


def test_validation_errors_name_each_path(api, affiliate, museum):
    payload = _create_payload(affiliate, museum)
    payload["participants"].append({"organization": 987654, "role": "partner"})
    payload["links"] = [{"label": "x", "url": "not a url"}]
    payload["projects"] = ["nosuchwiki"]
    payload["start_date"], payload["end_date"] = "2020-01-02", "2020-01-01"
    response = api("post", "/api/v1/partnerships", payload)
    assert response.status_code == 422
    assert response.json() == {
        "type": "/api/v1/problems/validation",
        "title": "The request has invalid fields.",
        "status": 422,
        "detail": "Some fields are invalid; see errors.",
        "errors": [
            {
                "path": "participants[1].organization",
                "message": "There is no organization with this id.",
            },
            {"path": "projects[0]", "message": "There is no Wikimedia project with this code."},
            {"path": "links[0].url", "message": WEB_URL_MESSAGE},
            {"path": "end_date", "message": "The end date cannot be before the start date."},
        ],
    }
    wrong_type = api(
        "post", "/api/v1/partnerships", {**_create_payload(affiliate, museum), "goals": ["fun"]}
    )
    assert wrong_type.json()["errors"][0]["path"] == "goals[0]"
    assert Partnership.objects.count() == 0


def test_viewer_and_outsider_are_refused_as_on_the_pages(client_for, registry, viewer, outsider):
    p = registry["private"]
    headers = {"If-Match": p.etag}
    body = json.dumps({"title": "x"})
    assert (
        client_for(viewer)
        .patch(f"/api/v1/partnerships/{p.pk}", body, content_type=JSON, headers=headers)
        .status_code
        == 403
    )
    assert (
        client_for(outsider)
        .patch(f"/api/v1/partnerships/{p.pk}", body, content_type=JSON, headers=headers)
        .status_code
        == 404
    )


def test_session_writes_need_the_csrf_token(editor, registry):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    p = registry["public"]
    url = f"/api/v1/partnerships/{p.pk}"
    headers = {"If-Match": p.etag}
    refused = client.patch(url, json.dumps({"title": "x"}), content_type=JSON, headers=headers)
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    client.get("/api/tokens/")  # any page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.patch(
        url,
        json.dumps({"title": "x"}),
        content_type=JSON,
        headers={**headers, "X-CSRFToken": token},
    )
    assert accepted.status_code == 200


def test_anonymous_cannot_write(client, registry, affiliate, museum):
    response = client.post(
        "/api/v1/partnerships", json.dumps(_create_payload(affiliate, museum)), content_type=JSON
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_if_match_compares_strongly_and_accepts_a_list(api, registry):
    """RFC 9110: a weak ETag never matches; one ETag of a list matching the record is enough."""
    p = registry["private"]
    url = f"/api/v1/partnerships/{p.pk}"
    weak = api("patch", url, {"title": "Weak"}, **{"If-Match": f'W/"{p.pk}-{p.version}"'})
    assert weak.status_code == 412
    assert weak.json() == {
        "type": "/api/v1/problems/precondition-failed",
        "title": "The record changed since you read it.",
        "status": 412,
        "detail": 'If-Match needs the ETag as you read it, without "W/".',
    }
    listed = api("patch", url, {"title": "Listed"}, **{"If-Match": f'"999-1", *, {p.etag}, "x"'})
    assert listed.status_code == 200
    assert listed.json()["title"] == "Listed"
    p.refresh_from_db()
    assert (p.title, p.version) == ("Listed", 2)


def test_missing_if_match_does_not_tell_the_current_etag(api, registry):
    p = registry["private"]
    response = api("patch", f"/api/v1/partnerships/{p.pk}", {"title": "New"})
    assert response.status_code == 428
    assert response.json() == {
        "type": "/api/v1/problems/precondition-required",
        "title": "Send If-Match with the ETag you read.",
        "status": 428,
        "detail": "Send If-Match with the ETag you read, so no change is overwritten.",
    }


def test_pydantic_errors_name_the_field_once_with_the_hubs_messages(api, registry):
    p = registry["private"]
    response = api(
        "patch",
        f"/api/v1/partnerships/{p.pk}",
        {
            "direction_override": "sideways",
            "start_date": "2020-02-30",
            "title": "x" * 201,
            "goals": ["content", "fun"],
            "participants": [{"organization": "1", "role": "boss"}],
            "structure": 3,
        },
        **{"If-Match": p.etag},
    )
    assert response.status_code == 422
    assert response.json() == {
        "type": "/api/v1/problems/validation",
        "title": "The request has invalid fields.",
        "status": 422,
        "detail": "Some fields are invalid; see errors.",
        "errors": [
            {"path": "title", "message": "Write at most 200 characters."},
            {"path": "participants[0].organization", "message": "Must be a whole number."},
            {
                "path": "participants[0].role",
                "message": 'Must be one of: "partner", "funder", "backbone", "host", '
                '"content_provider", "supporter".',
            },
            {"path": "goals[1]", "message": 'Must be one of: "funding", "content", "advocacy".'},
            {"path": "structure", "message": 'Must be one of: "simple", "complex".'},
            {"path": "start_date", "message": "Not a real date; write YYYY-MM-DD."},
            {
                "path": "direction_override",
                "message": 'Must be one of: "internal", "external", "".',
            },
        ],
    }


@pytest.mark.parametrize(
    ("if_match", "status", "detail"),
    [
        (
            "*",
            428,
            "If-Match: * is not accepted here: send the ETag you read, so no change is "
            "overwritten.",
        ),
        ("{pk}-1", 412, 'An ETag is sent in double quotes, as read: If-Match: "12-3".'),
        (
            '"{pk}-7"',
            412,
            "Someone else changed this record since you read it. "
            "Read it again, then send your change with its new ETag.",
        ),
        ('"999-1"', 412, "If-Match does not match this record's ETag; read the record again."),
    ],
)
def test_if_match_is_checked_before_the_body_with_a_message_that_says_why(
    api, registry, if_match, status, detail
):
    """RFC 9110 §13.2.2: preconditions before the content; an invalid body waits its turn."""
    p = registry["private"]
    response = api(
        "patch",
        f"/api/v1/partnerships/{p.pk}",
        {"structure": "bogus"},
        **{"If-Match": if_match.format(pk=p.pk)},
    )
    assert response.status_code == status
    assert response.json()["detail"] == detail
    p.refresh_from_db()
    assert p.version == 1


def test_a_long_if_match_list_is_read_and_a_too_long_one_is_named_as_the_header(api, registry):
    p = registry["private"]
    url = f"/api/v1/partnerships/{p.pk}"
    many = ", ".join([f'"{p.pk}-{n}"' for n in range(2, 60)] + [p.etag])
    assert api("patch", url, {"title": "Many"}, **{"If-Match": many}).status_code == 200
    p.refresh_from_db()
    longer = ", ".join([f'"{p.pk}-{n}"' for n in range(2, 400)] + [p.etag])
    too_long = api("patch", url, {"title": "Long"}, **{"If-Match": longer})
    assert too_long.status_code == 422
    assert too_long.json()["errors"] == [
        {"path": "If-Match", "message": "Write at most 2000 characters."}
    ]


def test_counted_and_pattern_messages_are_plain_words(api, registry):
    p = registry["private"]
    response = api(
        "patch",
        f"/api/v1/partnerships/{p.pk}",
        {"title": "", "description": "a\u0000b"},
        **{"If-Match": p.etag},
    )
    assert response.json()["errors"] == [
        {"path": "title", "message": "Write at least 1 character."},
        {"path": "description", "message": "Must not contain a NUL character."},
    ]


def test_every_pattern_of_the_document_has_words():
    from hub.api.api import api as hub_api
    from hub.api.problems import PATTERNS

    text = json.dumps(hub_api.get_openapi_schema())
    patterns = {
        json.loads(f'"{found}"') for found in re.findall(r'"pattern": "((?:[^"\\]|\\.)*)"', text)
    }
    assert patterns
    assert patterns <= set(PATTERNS)
