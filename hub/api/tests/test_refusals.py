"""The order in which a write is refused, as on the pages: a read-only token (403), a record the
caller may not see (404), one they may see but not change (403), a create by someone who edits for
no organization (403); only then is the body read (415, 400, 422)."""

import json

import pytest

from hub.funding.factories import make_contribution, make_grant

JSON = "application/json"
INVALID = {"title": 5, "no_such_field": True}
TYPES = {403: "forbidden", 404: "not-found"}
TITLES = {403: "You may not do this.", 404: "Not found."}


def problem(status, detail):
    return {
        "type": f"/api/v1/problems/{TYPES[status]}",
        "title": TITLES[status],
        "status": status,
        "detail": detail,
    }


@pytest.fixture
def records(registry, affiliate):
    """The affiliate's private partnership, confidential contribution and grant: the viewer sees
    them and may not change them; the outsider does not see them."""
    return {
        "partnerships": registry["private"].pk,
        "contributions": make_contribution(receiving_organization=affiliate, confidential=True).pk,
        "grants": make_grant(recipient=affiliate, confidential=True).pk,
    }


def _writes(records):
    """(method, url, what the 403 says) of every write on an existing record."""
    p, c, g = records["partnerships"], records["contributions"], records["grants"]
    return [
        ("patch", f"/api/v1/partnerships/{p}", "You cannot edit this partnership."),
        ("post", f"/api/v1/partnerships/{p}/end", "You cannot edit this partnership."),
        ("patch", f"/api/v1/contributions/{c}", "You cannot edit this contribution."),
        ("post", f"/api/v1/contributions/{c}/archive", "You cannot edit this contribution."),
        ("patch", f"/api/v1/grants/{g}", "You cannot edit this grant."),
    ]


CREATES = ["/api/v1/partnerships", "/api/v1/contributions", "/api/v1/grants"]


def _send(client, method, url, headers, body=INVALID):
    return getattr(client, method)(
        url, data=json.dumps(body), content_type=JSON, headers={**headers, "If-Match": '"1-1"'}
    )


def test_read_only_token_is_refused_before_anything_else(client, editor, token_for, records):
    headers = token_for(editor, scope="read")
    only_read = problem(403, "This token may only read; create a read-write token to write.")
    for method, url, _message in _writes(records):
        response = _send(client, method, url, headers)
        assert (url, response.status_code, response.json()) == (url, 403, only_read)
    for url in CREATES:
        response = _send(client, "post", url, headers)
        assert (url, response.status_code, response.json()) == (url, 403, only_read)


def test_a_record_the_caller_may_not_see_is_404_even_with_an_invalid_body(
    client, outsider, token_for, records
):
    headers = token_for(outsider)
    for method, url, _message in _writes(records):
        response = _send(client, method, url, headers)
        assert (url, response.status_code, response.json()) == (
            url,
            404,
            problem(404, "There is no such record, or you may not see it."),
        )
    response = _send(client, "patch", "/api/v1/partnerships/0", headers)
    assert response.status_code == 404


def test_a_record_the_caller_may_see_but_not_change_is_403_even_with_an_invalid_body(
    client, viewer, token_for, records
):
    headers = token_for(viewer)
    for method, url, message in _writes(records):
        response = _send(client, method, url, headers)
        assert (url, response.status_code, response.json()) == (url, 403, problem(403, message))


def test_create_by_someone_who_edits_for_no_organization_is_403_before_the_body(
    client, viewer, token_for
):
    headers = token_for(viewer)
    for url in CREATES:
        response = _send(client, "post", url, headers)
        assert (url, response.status_code, response.json()) == (
            url,
            403,
            problem(403, "You do not edit for any organization."),
        )


def test_then_the_body_is_validated(client, outsider, token_for, records):
    """The outsider edits for their own affiliate: their invalid create is a 422."""
    response = _send(client, "post", "/api/v1/partnerships", token_for(outsider))
    assert response.status_code == 422
    assert {
        "path": "no_such_field",
        "message": "This field cannot be set through the API.",
    } in response.json()["errors"]


def test_a_body_that_is_not_json_is_refused_after_the_permission_checks(
    client, editor, viewer, token_for, registry
):
    p = registry["private"]
    url = f"/api/v1/partnerships/{p.pk}"
    headers = {**token_for(editor), "If-Match": p.etag}
    form = client.patch(
        url, data="title=New", content_type="application/x-www-form-urlencoded", headers=headers
    )
    assert form.status_code == 415
    assert form.json() == {
        "type": "/api/v1/problems/unsupported-media-type",
        "title": "The body is not JSON.",
        "status": 415,
        "detail": "Send the body as application/json.",
    }
    broken = client.patch(url, data="{not json", content_type=JSON, headers=headers)
    assert broken.status_code == 400
    assert broken.json() == {
        "type": "/api/v1/problems/bad-request",
        "title": "The request could not be read.",
        "status": 400,
        "detail": "The body is not valid JSON.",
    }
    refused = client.patch(
        url,
        data="title=New",
        content_type="application/x-www-form-urlencoded",
        headers={**token_for(viewer), "If-Match": p.etag},
    )
    assert refused.status_code == 403
    p.refresh_from_db()
    assert p.version == 1


def test_every_problem_type_address_is_a_page(client, db):
    from django.utils.html import escape

    from hub.api.problems import MEANINGS, PROBLEM_BASE, TITLES

    for status, (slug, title) in TITLES.items():
        response = client.get(PROBLEM_BASE + slug)
        assert response.status_code == 200, slug
        html = response.content.decode()
        assert f"<h1>{escape(title)}</h1>" in html
        assert f"HTTP status {status}" in html
        assert escape(MEANINGS[slug]) in html
    missing = client.get(PROBLEM_BASE + "no-such-problem")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "There is no such problem type."
