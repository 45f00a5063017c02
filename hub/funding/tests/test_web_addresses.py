"""An in-kind contribution's evidence link: http(s) only from the form, the API and the spreadsheet
import, and shown as text when a stored one is not a web address."""

import csv
import json
from pathlib import Path

import pytest
from django.urls import reverse

from hub.api import services as api_services
from hub.core.weburl import MESSAGE
from hub.funding.factories import make_contribution
from hub.funding.models import InKindContribution
from hub.imports.engine import run_import

pytestmark = pytest.mark.django_db

HOSTILE = "javascript://x%0aalert(document.cookie)"


def _form(affiliate, **overrides):
    return {
        "receiving_organization": f"#{affiliate.pk}",
        "donor_name": "Printer",
        "date": "2024-05-04",
        "category": "venue_space",
        "value": "100",
        "currency": "EUR",
        **overrides,
    }


def test_the_form_refuses_evidence_that_is_not_http_and_names_the_field(
    affiliate, editor, client_for
):
    response = client_for(editor).post(
        reverse("funding:contribution_create"), _form(affiliate, evidence_url=HOSTILE)
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"evidence_url": [str(MESSAGE)]}
    assert not InKindContribution.objects.exists()
    response = client_for(editor).post(
        reverse("funding:contribution_create"), _form(affiliate, evidence_url="example.org/bill")
    )
    assert response.status_code == 302
    assert InKindContribution.objects.get().evidence_url == "https://example.org/bill"


def test_the_api_refuses_it_at_its_path(client, affiliate, editor):
    _token, secret = api_services.apitoken_create(actor=editor, name="t", scope="write")
    body = {
        "receiving_organization": affiliate.pk,
        "donor_name": "Printer",
        "date": "2024-03-01",
        "category": "venue_space",
        "value": "100",
        "currency": "EUR",
        "evidence_url": "JaVaScRiPt:alert(1)",
    }
    response = client.post(
        "/api/v1/contributions",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"path": "evidence_url", "message": str(MESSAGE)}]
    assert not InKindContribution.objects.exists()


def test_the_import_names_the_row_and_column_and_writes_nothing(tmp_path: Path, affiliate, editor):
    path = tmp_path / "gifts.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(
            [
                ["Donor", "Date", "Category", "Value", "Currency", "Evidence"],
                ["Printer", "2024-03-01", "venue_space", "100", "EUR", "https://ok.example/1"],
                ["Printer", "2024-03-02", "venue_space", "100", "EUR", HOSTILE],
                ["Printer", "2024-03-03", "venue_space", "100", "EUR", "data:text/html,x"],
            ]
        )
    result = run_import(path, organization=affiliate, actor=editor, write=True)
    assert result.invalid_rows == [3, 4]
    messages = result.messages()
    assert f"row 3, column 'Evidence': {MESSAGE}" in " ".join(messages)
    assert any(m.startswith("row 4, column 'Evidence':") for m in messages)
    assert not InKindContribution.objects.exists()


def test_a_stored_evidence_link_that_is_no_web_address_is_shown_as_text(
    affiliate, editor, client_for
):
    made = make_contribution(receiving_organization=affiliate, evidence_url="https://ok.example")
    InKindContribution.objects.filter(pk=made.pk).update(evidence_url=HOSTILE)
    page = client_for(editor).get(made.get_absolute_url()).content.decode()
    assert HOSTILE in page
    assert 'href="javascript' not in page.lower()
