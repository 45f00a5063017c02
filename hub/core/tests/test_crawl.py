"""The cross-persona crawl: every GET URL of the hub as every persona, looking for private markers.

The data set plants a unique marker in each kind of private fact (a private and a movement-only
partnership's title, a theme only the private partnership uses, an invitee's e-mail address, a
confidential import's file name, a contact person, a confidential contribution) and links public
records to them the way an attacker would (a public contribution and a public grant linked to the
private partnership, as the API allowed, with a history entry naming it). Each persona then fetches
every URL the permission matrix knows, the exports in every format, the API's lists and details,
the history pages, the chart CSVs and the open-data dumps; every body is decoded (XLSX and ODS
unzipped) and searched. A marker must never reach a persona who may not see it, and must reach
each one who may (so the crawl can fail). Nothing may answer 500.
"""

import datetime
import io
import zipfile
from decimal import Decimal
from typing import cast

import pytest
from django.test import Client
from django.urls import reverse

from hub.api import opendata
from hub.core import history
from hub.core.models import HistoryEntry
from hub.core.testing.matrix import PERSONAS, World, all_cases, build_world
from hub.directory.factories import OrganizationFactory
from hub.directory.models import Organization
from hub.directory.services import invitation_create, person_create
from hub.funding import services as funding
from hub.funding.factories import make_contribution, make_grant
from hub.funding.models import Grant, InKindContribution
from hub.mapping.figures import DASHBOARD, MAPPING
from hub.partnerships.factories import make_partnership
from hub.partnerships.services import themes_from_names

PRIVATE_TITLE = "Zqxprivatetitle"
MOVEMENT_TITLE = "Zqxmovementtitle"
PRIVATE_THEME = "Zqxprivatetheme"
INVITEE = "zqxinvitee@example.org"
IMPORT_FILE = "zqximportfile.xlsx"
CONTACT = "Zqxcontactperson"
CONFIDENTIAL = "Zqxconfidentialdescription"

MEMBERS = {"viewer", "editor", "manager", "staff"}
SIGNED_IN = {"viewer", "editor", "manager", "outsider", "staff"}
# Who may see each marker. The private partnership is the outsider's organization's.
SEES = {
    PRIVATE_TITLE: {"outsider", "staff"},
    MOVEMENT_TITLE: SIGNED_IN,
    PRIVATE_THEME: {"outsider", "staff"},
    INVITEE: {"manager", "staff"},
    IMPORT_FILE: MEMBERS,
    CONTACT: MEMBERS,
    CONFIDENTIAL: MEMBERS,
}


def _plant(world: World) -> dict:
    """The private facts and the public records linked to them."""
    staff, editor = world.users["staff"], world.users["editor"]
    museum = cast(Organization, OrganizationFactory(name="Crawl Museum"))
    private = make_partnership(
        lead=world.other_affiliate,
        partners=[museum],
        title=PRIVATE_TITLE,
        visibility="private",
        themes=themes_from_names([PRIVATE_THEME]),
        actor=staff,
    )
    movement = make_partnership(
        lead=world.other_affiliate,
        partners=[museum],
        title=MOVEMENT_TITLE,
        visibility="movement",
        actor=staff,
    )
    contribution = make_contribution(receiving_organization=world.affiliate, actor=editor)
    grant = make_grant(recipient=world.affiliate, title="Crawl grant", actor=editor)
    movement_grant = make_grant(recipient=world.affiliate, title="Crawl grant 2", actor=editor)
    # Linked as the API let an editor link them before, with the history entry that wrote.
    InKindContribution.objects.filter(pk=contribution.pk).update(partnership=private)
    Grant.objects.filter(pk=grant.pk).update(partnership=private)
    Grant.objects.filter(pk=movement_grant.pk).update(partnership=movement)
    for record, title in ((contribution, PRIVATE_TITLE), (movement_grant, MOVEMENT_TITLE)):
        history.record(
            actor=editor,
            instance=record,
            action=HistoryEntry.Action.CHANGE,
            before={"partnership": None},
            after={"partnership": title},
        )
    invitation_create(
        actor=world.users["manager"], organization=world.affiliate, email=INVITEE, role="editor"
    )
    funding.contribution_create_many(
        actor=editor,
        source=IMPORT_FILE,
        rows=[
            {
                "receiving_organization": world.affiliate,
                "donor_name": "A quiet donor",
                "date": datetime.date(2024, 3, 1),
                "category": "catering",
                "value": Decimal("50.00"),
                "currency": "EUR",
                "confidential": True,
            }
        ],
    )
    person_create(
        actor=editor,
        organization=museum,
        steward=world.affiliate,
        name=CONTACT,
        consent_note="Agreed by e-mail",
    )
    make_contribution(
        receiving_organization=world.affiliate,
        actor=editor,
        confidential=True,
        description=CONFIDENTIAL,
    )
    return {
        "private": private,
        "movement": movement,
        "contribution": contribution,
        "grant": grant,
        "movement_grant": movement_grant,
        "museum": museum,
    }


