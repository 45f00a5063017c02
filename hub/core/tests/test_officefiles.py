"""The uploaded-document checker: what it takes, and each hostile file it refuses with a message."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from hub.core.officefiles import check_office_file
from hub.core.testing import officefiles as files

ALL = {"pdf", "odt", "docx", "png", "jpeg"}


def _refused(name: str, data: bytes, allowed=ALL, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_office_file(files.upload(name, data), allowed, **kwargs)
    return caught.value


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("a.pdf", files.PDF, "pdf"),
        ("a.odt", files.odt(), "odt"),
        ("a.docx", files.docx(), "docx"),
        ("scan.PNG", files.PNG, "png"),
        ("scan.jpg", files.JPEG, "jpeg"),
        ("scan.jpeg", files.JPEG, "jpeg"),
    ],
)
def test_plain_documents_are_taken_and_left_at_their_start(name, data, kind):
    upload = files.upload(name, data)
    assert check_office_file(upload, ALL) == kind
    assert upload.tell() == 0


def test_a_kind_not_allowed_here_is_refused_naming_what_is():
    error = _refused("a.pdf", files.PDF, allowed={"odt", "docx"})
    assert error.code == "kind"
    assert "PDF" in error.messages[0]
    assert "ODT, DOCX" in error.messages[0]


def test_a_renamed_program_is_refused():
    error = _refused("agreement.pdf", files.EXE)
    assert error.code == "kind"
    assert "program" in error.messages[0]


def test_an_ending_that_disagrees_with_the_content_is_refused():
    error = _refused("agreement.pdf", files.docx())
    assert error.code == "ending"
    assert "agreement.pdf" in error.messages[0]


def test_an_old_doc_and_a_plain_zip_are_refused():
    assert _refused("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50).code == "kind"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hi")
    assert _refused("a.docx", buffer.getvalue()).code == "kind"


def test_a_docx_with_a_vba_project_is_refused_as_macros():
    error = _refused("a.docx", files.macro_docx())
    assert error.code == "macros"
    assert "macros" in error.messages[0]


def test_an_odt_with_basic_is_refused_as_macros():
    assert _refused("a.odt", files.macro_odt()).code == "macros"


def test_a_pdf_with_javascript_is_refused():
    data = files.PDF.replace(b"/Catalog", b"/Catalog /OpenAction << /S /JavaScript /JS (x) >>")
    assert _refused("a.pdf", data).code == "macros"


def test_xml_with_an_entity_is_refused_with_a_clear_message():
    error = _refused("a.docx", files.entity_docx())
    assert error.code == "xml_entities"
    assert "word/document.xml" in error.messages[0]


def test_xml_that_does_not_parse_is_damaged():
    data = files.docx(text="<unclosed>")
    assert _refused("a.docx", data).code == "damaged"


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    data = files.zip_bomb_docx(megabytes=20)
    assert len(data) < 100_000
    error = _refused("a.docx", data)
    assert error.code == "zip_bomb"
    assert "zip bomb" in error.messages[0]


def test_a_truncated_zip_is_damaged():
    data = files.docx()[:-30]
    assert _refused("a.docx", data).code == "damaged"


def test_size_limits(settings):
    assert _refused("a.pdf", b"").code == "empty"
    settings.MAX_UPLOAD_BYTES = 50
    assert _refused("a.pdf", files.PDF).code == "too_large"
    assert check_office_file(files.upload("a.pdf", files.PDF), ALL, max_bytes=10_000) == "pdf"


def test_an_unknown_kind_asked_for_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown kinds"):
        check_office_file(files.upload("a.pdf", files.PDF), {"exe"})
