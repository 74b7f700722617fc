"""Checking uploaded files by their content: magic bytes, and the inside of Office zip files."""

from __future__ import annotations

import hashlib
import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Default upper limit of one evidence file; ASSESSMENT_EVIDENCE_MAX_BYTES overrides it.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

EXTENSIONS = {"jpg": ".jpg", "png": ".png", "pdf": ".pdf", "xlsx": ".xlsx", "docx": ".docx"}
MIME = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def max_bytes() -> int:
    return int(getattr(settings, "ASSESSMENT_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff(data: bytes) -> str | None:
    """'jpg', 'png', 'pdf', 'xlsx', 'docx' from the content, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        # xlsx and docx are both zip files; what tells them apart is their main part.
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" not in names:
            return None
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
    return None


def read_checked(upload, field: str = "file") -> tuple[bytes, str, str]:
    """(content, type, sha256) of an uploaded file, or a ValidationError naming the field and why."""
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            {field: _("The file is %(size)s bytes; the limit is %(limit)s bytes.") % {"size": size, "limit": limit}}
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({field: _("The file is larger than the limit of %(limit)s bytes.") % {"limit": limit}})
    if not data:
        raise ValidationError({field: _("The file is empty.")})
    kind = sniff(data)
    if kind is None:
        raise ValidationError(
            {field: _("This file is not a JPEG or PNG photo, a PDF, an .xlsx or a .docx file (checked by its content).")}
        )
    return data, kind, hashlib.sha256(data).hexdigest()
