import dataclasses
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from hub.core.models import HistoryEntry
from hub.directory.factories import AffiliateFactory, OrganizationFactory
from hub.partnerships import services
from hub.partnerships.bulk import Checker, PartnershipRow, RowError, partnership_create_many
from hub.partnerships.models import (
    Participant,
    Partnership,
    PartnershipLink,
    Theme,
    WikimediaProject,
)
from hub.partnerships.services import ParticipantSpec

pytestmark = pytest.mark.django_db

SOURCE = {"source": [None, "partnerships.xlsx"]}


def project(code: str) -> WikimediaProject:
    return WikimediaProject.objects.get_or_create(code=code, defaults={"name": code.title()})[0]


def row_for(lead, **fields) -> PartnershipRow:
    fields.setdefault("title", "Scans of the archive")
    if "participants" not in fields:
        fields["participants"] = (ParticipantSpec(OrganizationFactory.create(name="Museum")),)
    fields.setdefault("goals", frozenset({"content"}))
    return PartnershipRow(lead=lead, **fields)


def create_single(actor, row: PartnershipRow) -> Partnership:
    """What the pages do with the same input: projects by code, themes by name."""
    values = dataclasses.asdict(row)
    # asdict copies the organizations inside the specs; the row's own objects are wanted.
    values["participants"] = list(row.participants)
    values["lead"] = row.lead
    values["projects"] = [WikimediaProject.objects.get(code=code) for code in row.projects]
    values["themes"] = services.themes_from_names(row.themes)
    return services.partnership_create(actor=actor, **values)


def create_bulk(actor, row: PartnershipRow) -> Partnership:
    (pk,) = partnership_create_many(actor=actor, rows=[row], history_changes=SOURCE)
    return Partnership.objects.get(pk=pk)


def refusal(create, actor, row: PartnershipRow) -> tuple[str, object]:
    """How `create` refuses the row: ("denied", message) or ("invalid", {field: messages})."""
    with pytest.raises((ValidationError, PermissionDenied)) as caught, transaction.atomic():
        create(actor, row)
    error = caught.value
    if isinstance(error, RowError):
        assert error.index == 0
        error = error.error
    if isinstance(error, PermissionDenied):
        return "denied", str(error)
    assert isinstance(error, ValidationError)
    return "invalid", error.message_dict


# (field the refusal names, actor persona, the row's fields besides the lead's)
REFUSED = {
    "title blank": ("title", "editor", {"title": ""}),
    "title too long": ("title", "editor", {"title": "x" * 201}),
    "lead outside the movement": ("lead", "staff", {"lead": "museum"}),
    "no participant": ("participants", "editor", {"participants": ()}),
    "participant twice": ("participants", "editor", {"participants": "twice"}),
    "participant as lead": ("participants", "editor", {"participants": "as lead"}),
    "lead among participants": ("participants", "editor", {"participants": "the lead"}),
    "no goal": ("goals", "editor", {"goals": frozenset()}),
    "unknown goal only": ("goals", "editor", {"goals": frozenset({"fame"})}),
    "link not on the web": ("links", "editor", {"links": (("Files", "ftp://example.org/x"),)}),
    "link without address": ("links", "editor", {"links": (("Files", ""),)}),
    "end before start": (
        "end_date",
        "editor",
        {"start_date": datetime.date(2024, 5, 1), "end_date": datetime.date(2024, 4, 1)},
    ),
    "unknown status": ("status", "editor", {"status": "dormant"}),
    "unknown scope": ("scope", "editor", {"scope": "galactic"}),
    "unknown structure": ("structure", "editor", {"structure": "tangled"}),
    "unknown visibility": ("visibility", "editor", {"visibility": "secret"}),
    "viewer may not start": (None, "viewer", {}),
    "outsider may not start": (None, "outsider", {}),
}


def refused_row(request, affiliate, fields: dict) -> PartnershipRow:
    fields = dict(fields)
    museum = OrganizationFactory.create(name="Museum")
    if fields.get("lead") == "museum":
        fields["lead"] = OrganizationFactory.create(name="Gallery")
    specs = {
        "twice": (ParticipantSpec(museum), ParticipantSpec(museum, "funder")),
        "as lead": (ParticipantSpec(museum, Participant.Role.LEAD),),
        "the lead": (ParticipantSpec(affiliate),),
    }
    if isinstance(fields.get("participants"), str):
        fields["participants"] = specs[fields["participants"]]
    fields.setdefault("participants", (ParticipantSpec(museum),))
    return row_for(fields.pop("lead", affiliate), **fields)


