"""The assessment's file rules on top of core.attachments: which types an office may attach, and the limit.

The checks themselves (type from the content, the name agreeing with it, the
size limit, the SHA-256) are the kit's (`jiceng.core.attachments`); this module
only keeps the assessment's limit (ASSESSMENT_EVIDENCE_MAX_BYTES, never above
the kit's ATTACHMENT_MAX_BYTES) and the names the rest of the app used before.
"""

from __future__ import annotations

from django.conf import settings

from jiceng.core import attachments
from jiceng.core.attachments import sniff  # noqa: F401  (the type by content, imported from here before)

# Default upper limit of one evidence file; ASSESSMENT_EVIDENCE_MAX_BYTES overrides it.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
KINDS = ("jpg", "png", "pdf", "xlsx", "docx")

EXTENSIONS = {kind: attachments.TYPES[kind].extensions[0] for kind in KINDS}
MIME = {kind: attachments.TYPES[kind].mime for kind in KINDS}


def max_bytes() -> int:
    return int(getattr(settings, "ASSESSMENT_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def check(upload, field: str = "file") -> attachments.Checked:
    """The checked file, or a ValidationError on `field` naming the file and why."""
    return attachments.check(upload, field=field, limit=max_bytes(), allowed=KINDS)


def read_checked(upload, field: str = "file") -> tuple[bytes, str, str]:
    """(content, type, sha256) of an uploaded file, or a ValidationError naming the field and why."""
    checked = check(upload, field)
    return checked.data, checked.kind, checked.sha256
