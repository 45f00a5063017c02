"""The network map: what each viewer's map counts, the background computation and its progress,
the downloads read back by networkx and csv, and the demo data's bridges to museums."""

import csv
import datetime
import io
import zipfile

import networkx as nx
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from hub.accounts.system import system_actor
from hub.alliances.network import services
from hub.alliances.network.graph import NetworkFilter
from hub.alliances.network.models import NetworkNode, NetworkSnapshot, scope_of
from hub.directory.factories import AffiliateFactory, OrganizationFactory
from hub.directory.services import alliance_membership_add
from hub.partnerships.factories import make_partnership

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def world(affiliate, other_affiliate):
    """WMTL works with a museum in public and, privately, with a secret library; WMOL works with
    the museum too; both are members of a hub since 2020."""
    museum = OrganizationFactory(name="City Museum", kind="museum", country="AT")
    library = OrganizationFactory(name="Secret Library", kind="library", country="DE")
    hub = AffiliateFactory(name="Test Hub", short_code="TH", kind="hub", country="")
    make_partnership(
        lead=affiliate,
        partners=[museum],
        title="Museum residency",
        start_date=datetime.date(2021, 3, 1),
        end_date=datetime.date(2022, 6, 30),
    )
    make_partnership(
        lead=affiliate, partners=[library], title="Hidden digitization", visibility="private"
    )
    make_partnership(
        lead=other_affiliate,
        partners=[museum],
        title="Photo days",
        start_date=datetime.date(2023, 1, 1),
    )
    for member in (affiliate, other_affiliate):
        alliance_membership_add(
            actor=system_actor(), alliance=hub, member=member, since=datetime.date(2020, 1, 1)
        )
    return {"museum": museum, "library": library, "hub": hub}


def _computed(user, data=None):
    filters = NetworkFilter(data or {})
    snapshot = services.snapshot_request(actor=user, filters=filters)
    return services.snapshot_compute(snapshot_id=snapshot.pk) or snapshot


def _nodes(snapshot):
    return {n.label: n for n in NetworkNode.objects.filter(snapshot=snapshot)}


def test_an_outsiders_map_has_no_tie_nor_count_of_a_private_partnership(
    world, outsider, editor, client_for
):
    theirs = _computed(outsider)
    assert "Secret Library" not in _nodes(theirs)
    assert _nodes(theirs)["Wikimedia Testland (WMTL)"].degree == 2  # the museum and the hub
    assert theirs.partnership_count == 2
    assert theirs.edge_count == 4
    page = client_for(outsider).get(reverse("alliances:network")).content.decode()
    assert "Secret Library" not in page
    assert "Hidden digitization" not in page
    assert "partnerships counted: 2" in page
    gexf = client_for(outsider).get(reverse("alliances:network_gexf")).content
    assert b"City Museum" in gexf
    assert b"Secret Library" not in gexf
    assert b"Hidden" not in gexf
    kumu = client_for(outsider).get(reverse("alliances:network_kumu")).content
    with zipfile.ZipFile(io.BytesIO(kumu)) as archive:
        text = b"".join(archive.read(name) for name in archive.namelist())
    assert b"City Museum" in text
    assert b"Secret Library" not in text
    assert b"Hidden" not in text
    api = client_for(outsider).get("/api/v1/network").json()
    assert "Secret Library" not in str(api)
    assert len(api["edges"]) == 4

    ours = _computed(editor)
    assert ours.pk != theirs.pk
    assert _nodes(ours)["Wikimedia Testland (WMTL)"].degree == 3
    assert ours.partnership_count == 3
    assert "Secret Library" in client_for(editor).get(reverse("alliances:network")).content.decode()


def test_snapshots_are_shared_only_within_a_visibility_scope(
    world, viewer, editor, outsider, staff, anonymous
):
    assert scope_of(anonymous) == "public"
    assert scope_of(staff) == "staff"
    assert scope_of(viewer) == scope_of(editor) != scope_of(outsider)
    ours = _computed(editor)
    assert NetworkSnapshot.objects.visible_to(viewer).get() == ours
    assert not NetworkSnapshot.objects.visible_to(outsider).exists()
    assert not NetworkSnapshot.objects.visible_to(anonymous).exists()
    public = _computed(anonymous)
    assert public.partnership_count == 2  # the private one is not public


def test_a_snapshot_is_not_computed_for_a_scope_its_asker_left(world, editor, affiliate):
    snapshot = services.snapshot_request(actor=editor, filters=NetworkFilter({}))
    editor.memberships.all().delete()
    assert services.snapshot_compute(snapshot_id=snapshot.pk) is None
    snapshot.refresh_from_db()
    assert snapshot.status == "failed"
    assert "ask again" in snapshot.error
    assert not snapshot.nodes.exists()