@pytest.mark.parametrize("create", [create_single, create_bulk], ids=["single", "bulk"])
@pytest.mark.parametrize("case", REFUSED.values(), ids=REFUSED.keys())
def test_refused_row_names_its_field_and_writes_nothing(create, case, request, affiliate):
    field, persona, fields = case
    actor = request.getfixturevalue(persona)
    kind, detail = refusal(create, actor, refused_row(request, affiliate, fields))
    if field is None:
        assert (kind, detail) == (
            "denied",
            "You can start partnerships only for organizations you edit for.",
        )
    else:
        assert kind == "invalid"
        assert isinstance(detail, dict)
        assert field in detail
    assert not Partnership.objects.exists()
    assert not Participant.objects.exists()


@pytest.mark.parametrize("case", REFUSED.values(), ids=REFUSED.keys())
def test_single_and_bulk_refuse_the_same_row_the_same_way(case, request, affiliate):
    _field, persona, fields = case
    actor = request.getfixturevalue(persona)
    row = refused_row(request, affiliate, fields)
    assert refusal(create_bulk, actor, row) == refusal(create_single, actor, row)


def test_checker_refuses_as_the_create_does_and_writes_nothing(editor, viewer, affiliate):
    row = row_for(affiliate, title="")
    with pytest.raises(ValidationError) as caught:
        Checker(editor).check(row)
    assert "title" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        Checker(viewer).check(row_for(affiliate))
    Checker(editor).check(row_for(affiliate))
    assert not Partnership.objects.exists()


def test_an_unknown_project_code_is_named(editor, affiliate):
    project("commons")
    row = row_for(affiliate, projects=("commons", "wikiplanet", "wikimoon"))
    with pytest.raises(RowError) as caught:
        partnership_create_many(actor=editor, rows=[row])
    assert caught.value.message_dict == {
        "projects": [
            "There is no Wikimedia project with the code wikiplanet.",
            "There is no Wikimedia project with the code wikimoon.",
        ]
    }


def test_refused_lead_is_the_row_errors_lead(viewer, affiliate):
    with pytest.raises(RowError) as caught:
        partnership_create_many(actor=viewer, rows=[row_for(affiliate)])
    assert isinstance(caught.value.error, PermissionDenied)
    assert list(caught.value.message_dict) == ["lead"]


def five_rows(affiliate, bad: int) -> list[PartnershipRow]:
    return [
        row_for(
            affiliate,
            title="" if number == bad else f"Partnership {number}",
            themes=(f"Theme {number}",),
            links=(("Page", f"https://example.org/{number}"),),
        )
        for number in range(5)
    ]


def test_a_bad_row_refuses_all_rows_when_the_callers_block_rolls_back(editor, affiliate):
    rows = five_rows(affiliate, bad=2)
    with pytest.raises(RowError) as caught, transaction.atomic():
        # Batches of two: the first two partnerships are written before row 3 is read.
        partnership_create_many(actor=editor, rows=rows, batch_size=2)
    assert caught.value.index == 2
    assert "title" in caught.value.message_dict
    assert not Partnership.objects.exists()
    assert not Participant.objects.exists()
    assert not PartnershipLink.objects.exists()
    assert not Theme.objects.exists()
    assert not HistoryEntry.objects.filter(action=HistoryEntry.Action.IMPORT).exists()


def test_a_caller_that_catches_the_row_error_keeps_no_earlier_batch(editor, affiliate):
    rows = five_rows(affiliate, bad=2)
    with transaction.atomic():
        with pytest.raises(RowError):
            partnership_create_many(actor=editor, rows=rows, batch_size=2)
        assert not Partnership.objects.exists()
        assert not Theme.objects.exists()


def described(partnership: Partnership) -> dict:
    """Everything partnership_create decides about a partnership, without its id and times."""
    skip = {"id", "created_at", "updated_at"}
    return {
        "fields": {
            f.attname: getattr(partnership, f.attname)
            for f in Partnership._meta.concrete_fields
            if f.name not in skip
        },
        "participants": sorted(partnership.participants.values_list("organization_id", "role")),
        "projects": sorted(partnership.projects.values_list("code", flat=True)),
        "themes": sorted(partnership.themes.values_list("slug", "name")),
        "links": list(partnership.links.values_list("label", "url")),
    }


