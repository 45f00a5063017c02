"""Contributions and grants linked to partnerships: the services' one rule for the link, the pages'
`?partnership=` filter, and what history pages show of imports and linked partnerships."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from hub.core import history
from hub.core.models import HistoryEntry
from hub.directory.factories import OrganizationFactory
from hub.funding import services
from hub.funding.factories import make_contribution, make_grant
from hub.funding.models import InKindContribution
from hub.partnerships.factories import make_partnership

REFUSED = {"partnership": ["Choose a partnership that Wikimedia Testland (WMTL) takes part in."]}


@pytest.fixture
def theirs(other_affiliate):
    """A public partnership the affiliate takes no part in (everyone sees it)."""
    return make_partnership(lead=other_affiliate, title="Their public one")


@pytest.fixture
def ours(affiliate):
    return make_partnership(lead=affiliate, title="Our own", visibility="private")


def test_contribution_create_refuses_a_partnership_the_organization_is_not_in(
    affiliate, editor, staff, theirs
):
    for actor in (editor, staff):
        with pytest.raises(ValidationError) as caught:
            make_contribution(receiving_organization=affiliate, actor=actor, partnership=theirs)
        assert caught.value.message_dict == REFUSED
    assert not InKindContribution.objects.exists()


def test_a_hidden_partnership_gets_the_same_answer_as_a_foreign_one(
    affiliate, editor, other_affiliate
):
    hidden = make_partnership(lead=other_affiliate, title="Hidden", visibility="private")
    with pytest.raises(ValidationError) as caught:
        make_contribution(receiving_organization=affiliate, actor=editor, partnership=hidden)
    assert caught.value.message_dict == REFUSED


def test_contribution_update_checks_the_link_when_it_or_the_organization_changes(
    affiliate, other_affiliate, editor, staff, theirs, ours
):
    contribution = make_contribution(receiving_organization=affiliate, partnership=ours)
    with pytest.raises(ValidationError) as caught:
        services.contribution_update(actor=editor, contribution=contribution, partnership=theirs)
    assert caught.value.message_dict == REFUSED
    # Moved to an organization that takes no part in its partnership.
    with pytest.raises(ValidationError) as moved:
        services.contribution_update(
            actor=staff, contribution=contribution, receiving_organization=other_affiliate
        )
    assert list(moved.value.message_dict) == ["partnership"]
    saved = services.contribution_update(actor=editor, contribution=contribution, description="x")
    assert saved.partnership == ours


def test_grant_create_and_update_refuse_a_partnership_the_recipient_is_not_in(
    affiliate, editor, theirs, ours
):
    with pytest.raises(ValidationError) as caught:
        make_grant(recipient=affiliate, actor=editor, partnership=theirs)
    assert caught.value.message_dict == REFUSED
    grant = make_grant(recipient=affiliate, actor=editor, partnership=ours)
    with pytest.raises(ValidationError):
        services.grant_update(actor=editor, grant=grant, partnership=theirs)


def test_import_rows_are_held_to_the_same_rule(affiliate, editor, theirs):
    row = {
        "receiving_organization": affiliate,
        "donor_name": "Someone",
        "date": datetime.date(2024, 1, 5),
        "category": "catering",
        "value": Decimal(5),
        "currency": "EUR",
        "partnership": theirs,
    }
    with pytest.raises(services.RowError) as caught:
        services.contribution_create_many(actor=editor, rows=[row])
    assert (caught.value.index, caught.value.message_dict) == (0, REFUSED)
    with pytest.raises(ValidationError):
        services.contribution_validate(actor=editor, **row)


def test_the_form_refuses_it_for_staff_naming_the_field(client_for, staff, affiliate, theirs):
    response = client_for(staff).post(
        "/in-kind/new/",
        {
            "receiving_organization": f"#{affiliate.pk}",
            "donor_name": "Someone",
            "partnership": theirs.pk,
            "date": "2024-02-02",
            "category": "catering",
            "value": "5",
            "currency": "EUR",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["partnership"] == REFUSED["partnership"]


@pytest.mark.parametrize("url", ["/in-kind/", "/in-kind/grants/"])
def test_list_pages_count_nothing_for_an_unseen_partnership(
    url, client, affiliate, other_affiliate
):
    hidden = make_partnership(lead=other_affiliate, title="Hidden", visibility="private")
    contribution = make_contribution(receiving_organization=affiliate)
    grant = make_grant(recipient=affiliate)
    for model, record in ((InKindContribution, contribution), (type(grant), grant)):
        model.objects.filter(pk=record.pk).update(partnership=hidden)
    unseen = client.get(f"{url}?partnership={hidden.pk}")
    missing = client.get(f"{url}?partnership=987654")
    assert unseen.status_code == missing.status_code == 200
    assert unseen.context["page"].paginator.count == missing.context["page"].paginator.count == 0


def _imported(affiliate, editor, *, confidential: bool) -> InKindContribution:
    services.contribution_create_many(
        actor=editor,
        source="donations-2024.xlsx",
        rows=[
            {
                "receiving_organization": affiliate,
                "donor_name": "Someone",
                "date": datetime.date(2024, 1, 5),
                "category": "catering",
                "value": Decimal(5),
                "currency": "EUR",
                "confidential": confidential,
            }
        ],
    )
    return InKindContribution.objects.get()


def test_an_import_shows_its_file_and_count_only_to_the_organizations_members(
    affiliate, editor, viewer, outsider, anonymous
):
    contribution = _imported(affiliate, editor, confidential=False)
    member = history.read(viewer, contribution, contribution.import_entry_id)
    assert [e.action for e in member] == ["import"]
    assert {row["label"]: row["after"] for row in member[0].rows()} == {
        "In-kind contributions imported": 1,
        "From the file": "donations-2024.xlsx",
    }
    for reader in (outsider, anonymous):
        # On the contribution's page: who imported it and when, nothing of the file.
        shown = history.read(reader, contribution, contribution.import_entry_id)
        assert [(e.action, e.rows()) for e in shown] == [("import", [])]
        # On the organization's page: not at all.
        assert history.read(reader, affiliate) == []
    assert [e.action for e in history.read(viewer, affiliate)] == ["import"]


def test_a_linked_partnership_title_in_history_only_to_who_may_see_it(
    affiliate, other_affiliate, editor, outsider, anonymous
):
    make_partnership(lead=other_affiliate, title="Hidden one", visibility="private")
    make_partnership(lead=affiliate, title="Open one", partners=[OrganizationFactory()])
    contribution = make_contribution(receiving_organization=affiliate)
    history.record(
        actor=editor,
        instance=contribution,
        action=HistoryEntry.Action.CHANGE,
        before={"partnership": "Hidden one", "description": ""},
        after={"partnership": "Open one", "description": "Room"},
    )
    [change, _create] = history.read(anonymous, contribution)
    assert {r["label"]: (r["before"], r["after"]) for r in change.rows()} == {
        "Partnership": (None, "Open one"),
        "Description": ("", "Room"),
    }
    [change, _create] = history.read(outsider, contribution)
    assert {r["label"]: r["before"] for r in change.rows()}["Partnership"] == "Hidden one"


def test_the_edit_form_neither_shows_nor_drops_a_link_its_editor_may_not_see(
    client_for, editor, affiliate, other_affiliate
):
    hidden = make_partnership(lead=other_affiliate, title="Hidden one", visibility="private")
    grant = make_grant(recipient=affiliate, title="Public grant")
    type(grant).objects.filter(pk=grant.pk).update(partnership=hidden)
    client = client_for(editor)
    page = client.get(f"/in-kind/grants/{grant.pk}/edit/")
    assert page.status_code == 200
    assert b"Hidden one" not in page.content
    box = re.search(r'<input[^>]*name="partnership"[^>]*>', page.content.decode())
    assert box is not None
    assert "value=" not in box.group()
    form = page.context["form"]
    data = {
        "title": "Renamed grant",
        "funder": f"#{grant.funder_id}",
        "recipient": f"#{affiliate.pk}",
        "partnership": "",
        "amount": "5000.00",
        "currency": "EUR",
        "status": "prospect",
        "version": form.initial["version"],
    }
    assert client.post(f"/in-kind/grants/{grant.pk}/edit/", data).status_code == 302
    grant.refresh_from_db()
    assert (grant.title, grant.partnership) == ("Renamed grant", hidden)
