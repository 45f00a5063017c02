"""The checks an uploaded template passes before it is read: its size, its type by content (not by
name), no macros, no zip bomb, no DTD or entities in any XML part. (hub/core/uploads.py may gain a
shared `check_office_file`; until then these checks live here.)"""

from __future__ import annotations

import io
import zipfile

from django.utils.translation import gettext as _

from hub.lifecycle.documents.engine.syntax import TemplateError

MAX_UPLOAD_BYTES = 5 << 20
MAX_ENTRIES = 500
MAX_INFLATED_BYTES = 64 << 20
MAX_RATIO = 200  # inflated size per compressed byte, past which an entry is taken for a bomb
ODT_MIMETYPES = (
    b"application/vnd.oasis.opendocument.text",
    b"application/vnd.oasis.opendocument.text-template",
)
DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCX_TEMPLATE_MAIN = (
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
)
MACRO_NAMES = ("basic/", "scripts/", "vbaproject.bin", "vbadata.xml")


def office_format(data: bytes) -> str:
    """ "odt" or "docx" for an acceptable upload; a TemplateError says what is wrong with it."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise TemplateError(
            _("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES >> 20}
        )
    if not data.startswith(b"PK\x03\x04"):
        raise TemplateError(_("The file is not an ODT or DOCX document."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as exc:
        raise TemplateError(_("The file is not a readable ODT or DOCX document.")) from exc
    with archive:
        _check_sizes(infos)
        names = {info.filename.lower(): info.filename for info in infos}
        if any(name.startswith(MACRO_NAMES) or "/vbaproject" in name for name in names):
            raise TemplateError(_("The file contains macros, which the hub refuses."))
        format = _format(archive, names)
        for info in infos:
            if info.filename.lower().endswith((".xml", ".rels")):
                head = archive.read(info)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise TemplateError(
                        _("The file declares a DTD or entities, which are refused."), info.filename
                    )
        return format


def _check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ENTRIES:
        raise TemplateError(_("The file unpacks to more than the hub accepts."))
    total = 0
    for info in infos:
        total += info.file_size
        bomb = info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 1 << 20
        if total > MAX_INFLATED_BYTES or bomb:
            raise TemplateError(_("The file unpacks to more than the hub accepts."))


def _format(archive: zipfile.ZipFile, names: dict[str, str]) -> str:
    if "mimetype" in names:
        mimetype = archive.read(names["mimetype"]).strip()
        if mimetype in ODT_MIMETYPES and "content.xml" in names:
            manifest = (
                archive.read(names["meta-inf/manifest.xml"])
                if "meta-inf/manifest.xml" in names
                else b""
            )
            if b"script" in manifest.lower() and b"basic" in manifest.lower():
                raise TemplateError(_("The file contains macros, which the hub refuses."))
            return "odt"
        raise TemplateError(_("The file is an OpenDocument file, but not a text document."))
    if "[content_types].xml" in names and "word/document.xml" in names:
        types = archive.read(names["[content_types].xml"])
        if b"macroEnabled" in types:
            raise TemplateError(_("The file contains macros, which the hub refuses."))
        if DOCX_MAIN in types or DOCX_TEMPLATE_MAIN in types:
            return "docx"
    raise TemplateError(_("The file is not an ODT or DOCX document."))
