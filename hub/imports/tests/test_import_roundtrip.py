"""An export of the hub imports back: into the same organization it adds nothing, into another it
copies every record field for field (CSV, XLSX and ODS, formula-like text included)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from hub.directory.factories import OrganizationFactory
from hub.funding.factories import make_contribution, make_rate
from hub.funding.models import InKindContribution
from hub.imports.engine import import_file

pytestmark = pytest.mark.django_db
FIELDS = [
    "description",
    "donor_name",
    "date",
    "period_end",
    "category",
    "quantity",
    "unit",
    "value",
    "currency",
    "valuation_method",
    "confidential",
    "acknowledgement",
    "evidence_url",
]


@pytest.fixture
def records(affiliate, editor):
    museum = OrganizationFactory(name="Österreichisches Museum", wikidata_id="Q42")
    make_rate(organization=affiliate, actor=editor, category="volunteer_time", unit="hours")
    made = [
        make_contribution(
            receiving_organization=affiliate,
            actor=editor,
            donor_organization=museum,
            description="=SUM(A1:A3) is how they count",
            acknowledgement="@museum on the poster",
            date=datetime.date(2024, 3, 1),
            period_end=datetime.date(2024, 3, 3),
            category="venue_space",
            value=Decimal("1234.56"),
            currency="CHF",
            evidence_url="https://example.org/invoice",
        ),
        make_contribution(
            receiving_organization=affiliate,
            actor=editor,
            donor_name="Ärztin Jüngling",
            description="Двадцать часов",
            date=datetime.date(2024, 5, 4),
            category="volunteer_time",
            quantity=Decimal("20"),
            unit="hours",
            confidential=True,
        ),
    ]
    return made


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_an_export_imports_back(fmt, records, affiliate, editor, staff, client_for, tmp_path):
    response = client_for(editor).get(reverse("funding:contribution_export") + f"?format={fmt}")
    assert response.status_code == 200
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(b"".join(response.streaming_content))

    again = import_file(path, affiliate, editor)
    assert again.messages() == []
    assert (again.created, again.already_imported) == (0, len(records))

    other = OrganizationFactory(name="Wikimedia Copyland", kind="chapter", short_code="WMCL")
    copied = import_file(path, other, staff)
    assert copied.messages() == []
    assert copied.created == len(records)

    def rows(org):
        return list(
            InKindContribution.objects.filter(receiving_organization=org)
            .order_by("date")
            .values_list("donor_organization__name", *FIELDS)
        )

    assert rows(other) == rows(affiliate)
    assert import_file(path, other, staff).created == 0
