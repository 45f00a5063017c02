"""Agreements through the API: the same permissions, details only to who may see them, ETags."""

import json

import pytest

from hub.accounts.system import system_actor
from hub.api import services as api_services
from hub.core.models import Visibility
from hub.core.testing import officefiles as files
from hub.lifecycle.agreements import services
from hub.lifecycle.agreements.models import Agreement
from hub.lifecycle.factories_agreements import (
    make_agreement,
    partnership_with_partner,
    place_past_agreement_step,
)
from hub.partnerships.models import Partnership

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture(autouse=True)
def _limits_and_media(settings, tmp_path):
    settings.API_RATE_LIMIT_PER_TOKEN = 100000
    settings.API_RATE_LIMIT_PER_ADDRESS = 100000
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def call(client):
    def make(user, method, url, body=None, **headers):
        if user is not None:
            _token, secret = api_services.apitoken_create(actor=user, name="t", scope="write")
            headers["Authorization"] = f"Bearer {secret}"
        kwargs: dict = {"headers": headers}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type=JSON)
        return getattr(client, method)(url, **kwargs)

    return make


@pytest.fixture
def world(affiliate):
    partnership, partner = partnership_with_partner(affiliate, title="Glass plates")
    agreement = make_agreement(
        partnership,
        title="Glass MoU",
        status="signed",
        parties=[{"organization": partner, "signatory_name": "Bo Secret"}],
    )
    services.agreement_file_add(
        actor=system_actor(), agreement=agreement, file=files.upload("s.pdf", files.PDF)
    )
    return partnership, partner, agreement


def test_members_read_the_details_outsiders_do_not(call, viewer, outsider, world):
    partnership, _, agreement = world
    mine = call(viewer, "get", f"/api/v1/agreements/{agreement.pk}")
    assert mine.status_code == 200
    body = mine.json()
    assert body["details"]["parties"][0]["signatory_name"] == "Bo Secret"
    assert len(body["details"]["checklist"]) == 9
    assert body["details"]["files"][0]["sha256"] == agreement.files.get().sha256
    assert mine["ETag"] == body["etag"]
    for user in (outsider, None):
        theirs = call(user, "get", f"/api/v1/agreements/{agreement.pk}")
        assert theirs.status_code == 200
        assert theirs.json()["details"] is None
        assert "Bo Secret" not in theirs.content.decode()
        listed = call(user, "get", f"/api/v1/partnerships/{partnership.pk}/agreements")
        assert [a["title"] for a in listed.json()["items"]] == ["Glass MoU"]
        assert "Bo Secret" not in listed.content.decode()


def test_a_private_partnerships_agreements_are_404(call, outsider, world):
    partnership, _, agreement = world
    Partnership.objects.filter(pk=partnership.pk).update(visibility=Visibility.PRIVATE)
    for url in (
        f"/api/v1/agreements/{agreement.pk}",
        f"/api/v1/partnerships/{partnership.pk}/agreements",
        f"/api/v1/partnerships/{partnership.pk}/warnings",
    ):
        answer = call(outsider, "get", url)
        assert answer.status_code == 404
        assert answer["Content-Type"].startswith("application/problem+json")


def test_warnings_endpoint(call, viewer, outsider, world):
    partnership, _, agreement = world
    url = f"/api/v1/partnerships/{partnership.pk}/warnings"
    assert call(viewer, "get", url).json()["items"] == [
        {
            "kind": "clauses",
            "text": "Glass MoU is signed without an exit strategy or an IP clause.",
            "agreement": agreement.pk,
        }
    ]
    assert call(outsider, "get", url).json()["items"] == []
    place_past_agreement_step(partnership)
    Agreement.objects.filter(pk=agreement.pk).update(status="draft")
    assert [w["kind"] for w in call(viewer, "get", url).json()["items"]] == ["unsigned"]


def test_create_and_update_with_the_version_check(call, editor, viewer, outsider, world):
    partnership, partner, _ = world
    url = f"/api/v1/partnerships/{partnership.pk}/agreements"
    body = {
        "kind": "letter_of_intent",
        "title": "Intent",
        "parties": [{"organization": partner.pk, "signatory_name": "Bo"}],
        "checklist": {"exit": {"score": "fully", "note": "Notice"}},
    }
    assert call(viewer, "post", url, body).status_code == 403
    assert call(outsider, "post", url, body).status_code == 403
    created = call(editor, "post", url, body)
    assert created.status_code == 201, created.content
    new = created.json()
    assert created["Location"].endswith(f"/api/v1/agreements/{new['id']}")
    assert {"topic": "exit", "score": "fully", "note": "Notice"} in new["details"]["checklist"]
    detail = f"/api/v1/agreements/{new['id']}"
    assert call(editor, "patch", detail, {"status": "sent"}).status_code == 428
    changed = call(editor, "patch", detail, {"status": "sent"}, **{"If-Match": new["etag"]})
    assert changed.status_code == 200
    assert changed.json()["version"] == 2
    stale = call(editor, "patch", detail, {"status": "signed"}, **{"If-Match": new["etag"]})
    assert stale.status_code == 412
    assert call(outsider, "patch", detail, {"status": "signed"}).status_code == 403


def test_invalid_writes_are_422_naming_the_field(call, editor, world):
    partnership, _, _ = world
    url = f"/api/v1/partnerships/{partnership.pk}/agreements"
    unknown = call(editor, "post", url, {"kind": "mou", "parties": [{"organization": 999999}]})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["path"] == "parties.0.organization"
    assert call(editor, "post", url, {"kind": "treaty"}).status_code == 422
    assert call(editor, "post", url, {"kind": "mou", "version": 9}).status_code == 422
    backwards = call(
        editor,
        "post",
        url,
        {"kind": "mou", "effective_date": "2026-05-01", "end_date": "2026-01-01"},
    )
    assert backwards.status_code == 422
    assert (
        call(
            editor, "post", url, {"kind": "mou", "checklist": {"exit": {"score": "x"}}}
        ).status_code
        == 422
    )


def test_the_partnership_list_filters_by_needs_attention(call, viewer, outsider, world, affiliate):
    assert world  # "Glass plates": its signed MoU has no exit or IP clause
    partnership_with_partner(affiliate, title="Quiet", status="prospect")
    names = [
        p["title"]
        for p in call(viewer, "get", "/api/v1/partnerships?needs_attention=on").json()["items"]
    ]
    assert names == ["Glass plates"]
    assert call(outsider, "get", "/api/v1/partnerships?needs_attention=on").json()["items"] == []
