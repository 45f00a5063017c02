"""GET /api/v1/wiki/publications?record=...: a record's publications, as whole JSON payloads."""

import pytest

from hub.partnerships.factories import make_partnership
from hub.wiki.publishing.models import Publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(affiliate, editor):
    partnership = make_partnership(lead=affiliate, actor=editor, visibility="private")
    publication = Publication.objects.create(
        kind="partnership",
        partnership=partnership,
        api_url="https://meta.wikimedia.org/w/api.php",
        title="Wikimedia Testland/Partnerships",
        revision=123,
        wikitext="{|\n|}",
        summary="Published from the Partnership Hub",
        published_by=editor,
    )
    return partnership, publication


def test_a_records_publications_are_listed(client_for, viewer, published):
    partnership, publication = published
    answer = client_for(viewer).get(
        f"/api/v1/wiki/publications?record=partnership:{partnership.pk}"
    )
    assert answer.status_code == 200
    assert answer.json() == {
        "items": [
            {
                "id": publication.pk,
                "kind": "partnership",
                "record": partnership.pk,
                "wiki": "https://meta.wikimedia.org/w/api.php",
                "title": "Wikimedia Testland/Partnerships",
                "revision": 123,
                "page_url": "https://meta.wikimedia.org/w/index.php?title=Wikimedia_Testland/Partnerships",
                "summary": "Published from the Partnership Hub",
                "overwrote": False,
                "published_at": publication.published_at.isoformat(timespec="milliseconds").replace(
                    "+00:00", "Z"
                ),
                "published_by": "editor",
            }
        ],
        "next": None,
        "notices": [],
    }


def test_an_unseen_record_is_404_and_a_bad_record_422(client_for, outsider, viewer, published):
    partnership, _publication = published
    url = f"/api/v1/wiki/publications?record=partnership:{partnership.pk}"
    assert client_for(outsider).get(url).status_code == 404
    bad = client_for(viewer).get("/api/v1/wiki/publications?record=meeting:1")
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {"path": "record", "message": "Not a record the hub publishes."}
    ]
