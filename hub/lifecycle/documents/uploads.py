"""The checks an uploaded template passes before it is read: hub.core.officefiles's, which signed
agreement files pass too (size, type by content, no macros, no zip bomb, no DTD or entities in any
XML part), with a template's own size limit."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError

from hub.core.officefiles import check_office_file
from hub.lifecycle.documents.engine.syntax import TemplateError

MAX_UPLOAD_BYTES = 5 << 20


def office_format(data: bytes) -> str:
    """ "odt" or "docx" for an acceptable upload; a TemplateError says what is wrong with it."""
    try:
        return check_office_file(
            io.BytesIO(data), {"odt", "docx"}, name="", max_bytes=MAX_UPLOAD_BYTES
        )
    except ValidationError as exc:
        raise TemplateError(" ".join(exc.messages)) from exc
