"""No input answers 500: numbers no database holds, repeated and garbled parameters, broken posts."""

import pytest

from hub.lifecycle.factories_agreements import make_agreement, partnership_with_partner

pytestmark = pytest.mark.django_db
BIG = "9" * 30


@pytest.mark.parametrize(
    "url",
    [
        f"/partnerships/{BIG}/agreements/",
        f"/partnerships/{BIG}/agreements/{BIG}/",
        f"/partnerships/1/agreements/{BIG}/files/{BIG}/",
        f"/partnerships/{BIG}/agreements/{BIG}/history/",
        f"/api/v1/agreements/{BIG}",
        f"/api/v1/partnerships/{BIG}/agreements",
        f"/api/v1/partnerships/{BIG}/warnings",
        f"/agreements/export/?partnership={BIG}",
        "/agreements/export/?partnership=%00&format=%00",
        "/partnerships/?needs_attention=%00",
        "/partnerships/?needs_attention=yes&needs_attention=no",
    ],
)
def test_hostile_addresses(url, client_for, viewer):
    assert client_for(viewer).get(url).status_code in (200, 404, 422)


def test_broken_posts_are_form_errors(client_for, editor, affiliate):
    partnership = partnership_with_partner(affiliate)[0]
    agreement = make_agreement(partnership)
    client = client_for(editor)
    base = f"/partnerships/{partnership.pk}/agreements/"
    for url, data in [
        (f"{base}new/", {}),
        (f"{base}new/", {"kind": "mou", "parties-TOTAL_FORMS": "x"}),
        (f"{base}new/", {"kind": "mou", "checklist-score_exit": "great", "effective_date": BIG}),
        (f"{base}{agreement.pk}/edit/", {"kind": "mou", "version": BIG}),
        (f"{base}{agreement.pk}/files/", {}),
        (f"{base}{agreement.pk}/files/", {"file": "not a file"}),
    ]:
        assert client.post(url, data).status_code == 200, url