@pytest.mark.parametrize(
    "partners",
    [
        pytest.param(lambda: (ParticipantSpec(AffiliateFactory.create()),), id="internal"),
        pytest.param(
            lambda: (
                ParticipantSpec(OrganizationFactory.create(name="Museum"), "funder"),
                ParticipantSpec(AffiliateFactory.create(name="Wikimedia Nearby"), "host"),
            ),
            id="external",
        ),
    ],
)
def test_created_rows_equal_what_partnership_create_makes(partners, editor, affiliate):
    Theme.objects.create(name="Open data", slug="open-data")
    project("commons")
    project("wikidata")
    fields = {
        "participants": partners(),
        "goals": frozenset({"content", "advocacy"}),
        "structure": Partnership.Structure.COMPLEX,
        "status": Partnership.Status.PROSPECT,
        "scope": Partnership.Scope.NATIONAL,
        "visibility": "movement",
        "description": "Scanning the photo archive.",
        "start_date": datetime.date(2024, 1, 15),
        "end_date": datetime.date(2025, 6, 30),
        "projects": ("wikidata", "commons", "wikidata"),
        "themes": ("open  data", "GLAM", "glam", "[]"),
        "links": (("", "https://example.org/scans"), ("Report", "https://example.org/report")),
    }
    single = create_single(editor, row_for(affiliate, title="Scans", **fields))
    bulk = create_bulk(editor, row_for(affiliate, title="Scans", **fields))
    assert described(bulk) == described(single)
    assert bulk.direction == single.direction
    assert Theme.objects.count() == 2  # "GLAM" created once, "open  data" found
    made = HistoryEntry.objects.for_object(single).get()
    imported = HistoryEntry.objects.for_object(bulk).get()
    assert (made.action, imported.action) == ("create", "import")
    assert imported.actor == editor
    assert imported.changes == {**made.changes, **SOURCE}


def test_themes_are_found_or_created_once_per_call(editor, affiliate):
    rows = [
        row_for(affiliate, title=f"Partnership {n}", themes=(name,))
        for n, name in enumerate(["Open  Data", "open data", "Open-Data", "Maps"])
    ]
    ids = partnership_create_many(actor=editor, rows=rows, batch_size=3)
    assert sorted(Theme.objects.values_list("name", "slug")) == [
        ("Maps", "maps"),
        ("Open Data", "open-data"),
    ]
    themes = [Partnership.objects.get(pk=pk).themes.get().slug for pk in ids]
    assert themes == ["open-data", "open-data", "open-data", "maps"]


def test_ids_come_back_in_row_order(editor, affiliate):
    rows = [row_for(affiliate, title=f"Partnership {n}") for n in range(7)]
    ids = partnership_create_many(actor=editor, rows=rows, batch_size=3)
    titles = dict(Partnership.objects.values_list("pk", "title"))
    assert [titles[pk] for pk in ids] == [f"Partnership {n}" for n in range(7)]


def many_rows(affiliate, partners, count: int) -> list[PartnershipRow]:
    return [
        row_for(
            affiliate,
            title=f"Partnership {n}",
            participants=tuple(ParticipantSpec(org) for org in partners),
            projects=("commons",),
            themes=("Open data", "Maps"),
            links=(("Page", f"https://example.org/{n}"),),
        )
        for n in range(count)
    ]


def test_query_count_does_not_grow_with_rows(editor, affiliate, django_assert_max_num_queries):
    project("commons")
    Theme.objects.create(name="Open data", slug="open-data")
    Theme.objects.create(name="Maps", slug="maps")
    partners = OrganizationFactory.create_batch(3)
    with CaptureQueriesContext(connection) as few:
        partnership_create_many(actor=editor, rows=many_rows(affiliate, partners, 10))
    with django_assert_max_num_queries(len(few.captured_queries)):
        partnership_create_many(actor=editor, rows=many_rows(affiliate, partners, 200))
    assert Partnership.objects.count() == 210
    assert Participant.objects.count() == 210 * 4
    assert HistoryEntry.objects.filter(action=HistoryEntry.Action.IMPORT).count() == 210
