"""Wiki publishing's pages in the permission matrix: a wiki account of the affiliate (added by
its manager), a private partnership led by the affiliate and one publication of it on a wiki the
hub may not ask (so no case reaches a network: the read-back says so on the page)."""

from django.urls import reverse

from hub.core.testing.matrix import SIGN_IN, Case
from hub.partnerships.factories import make_partnership
from hub.wiki.publishing import services
from hub.wiki.publishing.models import Publication

UNASKED_WIKI = "https://wiki.invalid/w/api.php"


def setup(world):
    world.objects["wiki_connection"] = services.connection_create(
        actor=world.users["manager"],
        organization=world.affiliate,
        label="Meta bot",
        api_url="https://meta.wikimedia.org/w/api.php",
        kind="bot_password",
        username="Manager@hub",
        secret="matrix-secret-never-shown",
    )
    partnership = make_partnership(
        lead=world.affiliate, actor=world.users["editor"], visibility="private"
    )
    world.objects["wiki_partnership"] = partnership
    world.objects["wiki_publication"] = Publication.objects.create(
        kind="partnership",
        partnership=partnership,
        connection=world.objects["wiki_connection"],
        api_url=UNASKED_WIKI,
        title="Partnerships/Testland",
        revision=7,
        wikitext='{| class="wikitable"\n! Field !! Value\n|}\n',
        summary="test",
        published_by=world.users["editor"],
    )


MANAGERS = {"anonymous": SIGN_IN, "viewer": 403, "editor": 403}
PRIVATE = {"anonymous": SIGN_IN, "outsider": 404}
PUBLISH = {"anonymous": SIGN_IN, "viewer": 403, "outsider": 404}

CASES = {
    "wiki:connections": Case(lambda w: reverse("wiki:connections"), {"anonymous": SIGN_IN}, 200),
    "wiki:connection_create": Case(lambda w: reverse("wiki:connection_create"), MANAGERS, 200),
    "wiki:connection_delete": Case(
        lambda w: reverse("wiki:connection_delete", args=[w.wiki_connection.pk]),
        # a viewer does not see the affiliate's wiki accounts at all
        {**MANAGERS, "viewer": 404, "outsider": 404},
        302,
        method="post",
    ),
    "wiki:publish": Case(
        lambda w: reverse("wiki:publish", args=["partnership", w.wiki_partnership.pk]),
        PUBLISH,
        200,
    ),
    "wiki:publications": Case(
        lambda w: reverse("wiki:publications") + f"?record=partnership:{w.wiki_partnership.pk}",
        PRIVATE,
        200,
    ),
    "wiki:publication": Case(
        lambda w: reverse("wiki:publication", args=[w.wiki_publication.pk]), PRIVATE, 200
    ),
    "wiki:publication_take_back": Case(
        lambda w: reverse("wiki:publication_take_back", args=[w.wiki_publication.pk]),
        PUBLISH,
        302,
        method="post",
        data=lambda w: {"fields_chosen": ["description"]},
    ),
}

# The API's list of a record's publications (the same private partnership).
CASES["api:wiki_publication_list"] = Case(
    lambda w: reverse("api:wiki_publication_list") + f"?record=partnership:{w.wiki_partnership.pk}",
    {"anonymous": 404, "outsider": 404},
    200,
)
