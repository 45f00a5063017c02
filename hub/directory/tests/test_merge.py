"""Merging a duplicate organization into the one it duplicates (services.organization_merge)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hub.accounts.factories import MembershipFactory, UserFactory
from hub.accounts.models import Membership
from hub.core.models import HistoryEntry
from hub.directory import merging, services
from hub.directory.factories import AffiliateFactory, OrganizationFactory
from hub.directory.models import Organization, Person
from hub.funding.factories import make_contribution, make_grant, make_rate
from hub.partnerships.factories import make_partnership
from hub.partnerships.models import Participant
from hub.partnerships.services import ParticipantSpec


def _rows_per_reference(pks):
    """{(model, field): rows pointing at any of `pks`}: what a merge must keep, row for row."""
    return {
        (f.model._meta.label, f.name): f.model._base_manager.filter(
            **{f"{f.attname}__in": pks}
        ).count()
        for f in merging.references()
    }


@pytest.fixture
def pair(affiliate, editor):
    keep = OrganizationFactory(name="Stadtmuseum Graz", kind="museum", website="")
    merged = OrganizationFactory(
        name="Stadtmuseum Graz GmbH",
        kind="museum",
        website="https://www.stadtmuseum-graz.at/",
        wikidata_id="Q99",
    )
    return keep, merged


@pytest.mark.django_db
def test_a_merge_keeps_every_related_row_of_both(pair, affiliate, staff):
    keep, merged = pair
    make_partnership(lead=affiliate, partners=[keep])
    make_partnership(lead=affiliate, partners=[merged])
    make_contribution(receiving_organization=affiliate, donor_organization=merged)
    make_contribution(receiving_organization=affiliate, donor_organization=keep)
    make_grant(recipient=affiliate, funder=merged)
    make_rate(organization=merged)
    Person.objects.create(
        organization=merged, steward=affiliate, name="Ada", consent_note="by e-mail"
    )
    services.organization_update(actor=staff, organization=merged, description="Old text")
    before = _rows_per_reference([keep.pk, merged.pk])
    history_before = HistoryEntry.objects.filter(
        object_id__in=[keep.pk, merged.pk], content_type__model="organization"
    ).count()
    # repr: a row holds a dict (wikidata_labels), which a set cannot hold
    others_before = set(
        map(repr, Organization.objects.exclude(pk__in=[keep.pk, merged.pk]).values_list())
    )

    moved = services.organization_merge(actor=staff, keep=keep, merged=merged)

    assert not Organization.objects.filter(pk=merged.pk).exists()
    assert _rows_per_reference([keep.pk]) == before
    assert moved["participants (organization)"] == 1
    keep.refresh_from_db()
    # keep takes the facts it lacked, keeps its own name
    assert (keep.name, keep.website, keep.wikidata_id, keep.description) == (
        "Stadtmuseum Graz",
        "https://www.stadtmuseum-graz.at/",
        "Q99",
        "Old text",
    )
    org_type = HistoryEntry.objects.filter(object_id=keep.pk, content_type__model="organization")
    # merged's entries are keep's now, plus the merge itself
    assert org_type.count() == history_before + 1
    entry = org_type.first()
    assert entry.actor == staff
    assert entry.changes["merged_from"] == [None, f"Stadtmuseum Graz GmbH (#{merged.pk})"]
    assert entry.changes["wikidata_id"] == ["", "Q99"]
    # nothing else changed
    assert set(map(repr, Organization.objects.exclude(pk=keep.pk).values_list())) == others_before


@pytest.mark.django_db
def test_a_partnership_in_which_both_take_part_keeps_one_participant_and_its_lead(affiliate, staff):
    keep = AffiliateFactory(name="Wikimedia Testland UG", kind="user_group")
    library = OrganizationFactory(name="Library")
    partnership = make_partnership(lead=affiliate, partners=[keep, ParticipantSpec(library)])
    other = make_partnership(lead=keep, partners=[affiliate])
    services.organization_merge(actor=staff, keep=keep, merged=affiliate)
    partnership.refresh_from_db()
    assert partnership.lead == keep
    roles = dict(
        Participant.objects.filter(partnership=partnership).values_list("organization", "role")
    )
    assert roles == {keep.pk: "lead", library.pk: Participant.Role.PARTNER}
    roles = dict(Participant.objects.filter(partnership=other).values_list("organization", "role"))
    assert roles == {keep.pk: "lead"}


@pytest.mark.django_db
def test_a_movement_organization_is_merged_only_into_a_movement_organization(affiliate, staff):
    museum = OrganizationFactory(name="Wikimedia Testland")
    with pytest.raises(ValidationError) as caught:
        services.organization_merge(actor=staff, keep=museum, merged=affiliate)
    assert caught.value.error_list[0].code == "movement"


@pytest.mark.django_db
def test_a_member_of_both_keeps_the_higher_role(affiliate, staff):
    keep = OrganizationFactory(name="Wikimedia Testland UG", kind="user_group")
    person = UserFactory(username="both")
    MembershipFactory(organization=keep, user=person, role="viewer")
    MembershipFactory(organization=affiliate, user=person, role="manager")
    only_there = MembershipFactory(organization=affiliate, role="editor").user
    services.organization_merge(actor=staff, keep=keep, merged=affiliate)
    roles = dict(Membership.objects.filter(organization=keep).values_list("user", "role"))
    assert roles[person.pk] == "manager"
    assert roles[only_there.pk] == "editor"
    assert Membership.objects.filter(user=person).count() == 1


@pytest.mark.django_db
def test_rows_that_disagree_stop_the_merge_and_nothing_moves(pair, staff):
    keep, merged = pair
    make_rate(organization=keep, amount="20.00")
    make_rate(organization=merged, amount="25.00")  # same category, unit and start
    before = _rows_per_reference([keep.pk, merged.pk])
    with pytest.raises(ValidationError) as caught:
        services.organization_merge(actor=staff, keep=keep, merged=merged)
    assert caught.value.error_list[0].code == "merge_conflict"
    assert Organization.objects.filter(pk=merged.pk).exists()
    assert _rows_per_reference([keep.pk, merged.pk]) == before


@pytest.mark.django_db
def test_organizations_linked_to_each_other_are_not_merged(affiliate, staff):
    keep, merged = affiliate, AffiliateFactory()
    make_grant(recipient=keep, funder=merged)
    with pytest.raises(ValidationError):
        services.organization_merge(actor=staff, keep=keep, merged=merged)
    with pytest.raises(ValidationError):
        services.organization_merge(actor=staff, keep=keep, merged=keep)


@pytest.mark.django_db
def test_merging_needs_both_organizations_facts(pair, affiliate, viewer, editor, manager):
    keep, merged = pair
    with pytest.raises(PermissionDenied):
        services.organization_merge(actor=viewer, keep=keep, merged=merged)
    # An editor changes external organizations' facts, not a movement organization's.
    with pytest.raises(PermissionDenied):
        services.organization_merge(actor=editor, keep=keep, merged=affiliate)
    services.organization_merge(actor=editor, keep=keep, merged=merged)
    assert not Organization.objects.filter(pk=merged.pk).exists()


@pytest.mark.django_db
def test_a_stale_confirmation_is_refused(pair, staff):
    keep, merged = pair
    token = merging.merge_token(keep, merged)
    make_partnership(partners=[merged])
    with pytest.raises(ValidationError) as caught:
        services.organization_merge(actor=staff, keep=keep, merged=merged, token=token)
    assert caught.value.error_list[0].code == "stale"


# --- the pages ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_duplicates_page_lists_only_pairs_the_viewer_may_merge(client, pair, affiliate, editor):
    keep, merged = pair
    OrganizationFactory(name="Wikimedia Testland e.V.", kind="chapter")  # movement: not theirs
    client.force_login(editor)
    response = client.get(reverse("directory:duplicates"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Stadtmuseum Graz GmbH" in page
    assert reverse("directory:merge", args=[keep.pk, merged.pk]) in page
    assert reverse("directory:merge", args=[merged.pk, keep.pk]) in page
    assert "Wikimedia Testland e.V." not in page


@pytest.mark.django_db
def test_merge_page_shows_what_moves_and_merges_on_post(client, pair, affiliate, editor):
    keep, merged = pair
    make_partnership(lead=affiliate, partners=[merged])
    client.force_login(editor)
    url = reverse("directory:merge", args=[keep.pk, merged.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "participants (organization): 1" in response.content.decode()
    assert Organization.objects.filter(pk=merged.pk).exists()  # GET changes nothing
    response = client.post(url, {"token": response.context["token"]})
    assert response.status_code == 302
    assert response["Location"] == keep.get_absolute_url()
    assert not Organization.objects.filter(pk=merged.pk).exists()


@pytest.mark.django_db
def test_merge_page_refuses_a_stale_or_missing_token(client, pair, editor):
    keep, merged = pair
    client.force_login(editor)
    url = reverse("directory:merge", args=[keep.pk, merged.pk])
    assert client.post(url, {"token": "old"}).status_code == 409
    assert client.post(url).status_code == 409
    assert Organization.objects.filter(pk=merged.pk).exists()


@pytest.mark.django_db
def test_merge_page_answers_404_and_403(client, pair, viewer, editor, affiliate):
    keep, merged = pair
    client.force_login(editor)
    assert client.get(reverse("directory:merge", args=[keep.pk, 999999])).status_code == 404
    assert client.get(reverse("directory:merge", args=[keep.pk, keep.pk])).status_code == 404
    assert client.get(reverse("directory:merge", args=[keep.pk, affiliate.pk])).status_code == 403
    client.force_login(viewer)
    assert client.get(reverse("directory:merge", args=[keep.pk, merged.pk])).status_code == 403
    assert client.get(reverse("directory:duplicates")).status_code == 403


@pytest.mark.django_db
def test_the_directory_links_the_duplicates_page_for_those_who_may_merge(client, editor, viewer):
    OrganizationFactory(name="Stadtmuseum Graz", kind="museum")  # editors change external ones
    link = reverse("directory:duplicates")
    assert link not in client.get(reverse("directory:list")).content.decode()
    client.force_login(viewer)
    assert link not in client.get(reverse("directory:list")).content.decode()
    client.force_login(editor)
    response = client.get(reverse("directory:list"))
    assert link in response.content.decode()
