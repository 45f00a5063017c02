"""The collective-impact API: whole payloads, evidence and partnerships the caller may not see
withheld, 404 for what is not an alliance."""

import datetime
import typing

import pytest
from django.urls import reverse

from hub.alliances.assessments import rubric
from hub.alliances.assessments.factories import levels, make_alliance, make_assessment
from hub.alliances.assessments.models import Assessment, Evidence
from hub.api.endpoints import alliances_collective_schemas as shapes
from hub.core.models import Visibility
from hub.directory.factories import OrganizationFactory
from hub.partnerships.factories import make_partnership
from hub.partnerships.services import ParticipantSpec

pytestmark = pytest.mark.django_db


@pytest.fixture
def alliance(affiliate):
    return make_alliance(members=[affiliate], name="API Alliance")


def _get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_a_member_reads_the_assessment_with_its_evidence(
    client, alliance, affiliate, editor, viewer
):
    secret = make_partnership(lead=affiliate, title="Members' work", visibility=Visibility.PRIVATE)
    scores = levels(None, common_agenda=3)
    scores["common_agenda"]["comment"] = "Agreed in Berlin"
    scores["common_agenda"]["evidence"] = [("partnership", secret.pk)]
    assessment = make_assessment(
        actor=editor,
        alliance=alliance,
        organization=affiliate,
        assessed_on=datetime.date(2026, 2, 2),
        scores=scores,
        note="Round one",
    )
    url = reverse("api:alliance_assessments", kwargs={"id": alliance.pk})
    body = _get(client, viewer, url).json()
    alliance_ref = {"id": alliance.pk, "name": "API Alliance", "short_code": None}
    org_ref = {"id": affiliate.pk, "name": affiliate.name, "short_code": "WMTL"}
    expected_scores = [
        {
            "item": key,
            "part": rubric.BY_KEY[key].part,
            "level": 3 if key == "common_agenda" else None,
            "comment": "Agreed in Berlin" if key == "common_agenda" else "",
            "evidence": [
                {
                    "kind": "partnership",
                    "id": secret.pk,
                    "title": "Members' work",
                    "url": f"http://testserver/partnerships/{secret.pk}/",
                }
            ]
            if key == "common_agenda"
            else [],
        }
        for key in rubric.KEYS
    ]
    assert body == {
        "items": [
            {
                "id": assessment.pk,
                "alliance": alliance_ref,
                "assessor": "editor",
                "organization": org_ref,
                "assessed_on": "2026-02-02",
                "sharing": "alliance",
                "note": "Round one",
                "scores": expected_scores,
                "is_demo": False,
                "version": 1,
                "url": f"http://testserver/alliances/assessments/{assessment.pk}/",
            }
        ]
    }


def test_outsiders_anonymous_callers_and_chapters(client, alliance, affiliate, editor, outsider):
    make_assessment(actor=editor, alliance=alliance, organization=affiliate)
    url = reverse("api:alliance_assessments", kwargs={"id": alliance.pk})
    assert _get(client, None, url).json() == {"items": []}
    assert _get(client, outsider, url).json() == {"items": []}
    chapter = reverse("api:alliance_assessments", kwargs={"id": affiliate.pk})
    assert _get(client, outsider, chapter).status_code == 404
    assert (
        _get(
            client, outsider, reverse("api:alliance_roles", kwargs={"id": affiliate.pk})
        ).status_code
        == 404
    )


def test_the_role_map_of_what_the_caller_may_see(client, alliance, affiliate, editor, outsider):
    museum = OrganizationFactory(name="City Museum")
    make_partnership(
        lead=affiliate,
        title="Open",
        partners=[ParticipantSpec(museum, "content_provider")],
        visibility=Visibility.PUBLIC,
    )
    make_partnership(
        lead=affiliate,
        title="Closed",
        partners=[ParticipantSpec(OrganizationFactory(name="Fund"), "funder")],
        visibility=Visibility.PRIVATE,
    )
    url = reverse("api:alliance_roles", kwargs={"id": alliance.pk})
    org = {"id": affiliate.pk, "name": affiliate.name, "short_code": "WMTL"}
    assert _get(client, outsider, url).json() == {
        "alliance": {"id": alliance.pk, "name": "API Alliance", "short_code": None},
        "partnerships": 1,
        "organizations": [
            {"organization": org, "member": True, "roles": [{"role": "lead", "partnerships": 1}]},
            {
                "organization": {"id": museum.pk, "name": "City Museum", "short_code": None},
                "member": False,
                "roles": [{"role": "content_provider", "partnerships": 1}],
            },
        ],
        "unplayed": ["partner", "funder", "backbone", "host", "supporter"],
    }
    client.logout()
    inside = _get(client, editor, url).json()
    assert inside["partnerships"] == 2
    assert "funder" not in inside["unplayed"]
    assert inside["organizations"][0]["roles"] == [{"role": "lead", "partnerships": 2}]


@pytest.mark.parametrize(
    ("literal", "choices"),
    [
        (shapes.ItemKey, list(rubric.KEYS)),
        (shapes.PartName, list(rubric.PARTS)),
        (shapes.SharingName, Assessment.Sharing.values),
        (shapes.EvidenceKind, Evidence.Kind.values),
    ],
)
def test_declared_choices_match_the_models(literal, choices):
    assert list(typing.get_args(literal)) == choices
