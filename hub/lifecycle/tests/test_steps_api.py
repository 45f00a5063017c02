"""A partnership's steps and the organizations' lifecycles through the API."""

import datetime
import json

import pytest

from hub.api import services as api_services
from hub.directory.factories import OrganizationFactory
from hub.lifecycle.factories_steps import make_lifecycle, start_progress, step_of
from hub.lifecycle.steps.models import PartnershipProgress
from hub.partnerships.factories import make_partnership

JSON = "application/json"
D = datetime.date


@pytest.fixture(autouse=True)
def _generous_limits(settings):
    settings.API_RATE_LIMIT_PER_TOKEN = 100000
    settings.API_RATE_LIMIT_PER_ADDRESS = 100000


@pytest.fixture
def api(client):
    def call(user, method, url, body=None, **headers):
        if user is not None:
            _token, secret = api_services.apitoken_create(actor=user, name="t", scope="write")
            headers["Authorization"] = f"Bearer {secret}"
        kwargs = {"headers": headers}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type=JSON)
        return getattr(client, method)(url, **kwargs)

    return call


@pytest.fixture
def partnership(affiliate):
    return make_partnership(
        lead=affiliate, partners=[OrganizationFactory(name="Museum")], title="Scans"
    )


def test_read_the_progress_whole(partnership, editor, api):
    progress = start_progress(partnership, on=D(2026, 1, 1))
    first = step_of(progress.lifecycle, "preliminary_work")
    url = f"/api/v1/partnerships/{partnership.pk}/progress"
    response = api(editor, "get", url)
    assert response.status_code == 200
    assert response["ETag"] == f'"{progress.pk}-1"'
    assert response.json() == {
        "partnership": partnership.pk,
        "started": True,
        "lifecycle": progress.lifecycle_id,
        "current_step": {
            "id": first.pk,
            "name": "Preliminary work",
            "position": 1,
            "milestone": "",
            "retired": False,
        },
        "entered_on": "2026-01-01",
        "visits": [
            {
                "step": {
                    "id": first.pk,
                    "name": "Preliminary work",
                    "position": 1,
                    "milestone": "",
                    "retired": False,
                },
                "entered_on": "2026-01-01",
                "left_on": None,
                "note": "",
            }
        ],
        "next_action": "",
        "next_action_owner": None,
        "next_action_due": None,
        "overdue": False,
        "moving_on": None,
        "version": 1,
        "etag": f'"{progress.pk}-1"',
        "url": f"http://testserver/partnerships/{partnership.pk}/steps/",
    }


def test_start_move_and_set_the_next_action_with_etags(partnership, editor, api):
    url = f"/api/v1/partnerships/{partnership.pk}/progress"
    assert api(editor, "get", url).json()["started"] is False
    started = api(editor, "post", url, {"on": "2026-02-01"})
    assert started.status_code == 201
    etag = started["ETag"]
    lifecycle = PartnershipProgress.objects.get(partnership=partnership).lifecycle
    step = step_of(lifecycle, "first_contact")
    body = {"step": step.pk, "on": "2026-03-01", "note": "Phoned"}
    assert api(editor, "post", f"{url}/moves", body).status_code == 428
    moved = api(editor, "post", f"{url}/moves", body, **{"If-Match": etag})
    assert moved.status_code == 200
    assert moved.json()["current_step"]["name"] == "First contact"
    assert [v["left_on"] for v in moved.json()["visits"]] == ["2026-03-01", None]
    stale = api(editor, "patch", url, {"next_action": "Write"}, **{"If-Match": etag})
    assert stale.status_code == 412
    patched = api(
        editor,
        "patch",
        url,
        {"next_action": "Write", "next_action_owner": editor.pk, "next_action_due": "2020-01-01"},
        **{"If-Match": moved["ETag"]},
    )
    assert patched.status_code == 200
    data = patched.json()
    assert (data["next_action"], data["next_action_owner"], data["overdue"]) == (
        "Write",
        {"id": editor.pk, "name": "editor"},
        True,
    )
    # Anonymous readers of a public partnership see the action, not whose it is.
    assert api(None, "get", url).json()["next_action_owner"] is None


def test_refusals(partnership, editor, viewer, outsider, affiliate, api):
    private = make_partnership(lead=affiliate, visibility="private")
    start_progress(private)
    assert api(outsider, "get", f"/api/v1/partnerships/{private.pk}/progress").status_code == 404
    url = f"/api/v1/partnerships/{partnership.pk}/progress"
    assert api(viewer, "post", url, {}).status_code == 403
    progress = start_progress(partnership)
    etag = f'"{progress.pk}-{progress.version}"'
    other = make_lifecycle(OrganizationFactory(), "wmde_data").steps.first()
    refused = api(editor, "post", f"{url}/moves", {"step": other.pk}, **{"If-Match": etag})
    assert refused.status_code == 422
    extra = api(editor, "patch", url, {"version": 9}, **{"If-Match": etag})
    assert extra.status_code == 422
    assert api(editor, "post", url, {}).status_code == 422  # started already
    foreign = api(
        editor,
        "patch",
        url,
        {"next_action": "Call", "next_action_owner": outsider.pk},
        **{"If-Match": etag},
    )
    assert foreign.status_code == 422
    assert [e["path"] for e in foreign.json()["errors"]] == ["next_action_owner"]


def test_read_the_lifecycles(affiliate, api):
    lifecycle = make_lifecycle(affiliate, "partnering_cycle")
    listed = api(None, "get", f"/api/v1/organizations/{affiliate.pk}/lifecycles")
    assert listed.status_code == 200
    (item,) = listed.json()
    assert item["id"] == lifecycle.pk
    assert item["default"] is True
    assert [s["key"] for s in item["steps"]] == [
        "scoping_building",
        "managing_maintaining",
        "reviewing_revising",
        "sustaining_outcomes",
    ]
    assert item["steps"][0]["milestone"] == "agreement"
    assert item["steps"][0]["tools"][0]["url"].startswith("http://zbidf.org/")
    detail = api(None, "get", f"/api/v1/lifecycles/{lifecycle.pk}")
    assert detail.json() == item
    assert api(None, "get", "/api/v1/lifecycles/999999").status_code == 404


def test_moving_on_through_the_api_ends_the_partnership(partnership, editor, api):
    progress = start_progress(partnership, on=D(2026, 1, 1))
    url = f"/api/v1/partnerships/{partnership.pk}/progress"
    etag = f'"{progress.pk}-{progress.version}"'
    body = {"celebration": "A party", "completed_on": "2026-06-30", "end_partnership": True}
    early = api(editor, "put", f"{url}/moving-on", body, **{"If-Match": etag})
    assert early.status_code == 422  # not in the moving-on step yet
    moved = api(
        editor,
        "post",
        f"{url}/moves",
        {"step": step_of(progress.lifecycle, "follow_up_or_exit").pk, "on": "2026-06-01"},
        **{"If-Match": etag},
    )
    saved = api(editor, "put", f"{url}/moving-on", body, **{"If-Match": moved["ETag"]})
    assert saved.status_code == 200
    assert saved.json()["moving_on"] == {
        "what_goes_public": "",
        "celebration": "A party",
        "handover": "",
        "lasting_outcomes": "",
        "completed_on": "2026-06-30",
    }
    partnership.refresh_from_db()
    assert partnership.status == "completed"