def test_the_page_queues_the_task_shows_progress_and_then_the_map(world, client_for, viewer):
    client = client_for(viewer)
    page = client.get(reverse("alliances:network")).content.decode()
    assert "has not been computed yet" in page
    response = client.post(reverse("alliances:network_compute"), {"group": "kind"})
    assert response.status_code == 302
    snapshot = NetworkSnapshot.objects.get()
    queued = DBTaskResult.objects.get(pk=snapshot.task_id)  # the database backend's queue
    assert queued.task_path == "hub.alliances.network.tasks.compute_network"
    assert queued.args_kwargs["args"] == [snapshot.pk]
    page = client.get(response["Location"]).content.decode()
    assert "Waiting for the background worker: 0% done." in page
    assert 'http-equiv="refresh"' in page
    # asked again while it waits: still one task
    client.post(reverse("alliances:network_compute"), {"group": "kind"})
    assert DBTaskResult.objects.count() == 1

    seen = []

    def watch(percent):
        seen.append(percent)
        if percent == 30:  # mid-way, the page tells how far it is
            text = client.get(response["Location"]).content.decode()
            assert "Computing: 30% done." in text
            assert "<progress" in text

    services.snapshot_compute(snapshot_id=snapshot.pk, progress=watch)
    assert seen == [5, 30, 60, 80, 100]
    page = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "<svg" in page
    assert "City Museum" in page
    assert "Organizations and their measures" in page


def test_the_worker_task_computes_the_snapshot(world, settings, client_for, anonymous):
    settings.TASKS = IMMEDIATE
    client_for(None).post(reverse("alliances:network_compute"), {"group": "sector"})
    snapshot = NetworkSnapshot.objects.get(scope="public")
    assert (snapshot.status, snapshot.progress) == ("done", 100)
    museum = _nodes(snapshot)["City Museum"]
    # the museum is between WMTL and WMOL, which are not tied (they share the hub only): an
    # itinerant between two movement organizations, both ways; the chapters each broker
    # hub - chapter - museum pairs (movement to museum)
    assert (museum.itinerant, museum.brokerage, museum.main_role) == (2, 2, "itinerant")
    assert snapshot.bridges["museum"][0][1] in (
        "Wikimedia Testland (WMTL)",
        "Wikimedia Otherland (WMOL)",
    )


def test_filters_by_alliance_years_country_and_kind(world, staff, affiliate):
    assert _computed(staff, {"year_from": "2023"}).partnership_count == 1
    by_kind = _computed(staff, {"kind": "library"})
    assert set(_nodes(by_kind)) == {"Wikimedia Testland (WMTL)", "Secret Library"}
    assert _computed(staff, {"country": "DE"}).partnership_count == 1
    alliance = _computed(staff, {"alliance": world["hub"].pk})
    assert "Test Hub (TH)" in _nodes(alliance)
    assert alliance.partnership_count == 3
    bad = NetworkFilter({"year_from": "soon", "group": "colour"})
    assert len(bad.notices) == 2
    assert bad.key == "group=kind"


def test_a_large_graph_is_drawn_by_group_and_the_table_stays_full(world, staff, client_for):
    lead = AffiliateFactory(name="Big chapter", short_code="BIG")
    for country in ("FR", "IT", "ES", "PT"):
        partners = [OrganizationFactory(kind="school", country=country) for _ in range(40)]
        make_partnership(lead=lead, partners=partners, title=f"Schools in {country}")
    snapshot = _computed(staff, {"group": "country"})
    assert snapshot.node_count > services.SUMMARIZE_OVER
    assert snapshot.drawing["summarized"]
    page = client_for(staff).get(reverse("alliances:network") + "?group=country").content.decode()
    assert "Summarized by Country" in page
    assert 'data-group="FR"' in page
    assert "France (41)" not in page
    assert "France (40)" in page
    assert "Page 1 of 4" in page
    assert page.count('<tr data-organization="') == 50


def test_gexf_has_time_spells_and_reads_back(world, staff, client_for):
    _computed(staff)
    body = client_for(staff).get(reverse("alliances:network_gexf")).content
    assert b'timeformat="date"' in body
    assert b"timestamp" not in body
    graph = nx.read_gexf(io.BytesIO(body))
    labels = {n: d["label"] for n, d in graph.nodes(data=True)}
    by_label = {v: k for k, v in labels.items()}
    tie = graph.edges[by_label["Wikimedia Testland (WMTL)"], by_label["City Museum"]]
    assert tie["spells"] == [("2021-03-01", "2022-06-30")]
    membership = graph.edges[by_label["Test Hub (TH)"], by_label["Wikimedia Otherland (WMOL)"]]
    # an open end is left out of the spell (networkx reads the missing end back as "None")
    assert membership["spells"][0][0] == "2020-01-01"
    assert b'<spell start="2020-01-01" />' in body
    assert membership["tie"] == "alliance"
    hidden = graph.edges[by_label["Wikimedia Testland (WMTL)"], by_label["Secret Library"]]
    assert "spells" not in hidden  # undated: always there
    assert graph.nodes[by_label["Wikimedia Testland (WMTL)"]]["degree"] == 3


