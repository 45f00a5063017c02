"""Small documents for tests: a plain DOCX and ODT, a PDF, a PNG and JPEG head, and the hostile
variants (a macro-enabled DOCX, an ODT with Basic, a zip bomb, XML with an entity, a renamed
program). Each builder returns bytes; `upload(name, data)` makes the uploaded file a view gets."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

CONTENT_TYPES_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
DOCUMENT_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
)
ODT_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
    "<text:p>{text}</text:p></office:text></office:body></office:document-content>"
)
ENTITY_XML = (
    '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body>&b;</w:body></w:document>"
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 200


def _zip(parts: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            compress = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=compress)
    return buffer.getvalue()


def docx(text: str = "Hello", **extra: bytes | str) -> bytes:
    parts: dict[str, bytes | str] = {
        "[Content_Types].xml": CONTENT_TYPES_XML,
        "word/document.xml": DOCUMENT_XML.format(text=text),
    }
    parts.update({name.replace("__", "/"): data for name, data in extra.items()})
    return _zip(parts)


def odt(text: str = "Hello", **extra: bytes | str) -> bytes:
    parts: dict[str, bytes | str] = {
        "mimetype": "application/vnd.oasis.opendocument.text",
        "content.xml": ODT_CONTENT.format(text=text),
    }
    parts.update({name.replace("__", "/"): data for name, data in extra.items()})
    return _zip(parts)


def macro_docx() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": CONTENT_TYPES_XML,
            "word/document.xml": DOCUMENT_XML.format(text="macro"),
            "word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 100,
        }
    )


def macro_odt() -> bytes:
    return odt(Basic__Standard__Module1_xml="<x/>")


def entity_docx() -> bytes:
    return _zip({"[Content_Types].xml": CONTENT_TYPES_XML, "word/document.xml": ENTITY_XML})


def zip_bomb_docx(megabytes: int = 50) -> bytes:
    return _zip(
        {
            "[Content_Types].xml": CONTENT_TYPES_XML,
            "word/document.xml": DOCUMENT_XML.format(text="bomb"),
            "word/media/padding.bin": b"\x00" * (megabytes * 1024 * 1024),
        }
    )


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)
