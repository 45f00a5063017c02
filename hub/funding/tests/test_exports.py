"""Exports: every format streams, neutralizes formulas, and reads back to the same records."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

import openpyxl
import pytest
from django.urls import reverse

from hub.core.exporting import neutralize, unneutralize
from hub.core.testing.office import soffice_convert
from hub.directory.factories import OrganizationFactory
from hub.directory.models import Organization
from hub.funding import services
from hub.funding.contributions.exporting import CONTRIBUTION_COLUMNS
from hub.funding.factories import make_contribution, make_grant, make_rate
from hub.funding.models import InKindContribution

pytestmark = pytest.mark.django_db
HOSTILE = [
    '=HYPERLINK("https://evil.example","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\tleading tab",
    "\rleading carriage return",
    'plain, with comma and "quotes"',
    "two\nlines",
    "Österreich · Ελληνικά · العربية · 日本語",
    "  spaced   out  ",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_neutralize_then_unneutralize_gives_the_text_back(text):
    safe = neutralize(text)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert unneutralize(safe) == text


def test_unneutralize_keeps_an_ordinary_apostrophe():
    assert unneutralize("'tis the season") == "'tis the season"
    assert neutralize("\x00=bell\x07") == "'=bell"


@pytest.fixture
def records(affiliate, editor):
    make_rate(organization=affiliate)
    donor = OrganizationFactory(name="Musée d'Exemple", short_code=None, wikidata_id="Q42")
    made = []
    for index, text in enumerate(HOSTILE):
        made.append(
            make_contribution(
                receiving_organization=affiliate,
                actor=editor,
                donor_organization=donor if index % 2 else None,
                donor_name="" if index % 2 else f"Person {text}",
                description=text,
                acknowledgement=text,
                date=datetime.date(2024, 1, 1 + index),
                category="volunteer_time",
                quantity=Decimal("2.5"),
                unit="hours",
                value=None if index % 3 == 0 else Decimal("1234.56"),
                currency="" if index % 3 == 0 else "CHF",
                confidential=index == 4,
            )
        )
    return made


def _download(client, fmt, query=""):
    response = client.get(reverse("funding:contribution_export") + f"?format={fmt}{query}")
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content)


def _as_fields(row: dict) -> dict:
    """What the import does with an export row (the field names are the headers)."""
    text = {k: unneutralize(v) if isinstance(v, str) else v for k, v in row.items()}
    return {
        "donor_name": text["donor_name"] or "",
        "description": text["description"] or "",
        "acknowledgement": text["acknowledgement"] or "",
        "date": str(text["date"])[:10],
        "category": text["category"],
        "quantity": Decimal(str(text["quantity"])) if text["quantity"] not in ("", None) else None,
        "unit": text["unit"] or "",
        "value": Decimal(str(text["value"])),
        "currency": text["currency"],
        "valuation_method": text["valuation_method"],
        "confidential": str(text["confidential"]).lower() == "true",
        "donor_organization": text["donor_organization"] or None,
        "donor_organization_code": text["donor_organization_code"] or None,
    }


def _expected(contribution: InKindContribution) -> dict:
    return {
        "donor_name": contribution.donor_name,
        "description": contribution.description,
        "acknowledgement": contribution.acknowledgement,
        "date": contribution.date.isoformat(),
        "category": contribution.category,
        "quantity": contribution.quantity,
        "unit": contribution.unit,
        "value": contribution.value,
        "currency": contribution.currency,
        "valuation_method": contribution.valuation_method,
        "confidential": contribution.confidential,
        "donor_organization": contribution.donor_organization.name
        if contribution.donor_organization
        else None,
        "donor_organization_code": "Q42" if contribution.donor_organization else None,
    }


def _by_description(rows):
    return {row["description"]: row for row in rows}


def test_csv_export_reads_back_to_the_same_records(records, client_for, editor):
    body = _download(client_for(editor), "csv")
    assert body.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == [c.header for c in CONTRIBUTION_COLUMNS]
    assert len(rows) == len(records)
    for row in rows:
        for key in ("description", "acknowledgement", "donor_name"):
            assert not row[key].startswith(("=", "+", "-", "@", "\t", "\r"))
    got = {unneutralize(r["description"]): _as_fields(r) for r in rows}
    for contribution in records:
        assert got[contribution.description] == _expected(contribution)


def test_xlsx_export_has_typed_cells_and_no_formulas(records, client_for, editor):
    body = _download(client_for(editor), "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active
    cells = list(sheet.iter_rows())
    header = [c.value for c in cells[0]]
    assert header == [c.header for c in CONTRIBUTION_COLUMNS]
    assert all(c.data_type != "f" for row in cells for c in row)
    rows = [dict(zip(header, [c.value for c in row], strict=True)) for row in cells[1:]]
    for row in rows:
        assert isinstance(row["date"], datetime.datetime)
        assert isinstance(row["value"], int | float | Decimal)
        assert isinstance(row["confidential"], bool)
        for key in (
            "quantity",
            "donor_name",
            "donor_organization",
            "donor_organization_code",
            "unit",
            "acknowledgement",
        ):
            row[key] = "" if row[key] is None else row[key]
    got = {unneutralize(r["description"]): _as_fields(r) for r in rows}
    for contribution in records:
        assert got[contribution.description] == _expected(contribution)


def _ods_rows(body: bytes) -> list[list[str]]:
    ns = {
        "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    }
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert archive.namelist()[0] == "mimetype"
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        root = ElementTree.fromstring(archive.read("content.xml"))  # noqa: S314 - our own output
    rows = []
    for row in root.iter(f"{{{ns['table']}}}table-row"):
        values = []
        for cell in row.findall("table:table-cell", ns):
            lines = []
            for paragraph in cell.findall("text:p", ns):
                text = paragraph.text or ""
                for child in paragraph:
                    if child.tag == f"{{{ns['text']}}}s":
                        text += " " * int(child.get(f"{{{ns['text']}}}c", "1"))
                    elif child.tag == f"{{{ns['text']}}}tab":
                        text += "\t"
                    text += child.tail or ""
                lines.append(text)
            values.append("\n".join(lines))
        rows.append(values)
    return rows


def test_ods_export_is_a_valid_spreadsheet_that_reads_back(records, client_for, editor):
    body = _download(client_for(editor), "ods")
    rows = _ods_rows(body)
    header, data = rows[0], rows[1:]
    assert header == [c.header for c in CONTRIBUTION_COLUMNS]
    got = {
        unneutralize(r["description"]): _as_fields(r)
        for r in (dict(zip(header, row, strict=True)) for row in data)
    }
    for contribution in records:
        assert got[contribution.description] == _expected(contribution)


def test_libreoffice_opens_the_ods_export(records, client_for, editor, tmp_path):
    (tmp_path / "export.ods").write_bytes(_download(client_for(editor), "ods"))
    soffice_convert(tmp_path / "export.ods", "csv:Text - txt - csv (StarCalc):44,34,76")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "export.csv").read_text("utf-8"))))
    assert len(rows) == len(records)
    descriptions = {unneutralize(r["description"]) for r in rows}
    assert descriptions == {c.description for c in records}


def test_export_respects_visibility_and_filters(records, client_for, outsider, editor):
    outside = list(
        csv.DictReader(io.StringIO(_download(client_for(outsider), "csv").decode("utf-8-sig")))
    )
    assert len(outside) == len(records) - 1  # the confidential one is not theirs
    only_chf = _download(client_for(editor), "csv", "&q=lines")
    assert len(list(csv.DictReader(io.StringIO(only_chf.decode("utf-8-sig"))))) == 1


def test_importing_an_export_again_adds_nothing_and_into_another_org_copies(
    records, client_for, editor, affiliate, staff
):
    body = _download(client_for(editor), "csv")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))

    def service_rows(receiving):
        out = []
        for row in rows:
            fields = _as_fields(row)
            donor = None
            if fields.pop("donor_organization_code"):
                donor = Organization.objects.get(name=fields["donor_organization"])
            fields["donor_organization"] = donor
            fields["date"] = datetime.date.fromisoformat(fields["date"])
            fields["import_key"] = row["import_key"] or f"hub:{row['id']}"
            out.append({"receiving_organization": receiving, **fields})
        return out

    again = services.contribution_create_many(actor=editor, rows=service_rows(affiliate))
    assert (again.created, again.skipped_existing) == (0, len(records))
    other = OrganizationFactory(name="Wikimedia Copyland", kind="chapter", short_code="WMCL")
    copied = services.contribution_create_many(actor=staff, rows=service_rows(other))
    assert copied.created == len(records)
    fields = [
        "description",
        "donor_name",
        "date",
        "category",
        "quantity",
        "unit",
        "value",
        "currency",
        "valuation_method",
        "confidential",
        "acknowledgement",
    ]
    original = sorted(
        InKindContribution.objects.filter(receiving_organization=affiliate).values_list(*fields)
    )
    copy = sorted(
        InKindContribution.objects.filter(receiving_organization=other).values_list(*fields)
    )
    assert copy == original


def test_grant_export_neutralizes_and_lists_visible_grants(affiliate, editor, client_for):
    make_grant(recipient=affiliate, actor=editor, title="=1+1 grant")
    make_grant(recipient=affiliate, actor=editor, title="Secret", confidential=True)
    response = client_for(None).get(reverse("funding:grant_export") + "?format=csv")
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert [r["title"] for r in rows] == ["'=1+1 grant"]
    xlsx = client_for(editor).get(reverse("funding:grant_export") + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert sorted(row[2] for row in sheet.iter_rows(min_row=2, values_only=True)) == [
        "'=1+1 grant",
        "Secret",
    ]