def test_kumu_csv_reads_back(world, anonymous, client_for):
    _computed(anonymous)
    body = client_for(None).get(reverse("alliances:network_kumu")).content
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        elements = list(csv.DictReader(io.StringIO(archive.read("elements.csv").decode())))
        connections = list(csv.DictReader(io.StringIO(archive.read("connections.csv").decode())))
    labels = {row["Label"] for row in elements}
    assert labels == {
        "City Museum", "Test Hub (TH)", "Wikimedia Otherland (WMOL)", "Wikimedia Testland (WMTL)"
    }  # fmt: skip
    assert all(row["From"] in labels and row["To"] in labels for row in connections)
    residency = next(r for r in connections if r["Partnerships"] == "Museum residency")
    assert {residency["From"], residency["To"]} == {"City Museum", "Wikimedia Testland (WMTL)"}
    assert sum(r["Type"] == "alliance membership" for r in connections) == 2
    museum = next(r for r in elements if r["Label"] == "City Museum")
    assert (museum["Type"], museum["Degree"], museum["Tags"]) == ("museum", "2", "external")


def test_the_api_returns_nodes_with_measures_and_edges(world, staff, client_for):
    client = client_for(staff)
    assert client.get("/api/v1/network").json()["status"] == "not_computed"
    _computed(staff)
    answer = client.get("/api/v1/network?limit=2").json()
    assert answer["status"] == "done"
    assert answer["count"] == 5
    assert len(answer["nodes"]) == 2
    first = answer["nodes"][0]
    assert first["label"] == "Wikimedia Testland (WMTL)"
    assert set(first["roles"]) == {
        "coordinator",
        "itinerant",
        "gatekeeper",
        "representative",
        "liaison",
    }
    ids = {n["id"] for n in answer["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in answer["edges"])
    assert client.get("/api/v1/network?year_from=abc").status_code == 422


def test_the_demo_network_names_who_connects_the_movement_to_museums(client_for, settings):
    call_command("load_demo_partnerships", stdout=io.StringIO())
    settings.TASKS = IMMEDIATE
    client = client_for(None)
    response = client.post(reverse("alliances:network_compute"), {"group": "sector"})
    page = client.get(response["Location"]).content.decode()
    section = page.split('id="bridges-heading"')[1].split("</section>")[0]
    museums = section.split("To Museum")[1].split("</dd>")[0]
    assert "Wikimedia Polska (WMPL)" in museums


def test_an_alliance_page_links_to_its_own_network(world, client_for):
    hub = world["hub"]
    page = client_for(None).get(hub.get_absolute_url()).content.decode()
    assert f'href="{reverse("alliances:network")}?alliance={hub.pk}"' in page


def test_the_computed_page_runs_the_same_few_queries_whatever_its_size(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(None)
    _computed(AnonymousUser())
    with django_assert_max_num_queries(4):  # the snapshot, a page of its rows, the alliances
        small = client.get(reverse("alliances:network"))
    lead = AffiliateFactory(name="Busy chapter", short_code="BUSY")
    make_partnership(lead=lead, partners=[OrganizationFactory() for _ in range(80)])
    _computed(AnonymousUser())
    with django_assert_max_num_queries(4):
        large = client.get(reverse("alliances:network"))
    assert small.status_code == large.status_code == 200
    assert large.content.decode().count('<tr data-organization="') == 50


def test_bad_filters_are_told_and_ignored_never_an_error(world, client_for):
    client = client_for(None)
    page = client.get(reverse("alliances:network"), {"alliance": "abc", "year_to": "20x5"})
    assert page.status_code == 200
    assert "Ignored the filter “Alliance or hub”" in page.content.decode()
    response = client.post(
        reverse("alliances:network_compute"), {"alliance": "99999999999999999999"}
    )
    assert response.status_code == 302
    assert NetworkSnapshot.objects.get().filters_key == "group=kind"


def test_the_command_computes_the_public_maps(world):
    out = io.StringIO()
    call_command("compute_network", stdout=out)
    assert "group=sector: 4 organizations, 4 ties." in out.getvalue()
    assert set(NetworkSnapshot.objects.values_list("scope", "status").distinct()) == {
        ("public", "done")
    }
