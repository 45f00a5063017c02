"""Generating documents from the shipped templates: each format, read back by LibreOffice (or
pdftotext for the PDF), carries both parties, their signatories, the goals and the dates; values
are text; regeneration reproduces the document."""

import hashlib
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from hub.core.testing.office import soffice_convert
from hub.funding.factories import make_contribution
from hub.lifecycle.documents import services
from hub.lifecycle.documents.models import GeneratedDocument, TemplateVersion
from hub.lifecycle.factories_documents import make_agreement, make_documented_partnership, shipped
from hub.partnerships.factories import make_partnership

SUFFIX = {"odt": "odt", "docx": "docx", "pdf": "pdf", "wikitext": "wiki"}


@pytest.fixture
def partnership(affiliate):
    return make_documented_partnership(lead=affiliate)


@pytest.fixture
def agreement(partnership):
    return make_agreement(partnership)


def _pdf_text(path) -> str:
    program = shutil.which("pdftotext") or "pdftotext"
    return subprocess.run(  # noqa: S603 - a fixed program on a file the test wrote
        [program, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _text(document: GeneratedDocument, tmp_path) -> str:
    path = tmp_path / f"document.{SUFFIX[document.format]}"
    with document.file.open("rb") as handle:
        path.write_bytes(handle.read())
    if document.format == "wikitext":
        return path.read_text("utf-8")
    if document.format == "pdf":
        return _pdf_text(path)
    return soffice_convert(path, "txt:Text (encoded):UTF8").read_text("utf-8-sig")


@pytest.mark.parametrize("format", ["odt", "docx", "pdf", "wikitext"])
@pytest.mark.parametrize("kind", ["letter_of_intent", "mou"])
def test_each_format_carries_the_parties_signatories_goals_and_dates(
    format, kind, partnership, agreement, editor, tmp_path
):
    document = services.document_generate(
        actor=editor,
        partnership=partnership,
        template=shipped(kind, "en"),
        format=format,
        agreement=agreement,
    )
    text = _text(document, tmp_path)
    if format == "wikitext":
        assert "Smith &amp; &lt;Sons&gt;" in text
        assert "<Sons>" not in text
    else:
        assert "Smith & <Sons>" in text
    for expected in (
        "Wikimedia Testland",
        "Erika Mustermann",
        "John Smith",
        "Content for Wikimedia projects",
        "Advocacy / outreach",
    ):
        assert expected in text
    dates = (
        ("1 March 2026", "20 March 2026")
        if kind == "letter_of_intent"
        else ("1 April 2026", "31 March 2027")
    )
    for date in dates:
        assert date in text
    if kind == "mou":
        assert "All scans under CC BY-SA 4.0." in text
        assert "Not discussed." not in text  # a clause not in place is not an agreed clause
    assert document.sha256 == hashlib.sha256(document.file.open("rb").read()).hexdigest()


def test_the_german_letter_writes_german_dates(partnership, agreement, editor, tmp_path):
    document = services.document_generate(
        actor=editor,
        partnership=partnership,
        template=shipped("letter_of_intent", "de"),
        format="odt",
        agreement=agreement,
    )
    text = _text(document, tmp_path)
    assert "Absichtserklärung" in text
    assert "1. März 2026" in text


@pytest.mark.parametrize("format", ["odt", "docx", "wikitext"])
def test_regenerating_gives_the_same_bytes(format, partnership, agreement, editor):
    document = services.document_generate(
        actor=editor,
        partnership=partnership,
        template=shipped("mou", "en"),
        format=format,
        agreement=agreement,
    )
    partnership.title = "Renamed since"
    partnership.save()
    again = services.document_regenerate(document=document)
    assert hashlib.sha256(again).hexdigest() == document.sha256


def test_a_regenerated_pdf_has_the_same_text(partnership, editor, tmp_path):
    document = services.document_generate(
        actor=editor, partnership=partnership, template=shipped(), format="pdf"
    )
    first = _text(document, tmp_path)
    (tmp_path / "again.pdf").write_bytes(services.document_regenerate(document=document))
    again = _pdf_text(tmp_path / "again.pdf")
    assert again == first


def test_only_what_the_generating_user_may_see_fills_the_document(
    affiliate, other_affiliate, editor, staff
):
    partnership = make_partnership(lead=affiliate, partners=[other_affiliate], goals=["content"])
    make_contribution(
        receiving_organization=other_affiliate,
        partnership=partnership,
        description="Secret scanner loan",
        confidential=True,
        value=Decimal(900),
    )
    make_contribution(
        receiving_organization=partnership.lead,
        partnership=partnership,
        description="Scanner loan",
        value=Decimal(100),
    )
    mine = services.document_generate(
        actor=editor, partnership=partnership, template=shipped(), format="wikitext"
    )
    descriptions = [c["description"] for c in mine.values["commitments"]]
    assert descriptions == ["Scanner loan"]
    theirs = services.document_generate(
        actor=staff, partnership=partnership, template=shipped(), format="wikitext"
    )
    assert len(theirs.values["commitments"]) == 2


def test_a_viewer_may_not_generate(partnership, viewer):
    with pytest.raises(PermissionDenied):
        services.document_generate(
            actor=viewer, partnership=partnership, template=shipped(), format="odt"
        )
    assert not GeneratedDocument.objects.exists()


def test_a_template_broken_after_upload_yields_no_document(partnership, editor, affiliate):
    template = shipped()
    TemplateVersion.objects.create(
        template=template,
        number=99,
        format="odt",
        sha256="0" * 64,
        file=ContentFile(b"PK\x03\x04 not a zip", name="x.odt"),
    )
    with pytest.raises(ValidationError):
        services.document_generate(
            actor=editor, partnership=partnership, template=template, format="odt"
        )
    assert not GeneratedDocument.objects.exists()
