"""A partnership's links: http(s) only from the form, the API and the service, and shown safely."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hub.api import services as api_services
from hub.core.weburl import MESSAGE
from hub.directory.factories import OrganizationFactory
from hub.partnerships import services
from hub.partnerships.factories import make_partnership
from hub.partnerships.models import Partnership, PartnershipLink
from hub.partnerships.tests.test_views import _form_data

pytestmark = pytest.mark.django_db

HOSTILE = "javascript://x%0aalert(document.cookie)"


def test_the_form_refuses_a_link_that_is_not_http_and_names_its_line(client_for, editor, affiliate):
    data = _form_data(
        affiliate,
        [OrganizationFactory(name="Museum")],
        links=f"Project page https://meta.wikimedia.org/wiki/X\nSneaky {HOSTILE}",
    )
    response = client_for(editor).post(reverse("partnerships:create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["links"] == [f"Line 2: {MESSAGE}"]
    assert not Partnership.objects.exists()


def test_the_api_refuses_it_at_the_link_s_path_and_writes_nothing(client, editor, affiliate):
    museum = OrganizationFactory(name="Museum")
    _token, secret = api_services.apitoken_create(actor=editor, name="t", scope="write")
    payload = {
        "title": "Links",
        "lead": affiliate.pk,
        "participants": [{"organization": museum.pk, "role": "partner"}],
        "goals": ["content"],
        "links": [
            {"label": "ok", "url": "https://example.org"},
            {"label": "bad", "url": "JaVaScRiPt:alert(1)"},
        ],
    }
    response = client.post(
        "/api/v1/partnerships",
        data=json.dumps(payload),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"path": "links[1].url", "message": str(MESSAGE)}]
    assert not Partnership.objects.exists()


def test_the_service_refuses_it_for_any_other_caller(affiliate, editor):
    partnership = make_partnership(lead=affiliate, links=[("Home", "https://example.org")])
    with pytest.raises(ValidationError) as refused:
        services.partnership_update(
            actor=editor,
            partnership=partnership,
            links=[("Home", "https://example.org"), ("Run", "data:text/html,<script>")],
        )
    assert refused.value.message_dict == {"links": [f"Link 2, address: {MESSAGE}"]}
    assert list(partnership.links.values_list("url", flat=True)) == ["https://example.org"]


def test_a_stored_link_that_is_no_web_address_is_shown_as_text(client, affiliate):
    partnership = make_partnership(lead=affiliate, links=[("Home", "https://example.org")])
    PartnershipLink.objects.filter(partnership=partnership).update(url=HOSTILE)
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert "<li>Home</li>" in page
    assert HOSTILE not in page
