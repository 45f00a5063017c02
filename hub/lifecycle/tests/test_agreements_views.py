"""The agreement pages: forms, uploads, downloads, and what an outsider never gets."""

import csv
import io

import pytest
from django.urls import reverse

from hub.core.models import Visibility
from hub.core.testing import officefiles as files
from hub.lifecycle.agreements import services
from hub.lifecycle.agreements.models import Agreement
from hub.lifecycle.factories_agreements import make_agreement, partnership_with_partner
from hub.partnerships.models import Partnership

pytestmark = pytest.mark.django_db
SECRETS = ("Ada Secret", "1 Hidden Lane", "VRT-778899", "Clause note secret", "secret.pdf")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world(affiliate):
    partnership, partner = partnership_with_partner(affiliate, title="Glass plates")
    agreement = make_agreement(
        partnership,
        title="Glass MoU",
        status="signed",
        licence="vrt",
        vrt_ticket="VRT-778899",
        parties=[
            {"organization": affiliate, "signatory_name": "Ada Secret", "address": "1 Hidden Lane"},
            {"organization": partner},
        ],
        checklist={"exit": {"score": "partly", "note": "Clause note secret"}},
    )
    from hub.accounts.system import system_actor

    services.agreement_file_add(
        actor=system_actor(), agreement=agreement, file=files.upload("secret.pdf", files.PDF)
    )
    return partnership, agreement


def _url(name, agreement, *extra):
    return reverse(f"lifecycle:{name}", args=[agreement.partnership_id, agreement.pk, *extra])


def _export_text(client, **params):
    response = client.get(reverse("lifecycle:agreement_export"), {"format": "csv", **params})
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_members_see_the_details(client_for, viewer, world):
    _, agreement = world
    client = client_for(viewer)
    page = client.get(_url("agreement_detail", agreement)).content.decode()
    for secret in SECRETS:
        assert secret in page
    assert agreement.files.get().sha256 in page
    download = client.get(_url("agreement_file_download", agreement, 1))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == files.PDF
    assert "Ada Secret" in client.get(_url("agreement_history", agreement)).content.decode()
    assert "VRT-778899" in _export_text(client)


@pytest.mark.parametrize("persona", ["outsider", None])
def test_an_outsider_gets_none_of_the_details(client_for, request, persona, world):
    _, agreement = world
    client = client_for(request.getfixturevalue(persona) if persona else None)
    page = client.get(_url("agreement_detail", agreement))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Glass MoU" in text  # that it exists, its type and status
    history = client.get(_url("agreement_history", agreement)).content.decode()
    exported = _export_text(client)
    assert "Glass MoU" in exported
    for secret in SECRETS:
        assert secret not in text
        assert secret not in history
        assert secret not in exported
    assert client.get(_url("agreement_file_download", agreement, 1)).status_code == 404
    assert client.get(_url("agreement_file_download", agreement, 2)).status_code == 404


def test_a_private_partnerships_agreement_is_404(client_for, outsider, world):
    partnership, agreement = world
    Partnership.objects.filter(pk=partnership.pk).update(visibility=Visibility.PRIVATE)
    client = client_for(outsider)
    for name in ("agreement_detail", "agreement_history"):
        assert client.get(_url(name, agreement)).status_code == 404
    assert client.get(_url("agreement_file_download", agreement, 1)).status_code == 404
    list_url = reverse("lifecycle:agreement_list", args=[partnership.pk])
    assert client.get(list_url).status_code == 404
    assert "Glass MoU" not in _export_text(client)
    assert "Glass MoU" not in _export_text(client, partnership=str(partnership.pk))


def test_an_agreement_under_another_partnerships_address_is_404(
    client_for, viewer, world, affiliate
):
    _, agreement = world
    other = partnership_with_partner(affiliate, title="Other")[0]
    url = reverse("lifecycle:agreement_detail", args=[other.pk, agreement.pk])
    assert client_for(viewer).get(url).status_code == 404


def test_public_details_show_to_everyone(client_for, world):
    _, agreement = world
    Agreement.objects.filter(pk=agreement.pk).update(details_public=True)
    page = client_for(None).get(_url("agreement_detail", agreement)).content.decode()
    assert "Ada Secret" in page


def test_viewers_may_not_edit(client_for, viewer, outsider, world):
    partnership, agreement = world
    for user in (viewer, outsider):
        client = client_for(user)
        assert client.get(_url("agreement_edit", agreement)).status_code == 403
        assert client.get(_url("agreement_file_upload", agreement)).status_code == 403
        assert (
            client.get(reverse("lifecycle:agreement_create", args=[partnership.pk])).status_code
            == 403
        )


