"""The one attachment service: a file checked by its content, limited in size, hashed, stored, audited.

Every app that keeps files (evidence of an assessment, a case's papers, a
photo of a grid patrol) calls `attachment_add`; nothing else writes an
`Attachment`. The checks, in order, each refusing with a message that names
the file and why:

1. size: over the limit (settings.ATTACHMENT_MAX_BYTES, or the caller's own
   smaller limit) is refused with the limit in the message, before the file is
   read into memory;
2. content: the type is decided from the bytes (magic numbers through the
   `filetype` library; for the zip-based Office formats the part types listed in
   the archive's `[Content_Types].xml`), never from the name or the browser's
   claim; anything else is refused;
3. name: the name's extension must agree with the content (a "报告.pdf" that is
   a PNG is refused, naming the file and both types), so a file cannot be
   saved under a name that makes a desktop open it with the wrong program.

The row, the stored file and the audit record are written in the caller's
transaction: a refusal or a later error in the same use case leaves nothing
behind (a stored file whose row rolled back is removed on rollback).
Downloads go through `core.downloads`, never through a storage URL.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit
from .models import Attachment, EventType

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FileType:
    """One accepted kind of file: its short name, MIME type, the extensions its name may carry, a label."""

    kind: str
    mime: str
    extensions: tuple[str, ...]
    label: object  # a lazy translation


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

TYPES: dict[str, FileType] = {
    t.kind: t
    for t in (
        FileType("jpg", "image/jpeg", (".jpg", ".jpeg"), gettext_lazy("JPEG photo")),
        FileType("png", "image/png", (".png",), gettext_lazy("PNG image")),
        FileType("pdf", "application/pdf", (".pdf",), gettext_lazy("PDF document")),
        FileType("xlsx", XLSX_MIME, (".xlsx",), gettext_lazy("Excel workbook (.xlsx)")),
        FileType("docx", DOCX_MIME, (".docx",), gettext_lazy("Word document (.docx)")),
    )
}

# The main part of each Office format, as [Content_Types].xml declares it. A
# macro-enabled workbook (.xlsm, "sheet.macroEnabled.main+xml") matches neither.
_OFFICE_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
}
_CONTENT_TYPE_ATTR = re.compile(rb'ContentType\s*=\s*"([^"]+)"')
# What `filetype` answers for the formats we accept (its names, mapped to ours).
_FILETYPE_KINDS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
_ZIP_MIMES = {"application/zip", XLSX_MIME, DOCX_MIME}


def max_bytes() -> int:
    return int(getattr(settings, "ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _office_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            try:
                # A content-types part is a few kilobytes; read a bounded amount (no zip bomb).
                with archive.open("[Content_Types].xml") as part:
                    types = part.read(256 * 1024)
            except KeyError:
                return None
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return None
    kinds = {_OFFICE_MAIN_PARTS.get(m.decode("ascii", "replace")) for m in _CONTENT_TYPE_ATTR.findall(types)}
    kinds.discard(None)
    return kinds.pop() if len(kinds) == 1 else None


def sniff(data: bytes) -> str | None:
    """The kind ('jpg', 'png', 'pdf', 'xlsx', 'docx') decided from the content, or None."""
    # filetype reads the same 8 KB header from a file; a PDF must start with "%PDF-" there.
    guess = filetype.guess(data[:8192])
    if guess is None:
        return None
    if guess.mime in _FILETYPE_KINDS:
        return _FILETYPE_KINDS[guess.mime]
    if guess.mime in _ZIP_MIMES:
        return _office_kind(data)
    return None


def _extension(name: str) -> str:
    return posixpath.splitext(name.rsplit("/", 1)[-1])[1].lower()


def _amount(n: int) -> str:
    """A size in bytes, exact, with a readable form beside it from 1 KB up ("10485760 bytes (10.0 MB)")."""
    exact = _("%(n)s bytes") % {"n": n}
    return exact if n < 1024 else f"{exact} ({filesizeformat(n)})".replace("\xa0", " ")


def _accepted_labels(allowed) -> str:
    return " / ".join(str(TYPES[k].label) for k in allowed)


@dataclass(frozen=True)
class Checked:
    """A file that passed every check: its bytes, kind, MIME type, SHA-256 and clean name."""

    data: bytes
    kind: str
    mime: str
    sha256: str
    name: str

    @property
    def size(self) -> int:
        return len(self.data)


def clean_name(name: str) -> str:
    """The last path segment, without control characters, at most 200 characters (keeping the extension).

    Backslashes stay (Django's upload already took the basename); whoever writes the name into a path
    (the evidence zip) makes it safe there.
    """
    name = (name or "").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if len(name) > 200:
        stem, ext = posixpath.splitext(name)
        name = stem[: 200 - len(ext)] + ext
    return name


def check(upload, *, field: str = "file", limit: int | None = None, allowed=None) -> Checked:
    """Read and check an uploaded file; a ValidationError on `field` naming the file and why."""
    allowed = tuple(allowed or TYPES)
    limit = max_bytes() if limit is None else min(limit, max_bytes())
    name = clean_name(getattr(upload, "name", "") or "")
    shown = name or _("(unnamed file)")
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError({field: _("“%(name)s” is %(size)s; the limit is %(limit)s.") % {
            "name": shown, "size": _amount(size), "limit": _amount(limit)}})
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({field: _("“%(name)s” is larger than the limit of %(limit)s.") % {
            "name": shown, "limit": _amount(limit)}})
    if not data:
        raise ValidationError({field: _("“%(name)s” is empty.") % {"name": shown}})
    kind = sniff(data)
    if kind is None or kind not in allowed:
        raise ValidationError({field: _(
            "“%(name)s” is not one of: %(types)s (checked by its content, not its name).") % {
            "name": shown, "types": _accepted_labels(allowed)}})
    found = TYPES[kind]
    extension = _extension(name)
    if extension not in found.extensions:
        named = next((t for t in TYPES.values() if extension in t.extensions), None)
        if named is None:
            message = _("“%(name)s” is a %(content)s by its content, but its name does not end in %(ext)s.") % {
                "name": shown, "content": found.label, "ext": _(" or ").join(found.extensions)}
        else:
            message = _("“%(name)s” is named as a %(named)s (%(ext)s) but its content is a %(content)s; "
                        "rename it to %(right)s or attach the right file.") % {
                "name": shown, "named": named.label, "ext": extension, "content": found.label,
                "right": _(" or ").join(found.extensions)}
        raise ValidationError({field: message})
    return Checked(data, kind, found.mime, hashlib.sha256(data).hexdigest(), name)


def storage_name(checked: Checked, purpose: str) -> str:
    """Where the file goes in the store: by purpose and month, named by its digest (never the upload name)."""
    folder = re.sub(r"[^a-z0-9_.-]", "-", purpose.lower()) or "files"
    return f"attachments/{folder}/{timezone.now():%Y/%m}/{checked.sha256}{TYPES[checked.kind].extensions[0]}"


def attachment_add(*, actor, unit, upload=None, checked: Checked | None = None, purpose: str,
                   field: str = "file", limit: int | None = None, allowed=None, reason: str = "",
                   subject=None, after: dict | None = None, details: dict | None = None) -> Attachment:
    """Check `upload` (or take an already `checked` file), store it for `unit` and audit it, in one transaction.

    `purpose` names the owner ("assessments.evidence"); `subject` is the record
    the audit row is about (the attachment itself when none is given), and
    `after` / `details` add the owner's own words to that one row, so a use case
    that attaches a file writes one audit record, not two.
    """
    if checked is None:
        checked = check(upload, field=field, limit=limit, allowed=allowed)
    with transaction.atomic():
        attachment = Attachment(
            unit=unit, purpose=purpose[:60], original_name=checked.name or f"file.{checked.kind}",
            kind=checked.kind, content_type=checked.mime, size=checked.size, sha256=checked.sha256,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            uploaded_by_name=(actor.get_username() if getattr(actor, "is_authenticated", False) else "")[:150],
        )
        attachment.file.save(storage_name(checked, purpose), ContentFile(checked.data), save=False)
        try:
            attachment.save(force_insert=True)
            audit.record(EventType.CREATE, actor=actor, subject=subject or attachment, unit=unit, reason=reason,
                         after={**(after or {}), "attachment": attachment.audit_summary()},
                         details={"purpose": purpose, **(details or {})})
        except BaseException:
            # Nothing half-saved: the row rolls back with this block, so the stored file goes too.
            attachment.file.storage.delete(attachment.file.name)
            raise
    return attachment


def attachment_delete(*, actor, attachment: Attachment, reason: str = "", subject=None,
                      before: dict | None = None, details: dict | None = None) -> None:
    """Remove an attachment and audit it; the stored file goes only once the removal has committed."""
    with transaction.atomic():
        audit.record(EventType.DELETE, actor=actor, subject=subject or attachment, unit=attachment.unit,
                     reason=reason, before={**(before or {}), "attachment": attachment.audit_summary()},
                     details={"purpose": attachment.purpose, **(details or {})})
        stored, storage = attachment.file.name, attachment.file.storage
        # A record still citing the file (PROTECT) refuses here, and the audit row rolls back with it.
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(stored))