def _urls(world: World, planted: dict) -> list[str]:
    """Every GET URL of the matrix, and the ones that read the planted records."""
    urls = [case.url(world) for case in all_cases().values() if case.method == "get"]
    private = planted["private"].pk
    for name in ("funding:contribution_export", "funding:grant_export"):
        for fmt in ("csv", "xlsx", "ods"):
            urls += [
                f"{reverse(name)}?format={fmt}",
                f"{reverse(name)}?format={fmt}&partnership={private}",
            ]
    for name in ("funding:list", "funding:grant_list", "api:contribution_list", "api:grant_list"):
        urls += [reverse(name), f"{reverse(name)}?partnership={private}"]
    contribution, grants = (
        planted["contribution"].pk,
        [planted["grant"].pk, planted["movement_grant"].pk],
    )
    urls += [
        reverse("funding:contribution_detail", args=[contribution]),
        reverse("funding:contribution_history", args=[contribution]),
        reverse("api:contribution_detail", args=[contribution]),
        reverse("funding:contribution_edit", args=[contribution]),
        *(reverse("funding:grant_edit", args=[pk]) for pk in grants),
        *(
            reverse(name, args=[pk])
            for pk in grants
            for name in ("funding:grant_detail", "funding:grant_history", "api:grant_detail")
        ),
        *(
            reverse(name, args=[pk])
            for pk in (planted["private"].pk, planted["movement"].pk)
            for name in ("partnerships:detail", "partnerships:history", "api:partnership_detail")
        ),
        reverse("api:partnership_list"),
        reverse("api:person_list"),
        reverse("directory:organization", args=[world.affiliate.pk]),
        reverse("directory:history", args=[world.affiliate.pk]),
        reverse("directory:organization", args=[planted["museum"].pk]),
        reverse("members:list", args=[world.affiliate.pk]),
        reverse("mapping:index") + "?compare=1",
        *(reverse("mapping:chart", args=[name, "csv"]) for name in MAPPING),
        *(reverse("mapping:dashboard_chart", args=[name, "csv"]) for name in DASHBOARD),
    ]
    urls += [
        reverse("apisite:open_data_file", args=[name])
        for name in sorted(opendata.published_files(opendata.read_manifest()))
    ]
    return list(dict.fromkeys(urls))


def _text(response) -> str:
    """The body as lower-case text; a zip (XLSX, ODS) as the text of all its parts."""
    # A stream is read to its end: the test client then closes the response itself (closing it
    # here would also close the database connection, as at the end of a real request).
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body = b"\n".join(archive.read(name) for name in archive.namelist())
    return body.decode("utf-8", "replace").lower()


@pytest.fixture
def crawl_world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    planted = _plant(world)
    opendata.build()
    return world, planted


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_marker_reaches_a_persona_who_may_not_see_it(persona, crawl_world):
    world, planted = crawl_world
    client = Client()
    if world.users[persona] is not None:
        client.force_login(world.users[persona])
    found: dict[str, list[str]] = {marker: [] for marker in SEES}
    errors = []
    for url in _urls(world, planted):
        response = client.get(url)
        if response.status_code >= 500:
            errors.append(f"{url}: {response.status_code}")
            continue
        text = _text(response)
        for marker, where in found.items():
            if marker.lower() in text:
                where.append(url)
    assert not errors, f"{persona} got server errors: {errors}"
    leaks = {m: urls for m, urls in found.items() if urls and persona not in SEES[m]}
    assert not leaks, f"{persona} reads what they may not see: {leaks}"
    missing = [m for m, urls in found.items() if not urls and persona in SEES[m]]
    assert not missing, f"{persona} never read {missing}, which they may see: the crawl is blind"