def _form(partnership, **overrides):
    data = {
        "kind": "mou",
        "title": "New MoU",
        "status": "draft",
        "licence": "",
        "parties-TOTAL_FORMS": "2",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "20",
        "parties-0-organization": str(partnership.lead_id),
        "parties-0-signatory_name": "Ada",
        "parties-1-organization": "",
        "checklist-score_exit": "fully",
        "checklist-note_exit": "Three months",
    }
    data.update(overrides)
    return data


def test_an_editor_records_and_edits_an_agreement(client_for, editor, affiliate):
    partnership = partnership_with_partner(affiliate)[0]
    client = client_for(editor)
    response = client.post(
        reverse("lifecycle:agreement_create", args=[partnership.pk]), _form(partnership)
    )
    agreement = Agreement.objects.get(title="New MoU")
    assert response.status_code == 302
    assert response["Location"] == agreement.get_absolute_url()
    assert agreement.parties.get().signatory_name == "Ada"
    assert agreement.checklist.get(topic="exit").score == "fully"
    assert agreement.checklist.count() == 9
    edit = client.get(_url("agreement_edit", agreement)).content.decode()
    assert 'value="Ada"' in edit
    data = _form(
        partnership,
        title="Renamed",
        version="1",
        **{"parties-0-signatory_name": "Ada Lovelace", "parties-INITIAL_FORMS": "1"},
    )
    assert client.post(_url("agreement_edit", agreement), data).status_code == 302
    agreement.refresh_from_db()
    assert agreement.title == "Renamed"
    assert agreement.parties.get().signatory_name == "Ada Lovelace"
    stale = client.post(_url("agreement_edit", agreement), {**data, "title": "Again"})
    assert "Someone else saved" in stale.content.decode()


def test_the_form_shows_errors_and_saves_nothing(client_for, editor, affiliate):
    partnership = partnership_with_partner(affiliate)[0]
    client = client_for(editor)
    response = client.post(
        reverse("lifecycle:agreement_create", args=[partnership.pk]),
        _form(partnership, licence="vrt", **{"parties-0-organization": "999999"}),
    )
    assert response.status_code == 200
    assert not Agreement.objects.exists()
    response = client.post(
        reverse("lifecycle:agreement_create", args=[partnership.pk]),
        _form(partnership, licence="vrt"),
    )
    assert "Give the VRT ticket" in response.content.decode()
    assert not Agreement.objects.exists()


def test_upload_through_the_page_and_hostile_files(client_for, editor, world):
    _, agreement = world
    client = client_for(editor)
    url = _url("agreement_file_upload", agreement)
    ok = client.post(url, {"file": files.upload("scan.png", files.PNG), "signed": "on"})
    assert ok.status_code == 302
    assert agreement.files.count() == 2
    refused = client.post(url, {"file": files.upload("evil.docx", files.macro_docx())})
    assert refused.status_code == 200
    assert "macros" in refused.content.decode()
    assert agreement.files.count() == 2


def test_export_columns_and_xlsx(client_for, viewer, world):
    client = client_for(viewer)
    rows = list(csv.reader(io.StringIO(_export_text(client))))
    assert rows[0][:4] == ["id", "partnership_id", "partnership", "type"]
    assert "Ada Secret" in rows[1][rows[0].index("parties")]
    xlsx = client.get(reverse("lifecycle:agreement_export"), {"format": "xlsx"})
    assert xlsx.status_code == 200
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"
    hostile = client.get(reverse("lifecycle:agreement_export"), {"partnership": "9" * 40})
    assert hostile.status_code == 200


def test_the_export_lists_an_agreements_generated_documents_to_those_who_see_its_details(
    client_for, editor, viewer, outsider, world
):
    from hub.lifecycle.documents.services import document_generate
    from hub.lifecycle.factories_documents import shipped

    partnership, agreement = world
    document = document_generate(
        actor=editor,
        partnership=partnership,
        template=shipped("letter_of_intent", "en"),
        format="wikitext",
        agreement=agreement,
    )
    rows = {r["title"]: r for r in csv.DictReader(io.StringIO(_export_text(client_for(viewer))))}
    assert f"sha256:{document.sha256}" in rows["Glass MoU"]["documents"]
    assert "letter_of_intent en" in rows["Glass MoU"]["documents"]
    hidden = {
        r["title"]: r for r in csv.DictReader(io.StringIO(_export_text(client_for(outsider))))
    }
    assert hidden["Glass MoU"]["documents"] == ""
