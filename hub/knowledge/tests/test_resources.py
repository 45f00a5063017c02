"""The resource library: sharing links and files, who sees them (page, file, API, search, lifecycle
steps), the document templates on the formal-agreement steps, bad input named by its field."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from hub.core.models import HistoryEntry, Visibility
from hub.core.search import terms
from hub.core.search.query import Filters
from hub.core.search.query import search as run
from hub.core.testing.officefiles import EXE, PDF, docx
from hub.directory.factories import OrganizationFactory
from hub.knowledge.factories import make_resource
from hub.knowledge.resources import services
from hub.knowledge.resources.models import Resource
from hub.lifecycle.factories_steps import make_lifecycle, start_progress
from hub.lifecycle.steps import progress as steps_progress
from hub.partnerships.factories import make_partnership

NEXT_YEAR = timezone.localdate() + datetime.timedelta(days=365)


def _form(**extra):
    data = {
        "title": "How we wrote our first MoU",
        "kind": "guide",
        "description": "Read before the formal agreement.",
        "url": "https://example.org/mou-guide",
        "language": "en",
        "licence": "cc-by-sa-4.0",
        "review_by": NEXT_YEAR.isoformat(),
        "visibility": "private",
        "steps": ["formal_agreement"],
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_an_editor_shares_a_file_and_its_team_downloads_it(
    affiliate, editor, viewer, outsider, client_for
):
    data = _form(url="", organization=affiliate.pk, file=SimpleUploadedFile("mou.pdf", PDF))
    response = client_for(editor).post(reverse("knowledge:resource_create"), data)
    resource = Resource.objects.get()
    assert response.status_code == 302
    assert response["Location"] == resource.get_absolute_url()
    assert (resource.file_name, resource.file_kind, resource.size) == ("mou.pdf", "pdf", len(PDF))
    assert [t.value for t in resource.tags.all()] == ["formal_agreement"]
    download = client_for(viewer).get(reverse("knowledge:resource_file", args=[resource.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    for path in (
        resource.get_absolute_url(),
        reverse("knowledge:resource_file", args=[resource.pk]),
    ):
        assert client_for(outsider).get(path).status_code == 404
    listed = client_for(outsider).get(reverse("knowledge:resource_list")).content.decode()
    assert "How we wrote our first MoU" not in listed
    entry = HistoryEntry.objects.get(object_id=resource.pk, action=HistoryEntry.Action.CREATE)
    assert entry.changes["file"] == [None, "mou.pdf"]


@pytest.mark.django_db
def test_a_program_renamed_as_a_pdf_is_refused_on_the_file_field(affiliate, editor, client_for):
    data = _form(url="", organization=affiliate.pk, file=SimpleUploadedFile("guide.pdf", EXE))
    response = client_for(editor).post(reverse("knowledge:resource_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Resource.objects.exists()


@pytest.mark.django_db
def test_neither_address_nor_file_is_an_error_on_the_address(affiliate, editor, client_for):
    response = client_for(editor).post(
        reverse("knowledge:resource_create"), _form(url="", organization=affiliate.pk)
    )
    assert response.context["form"].errors["url"] == ["Give an address or upload a file."]
    with pytest.raises(Exception, match="address or upload a file"):
        services.resource_create(
            actor=editor, organization=affiliate, title="T", kind="link", review_by=NEXT_YEAR
        )
    assert not Resource.objects.exists()


@pytest.mark.django_db
def test_a_script_address_is_refused(affiliate, editor, client_for):
    response = client_for(editor).post(
        reverse("knowledge:resource_create"),
        _form(url="javascript:alert(1)", organization=affiliate.pk),
    )
    assert "url" in response.context["form"].errors
    assert not Resource.objects.exists()


@pytest.mark.django_db
def test_a_new_file_replaces_the_old_and_the_history_says_so(affiliate, editor, client_for):
    resource = make_resource(
        organization=affiliate, actor=editor, file=SimpleUploadedFile("a.pdf", PDF)
    )
    data = _form(
        url="",
        organization=affiliate.pk,
        version=resource.version,
        file=SimpleUploadedFile("b.docx", docx("Terms")),
        title=resource.title,
    )
    response = client_for(editor).post(reverse("knowledge:resource_edit", args=[resource.pk]), data)
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.file_name, resource.file_kind, resource.version) == ("b.docx", "docx", 2)
    change = HistoryEntry.objects.get(object_id=resource.pk, action=HistoryEntry.Action.CHANGE)
    assert change.changes["file"] == ["a.pdf", "b.docx"]


@pytest.mark.django_db
def test_a_viewer_may_not_edit_or_remove(affiliate, editor, viewer, client_for):
    resource = make_resource(organization=affiliate, actor=editor)
    client = client_for(viewer)
    assert client.get(reverse("knowledge:resource_edit", args=[resource.pk])).status_code == 403
    assert client.post(reverse("knowledge:resource_delete", args=[resource.pk])).status_code == 403
    assert (
        client_for(editor)
        .post(reverse("knowledge:resource_delete", args=[resource.pk]))
        .status_code
        == 302
    )
    assert not Resource.objects.exists()


@pytest.mark.django_db
def test_the_library_filters_by_step_kind_and_review(affiliate, editor, anonymous, client_for):
    make_resource(organization=affiliate, title="Agreement guide", steps=["formal_agreement"])
    make_resource(
        organization=affiliate,
        title="Old contact list",
        kind="link",
        steps=["first_contact"],
        review_by=timezone.localdate() - datetime.timedelta(days=1),
    )
    client = client_for(anonymous)

    def titles(query):
        page = client.get(reverse("knowledge:resource_list") + query)
        return [r.title for r in page.context["page"].object_list], page

    assert titles("?step=formal_agreement")[0] == ["Agreement guide"]
    assert titles("?kind=link")[0] == ["Old contact list"]
    found, page = titles("?review=due")
    assert found == ["Old contact list"]
    assert "Due for review" in page.content.decode()
    # Values a filter cannot use are ignored, never an error page.
    assert client.get(reverse("knowledge:resource_list") + "?step=%00&kind=x").status_code == 200


@pytest.mark.django_db
def test_document_templates_are_with_the_agreement_steps_only(anonymous, client_for):
    client = client_for(anonymous)
    at_agreement = client.get(reverse("knowledge:resource_list") + "?step=formal_agreement")
    names = [item.title for item in at_agreement.context["templates"]]
    assert names, "the shipped templates are in the library at the formal-agreement step"
    assert "Document templates" in at_agreement.content.decode()
    elsewhere = client.get(reverse("knowledge:resource_list") + "?step=first_contact")
    assert elsewhere.context["templates"] == []
    guides = client.get(reverse("knowledge:resource_list") + "?kind=guide")
    assert guides.context["templates"] == []


@pytest.mark.django_db
def test_a_partnerships_current_step_shows_its_resources(affiliate, editor, outsider, client_for):
    lifecycle = make_lifecycle(affiliate)
    first = lifecycle.steps.order_by("position").first()
    make_resource(organization=affiliate, title="Public checklist", steps=[first.key])
    make_resource(
        organization=affiliate,
        actor=editor,
        title="Team-only checklist",
        steps=[first.key],
        visibility=Visibility.PRIVATE,
    )
    make_resource(organization=affiliate, title="For another step", steps=["evaluation"])
    partnership = make_partnership(lead=affiliate, title="Scans")
    start_progress(partnership, lifecycle)
    url = reverse("lifecycle:progress", args=[partnership.pk])
    mine = client_for(editor).get(url).content.decode()
    assert "Public checklist" in mine
    assert "Team-only checklist" in mine
    assert "For another step" not in mine
    theirs = client_for(outsider).get(url).content.decode()
    assert "Public checklist" in theirs
    assert "Team-only checklist" not in theirs
    # On the organization's lifecycle page, every step lists its own.
    lifecycles = client_for(outsider).get(reverse("lifecycle:organization", args=[affiliate.pk]))
    text = lifecycles.content.decode()
    assert "Public checklist" in text
    assert "For another step" in text
    assert "Team-only checklist" not in text


@pytest.mark.django_db
def test_the_agreement_step_of_a_partnership_offers_the_document_templates(
    affiliate, editor, client_for
):
    lifecycle = make_lifecycle(affiliate)
    partnership = make_partnership(lead=affiliate, partners=[OrganizationFactory()])
    start_progress(partnership, lifecycle)
    agreement = lifecycle.steps.get(key="formal_agreement")
    steps_progress.progress_move(actor=editor, partnership=partnership, step=agreement)
    page = client_for(editor).get(reverse("lifecycle:progress", args=[partnership.pk]))
    assert "From the resource library" in page.content.decode()
    assert "Document template" in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_private_resource_is_found_by_its_team_only(affiliate, editor, viewer, outsider):
    make_resource(
        organization=affiliate,
        actor=editor,
        title="Budget sheet",
        description="The quixotical budget for museum scans.",
        visibility=Visibility.PRIVATE,
    )

    def found(user):
        return [h.plain_title for h in run(user, terms.parse("quixotical"), Filters()).hits]

    assert found(viewer) == ["Budget sheet"]
    assert found(outsider) == []


@pytest.mark.django_db
def test_the_api_shares_lists_and_changes_a_link(affiliate, editor, outsider, client_for):
    client = client_for(editor)
    created = client.post(
        "/api/v1/resources",
        {
            "title": "Partner assessment",
            "kind": "template",
            "organization": affiliate.pk,
            "address": "https://example.org/assess",
            "review_by": NEXT_YEAR.isoformat(),
            "visibility": "private",
            "steps": ["identifying_partners"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["address"], body["steps"], body["file"]) == (
        "https://example.org/assess",
        ["identifying_partners"],
        None,
    )
    bad = client.patch(
        f"/api/v1/resources/{body['id']}",
        {"address": "javascript:alert(1)"},
        content_type="application/json",
        headers={"If-Match": body["etag"]},
    )
    assert bad.status_code == 422
    assert [e["path"] for e in bad.json()["errors"]] == ["address"]
    changed = client.patch(
        f"/api/v1/resources/{body['id']}",
        {"licence": "cc0"},
        content_type="application/json",
        headers={"If-Match": body["etag"]},
    )
    assert changed.status_code == 200
    assert changed.json()["licence"] == "cc0"
    assert client_for(outsider).get(f"/api/v1/resources/{body['id']}").status_code == 404
    assert client_for(outsider).get("/api/v1/resources").json()["items"] == []
