"""The documents pages through the test client: generate and download, upload and its refusals."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hub.accounts.factories import MembershipFactory
from hub.lifecycle.documents.models import DocumentTemplate, GeneratedDocument, TemplateVersion
from hub.lifecycle.factories_documents import make_documented_partnership
from hub.lifecycle.tests.documents_files import odt


@pytest.fixture
def partnership(affiliate):
    return make_documented_partnership(lead=affiliate)


def test_an_editor_generates_a_letter_and_downloads_it(partnership, editor, client_for):
    client = client_for(editor)
    page = client.get(reverse("partnerships:detail", args=[partnership.pk]))
    assert "Generate and download" in page.content.decode()
    response = client.post(
        reverse("lifecycle:document_generate", args=[partnership.pk]),
        {"kind": "letter_of_intent", "language": "en", "format": "odt"},
        follow=True,
    )
    document = GeneratedDocument.objects.get()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.text"
    assert "attachment" in response["Content-Disposition"]
    assert hashlib.sha256(response.content).hexdigest() == document.sha256
    listing = client.get(reverse("lifecycle:document_list", args=[partnership.pk])).content.decode()
    assert document.sha256[:12] in listing
    again = client.post(reverse("lifecycle:document_regenerate", args=[document.pk]))
    assert hashlib.sha256(again.content).hexdigest() == document.sha256


def test_a_viewer_sees_the_documents_but_no_form(partnership, viewer, client_for):
    page = client_for(viewer).get(reverse("partnerships:detail", args=[partnership.pk]))
    assert "Generate and download" not in page.content.decode()
    assert "0 generated documents" in page.content.decode()


def test_generating_with_an_unknown_choice_is_a_form_error(partnership, editor, client_for):
    response = client_for(editor).post(
        reverse("lifecycle:document_generate", args=[partnership.pk]),
        {
            "kind": "contract",
            "language": "xx",
            "format": "exe",
            "agreement": "99999999999999999999",
        },
    )
    assert response.status_code == 400
    assert not GeneratedDocument.objects.exists()


def _upload(client, affiliate, data: bytes, name="letter.odt", title="Our letter"):
    return client.post(
        reverse("lifecycle:template_upload"),
        {
            "organization": affiliate.pk,
            "kind": "letter_of_intent",
            "language": "en",
            "name": title,
            "file": SimpleUploadedFile(name, data),
        },
    )


def test_a_manager_uploads_versions_of_a_template(affiliate, manager, client_for):
    client = client_for(manager)
    good = odt("<text:p>Dear {{ partner.name }},</text:p>")
    assert _upload(client, affiliate, good).status_code == 302
    assert (
        _upload(client, affiliate, odt("<text:p>Hello {{ lead.name }}</text:p>")).status_code == 302
    )
    template = DocumentTemplate.objects.get(organization=affiliate)
    assert list(template.versions.values_list("number", "format")) == [(2, "odt"), (1, "odt")]
    assert TemplateVersion.objects.get(template=template, number=1).placeholders == ["partner.name"]


def test_an_upload_with_a_mistake_is_refused_naming_it(affiliate, manager, client_for):
    client = client_for(manager)
    response = _upload(
        client, affiliate, odt("<text:p>x</text:p><text:p>Dear {{ partner.nmae }}</text:p>")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "partner.nmae" in page
    assert "paragraph 2" in page
    macro = odt("<text:p/>", extra={"Basic/Standard/Module1.xml": "<x/>"})
    assert "macros" in _upload(client, affiliate, macro).content.decode()
    assert not DocumentTemplate.objects.filter(organization=affiliate).exists()


def test_nobody_uploads_for_an_organization_they_do_not_manage(
    affiliate, other_affiliate, client_for
):
    other_manager = MembershipFactory(organization=other_affiliate, role="manager").user
    response = _upload(
        client_for(other_manager), affiliate, odt("<text:p>{{ lead.name }}</text:p>")
    )
    assert response.status_code == 400  # the affiliate is not among their choices
    assert not DocumentTemplate.objects.filter(organization=affiliate).exists()


def test_a_templates_versions_are_in_its_history(affiliate, manager, client_for):
    client = client_for(manager)
    _upload(client, affiliate, odt("<text:p>Dear {{ partner.name }},</text:p>"))
    _upload(client, affiliate, odt("<text:p>Hello {{ lead.name }}</text:p>"))
    template = DocumentTemplate.objects.get(organization=affiliate)
    page = client.get(reverse("lifecycle:template_history", args=[template.pk])).content.decode()
    assert page.count("history-entry") == 2
