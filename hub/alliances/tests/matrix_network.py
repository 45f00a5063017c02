"""The network map's pages and API in the permission matrix: everyone reads their own map (a
map counts only what its viewer may see; test_network.py checks what is in it), and anyone may ask
for a computation."""

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from hub.alliances.network import services
from hub.alliances.network.graph import NetworkFilter
from hub.core.testing.matrix import Case, everyone
from hub.directory.factories import OrganizationFactory
from hub.partnerships.factories import make_partnership


def setup(world):
    """A private partnership of the affiliate with a museum, and the maps of the visitors and of
    the affiliate's members computed (the pages then draw them)."""
    museum = OrganizationFactory(name="Network Matrix Museum", kind="museum")
    make_partnership(lead=world.affiliate, partners=[museum], visibility="private")
    for persona in ("anonymous", "viewer"):
        user = world.users[persona] or AnonymousUser()
        snapshot = services.snapshot_request(actor=user, filters=NetworkFilter({}))
        services.snapshot_compute(snapshot_id=snapshot.pk)


CASES = {
    "alliances:network": Case(lambda w: reverse("alliances:network"), everyone(200)),
    "alliances:network_compute": Case(
        lambda w: reverse("alliances:network_compute"),
        everyone(302),
        method="post",
        data=lambda w: {"group": "kind"},
    ),
    "alliances:network_gexf": Case(lambda w: reverse("alliances:network_gexf"), everyone(200)),
    "alliances:network_kumu": Case(lambda w: reverse("alliances:network_kumu"), everyone(200)),
    "api:network_map": Case(lambda w: reverse("api:network_map"), everyone(200)),
}
