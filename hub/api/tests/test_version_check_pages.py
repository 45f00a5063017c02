"""Issue 5: the registry's page forms use the same version check as the API's If-Match."""

from hub.partnerships import services
from hub.partnerships.models import Partnership


def _form_data(partnership, museum, *, title, version):
    return {
        "title": title,
        "lead": f"#{partnership.lead_id}",
        "goals": ["content"],
        "structure": "simple",
        "status": "active",
        "scope": "local",
        "visibility": "public",
        "direction_override": "",
        "direction_override_reason": "",
        "description": "",
        "themes": "",
        "links": "",
        "version": str(version),
        "participants-TOTAL_FORMS": "1",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "50",
        "participants-0-organization": f"#{museum.pk}",
        "participants-0-role": "partner",
    }


def test_stale_form_post_is_refused_and_overwrites_nothing(client_for, editor, registry, museum):
    partnership = registry["public"]
    read_version = partnership.version
    # Someone else saves first (through the API or another tab): the version moves on.
    services.partnership_update(
        actor=editor, partnership=partnership, expected_version=read_version, title="Their title"
    )
    response = client_for(editor).post(
        f"/partnerships/{partnership.pk}/edit/",
        _form_data(partnership, museum, title="My stale title", version=read_version),
    )
    assert response.status_code == 200
    assert (
        "Someone else saved this partnership while you were editing it" in response.content.decode()
    )
    stored = Partnership.objects.get(pk=partnership.pk)
    assert (stored.title, stored.version) == ("Their title", read_version + 1)


def test_current_form_post_saves(client_for, editor, registry, museum):
    partnership = registry["public"]
    response = client_for(editor).post(
        f"/partnerships/{partnership.pk}/edit/",
        _form_data(partnership, museum, title="Fresh title", version=partnership.version),
    )
    assert response.status_code == 302
    stored = Partnership.objects.get(pk=partnership.pk)
    assert (stored.title, stored.version) == ("Fresh title", 2)


def test_stale_end_form_is_refused(client_for, editor, registry):
    partnership = registry["public"]
    services.partnership_update(actor=editor, partnership=partnership, title="Moved on")
    response = client_for(editor).post(
        f"/partnerships/{partnership.pk}/end/",
        {"status": "completed", "end_date": "2024-01-01", "reason": "", "version": "1"},
    )
    assert response.status_code == 200
    assert "Someone else changed this partnership meanwhile" in response.content.decode()
    assert Partnership.objects.get(pk=partnership.pk).status == "active"
