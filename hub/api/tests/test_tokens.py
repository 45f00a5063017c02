"""Personal tokens: hashed at rest, shown once, scoped, revocable; and the API's error answers."""

import hashlib
import json
import time

import pytest
from django.core.cache import cache

from hub.api.models import ApiToken, RateCount
from hub.api.services import apitoken_create, apitoken_revoke


def test_token_is_stored_hashed_and_shown_once(client_for, editor):
    client = client_for(editor)
    response = client.post("/api/tokens/", {"name": "Report script", "scope": "read"})
    assert response.status_code == 200
    token = ApiToken.objects.get()
    secret = response.context["created"]["secret"]
    assert secret.startswith(f"phub_{token.key}_")
    assert secret.encode() in response.content
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in json.dumps(list(ApiToken.objects.values()), default=str)
    again = client.get("/api/tokens/")
    assert secret.encode() not in again.content
    assert b"Report script" in again.content
    assert response["Cache-Control"] == "no-store"


def test_token_reads_as_its_user_and_records_last_use(client, registry, editor):
    token, secret = apitoken_create(actor=editor, name="t", scope="read")
    assert token.last_used_at is None
    response = client.get("/api/v1/partnerships", headers={"Authorization": f"Bearer {secret}"})
    assert {i["title"] for i in response.json()["items"]} == {
        "Public one",
        "Movement one",
        "Private one",
    }
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_read_token_cannot_write(client, registry, editor):
    _token, secret = apitoken_create(actor=editor, name="t", scope="read")
    p = registry["public"]
    response = client.patch(
        f"/api/v1/partnerships/{p.pk}",
        json.dumps({"title": "x"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}", "If-Match": p.etag},
    )
    assert response.status_code == 403
    assert "only read" in response.json()["detail"]


def test_revoked_and_wrong_tokens_are_refused(client_for, client, registry, editor, viewer):
    token, secret = apitoken_create(actor=editor, name="t", scope="write")
    other, _ = apitoken_create(actor=viewer, name="v", scope="write")
    assert client_for(viewer).post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    assert client_for(editor).post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    for raw in (secret, secret[:-1] + "x", f"phub_{other.key}_guess", "garbage"):
        response = client.get("/api/v1/partnerships", headers={"Authorization": f"Bearer {raw}"})
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["type"] == "/api/v1/problems/unauthorized"
    apitoken_revoke(actor=viewer, token=other)


def test_rate_limit_answers_429_with_retry_after(client, settings, registry):
    cache.clear()
    settings.API_RATE_LIMIT_PER_ADDRESS = 2
    assert client.get("/api/v1/partnerships").status_code == 200
    assert client.get("/api/v1/partnerships").status_code == 200
    response = client.get("/api/v1/partnerships")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert response.json()["type"] == "/api/v1/problems/rate-limited"
    cache.clear()


def test_rate_limit_sees_other_processes_counts(client, settings, registry):
    settings.API_RATE_LIMIT_PER_ADDRESS = 500
    settings.API_RATE_LIMIT_WINDOW = 100_000
    start = int(time.time() // 100_000) * 100_000
    key = f"addr:127.0.0.1:{start}"
    RateCount.objects.create(key=key, window_start=start, count=497)  # other processes' share
    statuses = [client.get("/api/v1/partnerships?limit=1").status_code for _ in range(6)]
    assert statuses == [200, 200, 200, 429, 429, 429]
    assert RateCount.objects.get(key=key).count == 503


def test_rate_limit_counts_per_token(client, settings, registry, editor, viewer):
    cache.clear()
    settings.API_RATE_LIMIT_PER_TOKEN = 1
    _t1, first = apitoken_create(actor=editor, name="a", scope="read")
    _t2, second = apitoken_create(actor=viewer, name="b", scope="read")
    assert (
        client.get("/api/v1/partnerships", headers={"Authorization": f"Bearer {first}"}).status_code
        == 200
    )
    assert (
        client.get("/api/v1/partnerships", headers={"Authorization": f"Bearer {first}"}).status_code
        == 429
    )
    assert (
        client.get(
            "/api/v1/partnerships", headers={"Authorization": f"Bearer {second}"}
        ).status_code
        == 200
    )
    cache.clear()


def test_errors_are_problem_json(client, db):
    for method, url, status in [
        ("get", "/api/v1/nothing/here", 404),
        ("get", "/api/v1/partnerships/abc", 422),
        ("delete", "/api/v1/partnerships", 405),
        ("get", "/api/v1/partnerships?limit=500", 422),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == status, url
        assert response["Content-Type"] == "application/problem+json"
        body = response.json()
        assert body["status"] == status
        assert body["type"].startswith("/api/v1/problems/")
        assert body["title"]
        assert body["detail"]


def test_failed_token_attempts_count_against_the_address(client, settings, db):
    cache.clear()
    settings.API_RATE_LIMIT_PER_ADDRESS = 3
    statuses = [
        client.get(
            "/api/v1/partnerships", headers={"Authorization": "Bearer phub_abc_guess"}
        ).status_code
        for _ in range(5)
    ]
    assert statuses == [401, 401, 401, 429, 429]
    cache.clear()


@pytest.mark.parametrize(
    "value", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer   ", "Token phub_x_y", "phub_x_y"]
)
def test_an_authorization_header_the_hub_does_not_accept_is_refused(client, registry, value):
    """Never read as anonymous: the caller meant to sign in and would see less than they expect."""
    response = client.get("/api/v1/partnerships", headers={"Authorization": value})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json() == {
        "type": "/api/v1/problems/unauthorized",
        "title": "Authentication failed.",
        "status": 401,
        "detail": "Send a personal token as Authorization: Bearer phub_...; nothing else.",
    }


@pytest.mark.usefixtures("registry")
def test_a_signed_in_browser_behind_a_basic_auth_proxy_reads_as_its_session(client_for, editor):
    response = client_for(editor).get(
        "/api/v1/partnerships", headers={"Authorization": "Basic c3RhZmY6c2VjcmV0"}
    )
    assert response.status_code == 200
    assert "Private one" in {item["title"] for item in response.json()["items"]}
