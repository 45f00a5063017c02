"""The assessment and role-map pages through the test client: both views side by side with their
difference, the chart's table, the CSV, who reads what, the form's bad input."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from hub.accounts.factories import MembershipFactory, UserFactory
from hub.alliances.assessments.factories import levels, make_alliance, make_assessment
from hub.alliances.assessments.models import Assessment, Score
from hub.core.models import Visibility
from hub.directory.factories import AffiliateFactory, OrganizationFactory
from hub.partnerships.factories import make_partnership
from hub.partnerships.services import ParticipantSpec

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(db):
    return AffiliateFactory(name="Wikimedia Secondland", short_code="WMSL")


@pytest.fixture
def second_editor(second):
    return MembershipFactory(
        organization=second, role="editor", user=UserFactory(username="second", first_name="Sami")
    ).user


@pytest.fixture
def alliance(affiliate, second):
    return make_alliance(members=[affiliate, second], name="Test Alliance")


@pytest.fixture
def two_views(alliance, affiliate, editor, second, second_editor):
    first = make_assessment(
        actor=editor,
        alliance=alliance,
        organization=affiliate,
        assessed_on=datetime.date(2026, 3, 1),
        scores=levels(2, common_agenda=4, backbone_support=1, mobilize_funding=None),
    )
    other = make_assessment(
        actor=second_editor,
        alliance=alliance,
        organization=second,
        assessed_on=datetime.date(2026, 3, 5),
        scores=levels(2, common_agenda=1, backbone_support=2),
    )
    return first, other


def _page(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


def _row(html: str, key: str) -> str:
    start = html.index(f'data-item="{key}"')
    return html[start : html.index("</tr>", start)]


def test_two_members_views_side_by_side_with_their_spread(client, alliance, editor, two_views):
    html = _page(
        client, editor, reverse("alliances:assessments", args=[alliance.pk])
    ).content.decode()
    assert "editor" in html
    assert "Sami" in html
    agenda = _row(html, "common_agenda")
    assert 'data-level="4"' in agenda
    assert 'data-level="1"' in agenda
    assert 'data-spread="3"' in agenda
    assert "Disagree" in agenda
    backbone = _row(html, "backbone_support")
    assert 'data-spread="1"' in backbone
    assert "Close" in backbone
    assert "Agree" in _row(html, "shared_measurement")
    funding = _row(html, "mobilize_funding")
    assert "Don't know" in funding
    assert 'data-spread=""' in funding
    assert "<svg" in html
    assert 'role="img"' in html


def test_the_chart_table_has_a_row_per_assessment_with_its_means(
    client, alliance, editor, two_views
):
    _first, _other = two_views
    html = _page(
        client, editor, reverse("alliances:assessments", args=[alliance.pk])
    ).content.decode()
    table = html[html.index('id="timeline"') :]
    assert table.index("2026-03-01") < table.index("2026-03-05")
    # first: 4 + 1 + 11 items at 2, one unknown: 27 / 13
    assert 'data-overall="2.08"' in table
    # other: 1 + 2 + 12 at 2: 27 / 14
    assert 'data-overall="1.93"' in table


def test_the_csv_has_every_score_the_reader_may_see(client, alliance, editor, outsider, two_views):
    response = _page(client, editor, reverse("alliances:assessments_csv", args=[alliance.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:6] == ["Date", "Assessor", "On behalf of", "Part", "Item", "Level"]
    assert len(rows) == 1 + 28
    agenda = [r for r in rows if r[4] == "Common agenda"]
    assert [(r[0], r[5]) for r in agenda] == [("2026-03-01", "4"), ("2026-03-05", "1")]
    client.logout()
    shut = _page(client, outsider, reverse("alliances:assessments_csv", args=[alliance.pk]))
    assert len(list(csv.reader(io.StringIO(shut.content.decode())))) == 1


def test_outsiders_and_anonymous_read_no_assessment_shared_with_the_alliance(
    client, alliance, outsider, two_views
):
    first, _ = two_views
    for user in (None, outsider):
        client.logout()
        html = _page(
            client, user, reverse("alliances:assessments", args=[alliance.pk])
        ).content.decode()
        assert "No shared assessment you can read yet." in html
        assert "Sami" not in html
        assert _page(client, user, first.get_absolute_url()).status_code == 404
        assert (
            _page(
                client, user, reverse("alliances:assessment_history", args=[first.pk])
            ).status_code
            == 404
        )


def test_a_draft_is_only_its_assessors_and_is_not_compared(
    client, alliance, affiliate, editor, viewer
):
    draft = make_assessment(
        actor=editor, alliance=alliance, organization=affiliate, sharing="draft"
    )
    mine = _page(
        client, editor, reverse("alliances:assessments", args=[alliance.pk])
    ).content.decode()
    assert "Your drafts" in mine
    assert "No shared assessment you can read yet." in mine
    client.logout()
    assert _page(client, viewer, draft.get_absolute_url()).status_code == 404


def test_a_chapter_has_no_assessment_page(client, affiliate, editor):
    assert (
        _page(client, editor, reverse("alliances:assessments", args=[affiliate.pk])).status_code
        == 404
    )
    assert _page(client, editor, reverse("alliances:roles", args=[affiliate.pk])).status_code == 404


def _form_data(**overrides):
    data = {
        "organization": "",
        "assessed_on": "2026-04-01",
        "sharing": "alliance",
        "note": "",
    }
    from hub.alliances.assessments import rubric

    for key in rubric.KEYS:
        data[f"level_{key}"] = "2"
        data[f"comment_{key}"] = ""
        data[f"evidence_{key}"] = ""
    data.update(overrides)
    return data


def test_scoring_through_the_form_with_evidence(client, alliance, affiliate, editor):
    partnership = make_partnership(
        lead=affiliate, title="Shared GLAM work", visibility=Visibility.PUBLIC
    )
    client.force_login(editor)
    url = reverse("alliances:assessment_create", args=[alliance.pk])
    response = client.post(
        url,
        _form_data(
            organization=str(affiliate.pk),
            level_common_agenda="3",
            comment_common_agenda="We wrote it down.",
            level_advance_policy="",
            evidence_common_agenda=f"http://testserver{partnership.get_absolute_url()}\n\n",
        ),
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.scores.get(item="common_agenda").level == 3
    assert assessment.scores.get(item="advance_policy").level is None
    detail = client.get(response["Location"]).content.decode()
    assert "We wrote it down." in detail
    assert f'href="{partnership.get_absolute_url()}">Shared GLAM work' in detail


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"level_common_agenda": "7"}, "level_common_agenda", "Select a valid choice"),
        ({"assessed_on": "2026-13-45"}, "assessed_on", "Enter a valid date"),
        ({"assessed_on": "2099-01-01"}, "assessed_on", "dated today or earlier"),
        (
            {"evidence_shared_measurement": "https://example.org/x"},
            "evidence_shared_measurement",
            "Line 1",
        ),
        (
            {"evidence_shared_measurement": "\n\nhttps://other.example/partnerships/1/"},
            "evidence_shared_measurement",
            "Line 3",
        ),
        (
            {"evidence_shared_measurement": "/partnerships/999999/"},
            "evidence_shared_measurement",
            "not a record you can see",
        ),
        ({"organization": "99999999999999999999"}, "organization", "Select a valid choice"),
    ],
)
def test_bad_input_is_named_and_nothing_is_saved(
    client, alliance, affiliate, editor, overrides, field, message
):
    client.force_login(editor)
    data = _form_data(**{"organization": str(affiliate.pk), **overrides})
    response = client.post(reverse("alliances:assessment_create", args=[alliance.pk]), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert not Assessment.objects.exists()
    assert not Score.objects.exists()


def test_a_stale_edit_is_refused(client, alliance, affiliate, editor):
    assessment = make_assessment(actor=editor, alliance=alliance, organization=affiliate)
    client.force_login(editor)
    url = reverse("alliances:assessment_edit", args=[assessment.pk])
    data = _form_data(organization=str(affiliate.pk), version="1", assessed_on="2026-01-15")
    Assessment.objects.filter(pk=assessment.pk).update(version=2)
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Someone else saved this assessment" in response.content.decode()


def test_the_role_map_counts_only_partnerships_the_reader_sees(
    client, alliance, affiliate, second, editor, outsider
):
    museum = OrganizationFactory(name="City Museum")
    funder = OrganizationFactory(name="Culture Fund", kind="funder")
    make_partnership(
        lead=affiliate,
        title="Open",
        partners=[ParticipantSpec(museum, "host")],
        visibility=Visibility.PUBLIC,
    )
    make_partnership(
        lead=affiliate,
        title="Closed",
        partners=[ParticipantSpec(funder, "funder"), ParticipantSpec(second, "partner")],
        visibility=Visibility.PRIVATE,
    )
    url = reverse("alliances:roles", args=[alliance.pk])
    inside = _page(client, editor, url).content.decode()
    assert "Culture Fund" in inside
    unplayed = inside[inside.index('id="unplayed"') :]
    unplayed = unplayed[: unplayed.index("</ul>")]
    assert "Funder" not in unplayed
    assert "Backbone" in unplayed
    assert "Host" not in unplayed
    client.logout()
    outside = _page(client, outsider, url).content.decode()
    assert "Culture Fund" not in outside
    unplayed = outside[outside.index('id="unplayed"') :]
    assert "Funder" in unplayed[: unplayed.index("</ul>")]
    rows = list(
        csv.reader(
            io.StringIO(
                _page(
                    client, outsider, reverse("alliances:roles_csv", args=[alliance.pk])
                ).content.decode()
            )
        )
    )
    assert rows[0][:4] == ["Organization", "Kind", "Member", "Lead"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["Wikimedia Testland"][3] == "1"  # lead of the open one only
    assert by_name["Wikimedia Secondland"][2] == "yes"
    assert by_name["Wikimedia Secondland"][-1] == "0"
    assert "Culture Fund" not in by_name


def test_the_organization_page_of_an_alliance_links_its_assessments(client, alliance, affiliate):
    html = client.get(alliance.get_absolute_url()).content.decode()
    assert reverse("alliances:assessments", args=[alliance.pk]) in html
    assert reverse("alliances:roles", args=[alliance.pk]) in html
    chapter = client.get(affiliate.get_absolute_url()).content.decode()
    assert "/assessments/" not in chapter


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_makes_as_many_queries_for_two_assessments_as_for_six(
    client, alliance, affiliate, editor, second, second_editor
):
    partnership = make_partnership(lead=affiliate, title="Evidence", visibility=Visibility.PUBLIC)

    def add(user, organization, day):
        scores = levels(2)
        scores["common_agenda"]["evidence"] = [("partnership", partnership.pk)]
        make_assessment(
            actor=user,
            alliance=alliance,
            organization=organization,
            assessed_on=datetime.date(2026, 1, day),
            scores=scores,
        )

    add(editor, affiliate, 1)
    add(second_editor, second, 2)
    client.force_login(editor)
    urls = [
        reverse("alliances:assessments", args=[alliance.pk]),
        reverse("alliances:assessments_csv", args=[alliance.pk]),
        reverse("alliances:roles", args=[alliance.pk]),
    ]
    few = [_queries(client, url) for url in urls]
    for day in (3, 4):
        add(editor, affiliate, day)
        add(second_editor, second, day)
    assert [_queries(client, url) for url in urls] == few


def test_the_alliances_manager_edits_without_dropping_evidence_they_cannot_see(
    client, alliance, affiliate, editor
):
    secret = make_partnership(lead=affiliate, title="Members only", visibility=Visibility.PRIVATE)
    scores = levels(2)
    scores["common_agenda"]["evidence"] = [("partnership", secret.pk)]
    assessment = make_assessment(
        actor=editor, alliance=alliance, organization=affiliate, scores=scores, sharing="movement"
    )
    coordinator = MembershipFactory(organization=alliance, role="manager").user
    client.force_login(coordinator)
    url = reverse("alliances:assessment_edit", args=[assessment.pk])
    form = client.get(url).content.decode()
    assert "Members only" not in form
    assert f"/partnerships/{secret.pk}/" not in form
    data = _form_data(organization=str(affiliate.pk), version="1", assessed_on="2026-01-15")
    data["level_common_agenda"] = "4"
    response = client.post(url, data)
    assert response.status_code == 302
    score = Score.objects.get(assessment=assessment, item="common_agenda")
    assert score.level == 4
    assert list(score.evidence.values_list("kind", "object_id")) == [("partnership", secret.pk)]


def test_deleting_an_assessment_returns_to_the_alliance(client, alliance, affiliate, editor):
    assessment = make_assessment(actor=editor, alliance=alliance, organization=affiliate)
    client.force_login(editor)
    response = client.post(reverse("alliances:assessment_delete", args=[assessment.pk]))
    assert response["Location"] == reverse("alliances:assessments", args=[alliance.pk])
    assert not Assessment.objects.exists()
