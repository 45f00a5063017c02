import csv

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hub.core.models import HistoryEntry
from hub.directory import services
from hub.directory.factories import OrganizationFactory
from hub.directory.models import AllianceMembership, Organization, Person
from hub.directory.reference import REFERENCE_DIR, load_reference
from hub.partnerships.factories import make_partnership

pytestmark = pytest.mark.django_db


def test_reference_data_loads_every_affiliate_with_its_verified_flag():
    load_reference()
    with (REFERENCE_DIR / "affiliates.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        org = Organization.objects.get(short_code=row["code"])
        assert org.verified == (row["verified"] == "yes"), row["code"]
        assert org.recognized_on == row["recognized_on"]
        assert org.status == row["status"]
    assert Organization.objects.get(short_code="WMPL").verified is False
    assert AllianceMembership.objects.filter(
        alliance__name="Wikimedia CEE Hub", member__short_code="WMPL", role="fiscal_sponsor"
    ).exists()


def test_reference_loader_runs_twice_without_changes():
    load_reference()
    entries = HistoryEntry.objects.count()
    counts = load_reference()
    assert counts == {"created": 0, "updated": 0, "memberships": 0}
    assert HistoryEntry.objects.count() == entries


def test_unverified_facts_are_shown_as_such(client):
    load_reference()
    response = client.get(
        reverse("directory:organization", args=[Organization.objects.get(short_code="WMSE").pk])
    )
    assert "have not been checked against a source" in response.content.decode()
    response = client.get(
        reverse("directory:organization", args=[Organization.objects.get(short_code="WMAT").pk])
    )
    assert "have not been checked against a source" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "movement"}, ["Wikimedia Testland"]),
        ({"kind": "museum"}, ["Kunsthaus"]),
        ({"country": "CH"}, ["Kunsthaus"]),
        ({"status": "former"}, ["Old Library"]),
        ({"q": "WMTL"}, ["Wikimedia Testland"]),
        ({"kind": "bogus"}, ["Kunsthaus", "Old Library", "Wikimedia Testland"]),
    ],
)
def test_directory_filters(client, affiliate, query, expected):
    OrganizationFactory(name="Kunsthaus", country="CH")
    OrganizationFactory(name="Old Library", kind="library", status="former")
    response = client.get(reverse("directory:list"), query)
    assert sorted(o.name for o in response.context["page"].object_list) == expected


def test_organization_page_lists_only_partnerships_the_viewer_may_see(
    client_for, affiliate, viewer, outsider
):
    museum = OrganizationFactory(name="Museum")
    make_partnership(lead=affiliate, partners=[museum], title="Open project")
    make_partnership(
        lead=affiliate, partners=[museum], title="Closed project", visibility="private"
    )
    url = reverse("directory:organization", args=[museum.pk])
    assert "Closed project" not in client_for(outsider).get(url).content.decode()
    assert "Closed project" in client_for(viewer).get(url).content.decode()
    assert "Open project" in client_for(None).get(url).content.decode()


def test_contact_persons_are_never_public(client_for, affiliate, editor, outsider):
    museum = OrganizationFactory(name="Museum")
    person = services.person_create(
        actor=editor,
        organization=museum,
        steward=affiliate,
        name="Dr. Curator",
        consent_note="Asked in person",
    )
    url = reverse("directory:organization", args=[museum.pk])
    assert "Dr. Curator" not in client_for(None).get(url).content.decode()
    assert "Dr. Curator" not in client_for(outsider).get(url).content.decode()
    assert "Dr. Curator" in client_for(editor).get(url).content.decode()
    assert (
        client_for(outsider).get(reverse("directory:person_edit", args=[person.pk])).status_code
        == 404
    )


def test_archiving_a_contact_keeps_it_and_its_history(client_for, affiliate, editor):
    museum = OrganizationFactory(name="Museum")
    person = services.person_create(
        actor=editor, organization=museum, steward=affiliate, name="Ada", consent_note="Yes"
    )
    client_for(editor).post(reverse("directory:person_archive", args=[person.pk]))
    person.refresh_from_db()
    assert person.archived
    assert HistoryEntry.objects.for_object(person).filter(action="archive").exists()
    assert Person.objects.filter(pk=person.pk).exists()


def test_only_staff_add_movement_organizations(editor, staff):
    with pytest.raises(PermissionDenied):
        services.organization_create(actor=editor, name="Wikimedia Nowhere", kind="chapter")
    org = services.organization_create(
        actor=staff, name="Wikimedia Nowhere", kind="chapter", short_code="WMNW"
    )
    assert org.is_movement


def test_editors_add_external_organizations_with_validated_fields(client_for, editor):
    response = client_for(editor).post(
        reverse("directory:create"),
        {
            "name": "Regional Archive",
            "kind": "archive",
            "status": "active",
            "wikidata_id": "12345",
            "recognized_on": "last year",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"wikidata_id", "recognized_on"}
    assert not Organization.objects.filter(name="Regional Archive").exists()
    response = client_for(editor).post(
        reverse("directory:create"),
        {
            "name": "Regional Archive",
            "kind": "archive",
            "status": "active",
            "wikidata_id": "Q12345",
        },
    )
    assert response.status_code == 302
    org = Organization.objects.get(name="Regional Archive")
    assert HistoryEntry.objects.for_object(org).get().actor == editor


def test_managers_edit_their_own_movement_organization_only(manager, affiliate, other_affiliate):
    services.organization_update(actor=manager, organization=affiliate, city="Graz")
    with pytest.raises(PermissionDenied):
        services.organization_update(actor=manager, organization=other_affiliate, city="Linz")
    with pytest.raises(ValidationError):
        services.organization_update(actor=manager, organization=affiliate, short_code="lowercase")
