"""The one way a file leaves Jiceng: `serve()` audits it and streams it with the right headers.

Every download calls it: a stored attachment (evidence, a veto's proof), a
document generated for the request (a declaration, a notice, a score sheet,
an evidence zip), an export written now or by a background job, an import's
marked-up error file or template. What the call sites share is written once:

- the audit record (by default `file.download`; a generated export keeps its
  `data.export`), with the file's name, size and SHA-256, so a copy found
  later can be traced to who took it and when. It is its own transaction
  (`record_now`): the download *is* the event, as a log-in is;
- the response: streamed by `FileResponse` (a stored file is never read into
  memory; bytes made for the request go in a plain response), `Content-Disposition: attachment` with the name both as an ASCII
  `filename=` when it is ASCII and as RFC 5987 `filename*=utf-8''…` when it
  is not (Chinese names), `Cache-Control: private, no-store`, and
  `X-Content-Type-Options: nosniff`;
- a stored file that has gone missing (storage restored from an older backup)
  is answered with a 404, not a server error.

Scope is checked *before* `serve()`, by reading the record through its scoped
query set (`core.scoping`, whose refusal is the audited 404): the attachment
view below for attachments in their own right, each owner's own view where an
owner's rule is wider than its unit (a submission is also visible to its
auditing county). `serve()` refuses an anonymous request outright, as a last
guard.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from pathlib import Path
from typing import IO, Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache

from . import audit
from .models import Attachment, EventType
from .refusals import get_scoped_or_404
from .scoping import VIEW

OCTET_STREAM = "application/octet-stream"
_CHUNK = 1024 * 1024


def _digest_of(stream: IO[bytes]) -> tuple[str, int]:
    """SHA-256 and size of a seekable stream, left at its start."""
    stream.seek(0)
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: stream.read(_CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return digest.hexdigest(), size


def _open(source) -> tuple[IO[bytes], str | None, int | None]:
    """(stream, known sha256, known size) of what is to be sent."""
    if isinstance(source, Attachment):
        try:
            return source.file.storage.open(source.file.name, "rb"), source.sha256, source.size
        except (OSError, ValueError):
            # The row outlived its file: nothing to send.
            raise Http404 from None
    if isinstance(source, FieldFile):
        if not source.name:
            raise Http404
        try:
            return source.storage.open(source.name, "rb"), None, None
        except (OSError, ValueError):
            raise Http404 from None
    if isinstance(source, bytes | bytearray):
        return io.BytesIO(source), None, None
    if isinstance(source, str | Path):
        try:
            return open(source, "rb"), None, None  # noqa: SIM115  (FileResponse closes it)
        except FileNotFoundError:
            raise Http404 from None
    if hasattr(source, "read") and hasattr(source, "seek"):
        return source, None, None
    raise TypeError(f"serve() cannot send a {type(source).__name__}")


def serve(
    request,
    source,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    audit_action: EventType | str | None = EventType.DOWNLOAD,
    unit=None,
    subject=None,
    kind: str = "",
    details: dict[str, Any] | None = None,
    sha256: str | None = None,
) -> HttpResponse:
    """Audit and stream `source` (an Attachment, a stored FieldFile, bytes, a seekable binary stream or a path).

    The caller has already read the record through its scoped query set. The
    file's name and type default to an attachment's own; `unit` and `subject`
    say whose data it is (for the trail). `audit_action=None` only where the
    producer itself has just written the record (the score sheet's export,
    which the command line also runs) or the file holds no data (a blank
    import template): say so at the call.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    if isinstance(source, Attachment):
        filename = filename or source.original_name
        content_type = content_type or source.content_type
        unit = unit if unit is not None else source.unit
        subject = subject if subject is not None else source
        details = {"attachment": str(source.pk), "purpose": source.purpose, **(details or {})}
    stream, digest, size = _open(source)
    if audit_action is not None:
        if digest is None:
            digest, size = _digest_of(stream)
        audit.record_now(
            audit_action, actor=user, subject=subject, unit=unit,
            details={"kind": kind, "file": filename or "", "bytes": size, "sha256": sha256 or digest,
                     **(details or {})},
        )
    if isinstance(source, bytes | bytearray):
        # Made for this request and already in memory: a plain response (its `content` readable, as before).
        response = HttpResponse(source, content_type=content_type or OCTET_STREAM)
        response["Content-Disposition"] = content_disposition_header(as_attachment=True,
                                                                     filename=filename or "download")
    else:
        response = FileResponse(stream, as_attachment=True, filename=filename or "download",
                                content_type=content_type or OCTET_STREAM)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@never_cache
def attachment_download(request, pk):
    """Any attachment, to whoever may view its unit's data; outsiders get the audited 404 of core.scoping."""
    try:
        pk = uuid.UUID(str(pk))
    except ValueError:
        # Not an id at all: the same 404 as an unknown one.
        raise Http404 from None
    attachment = get_scoped_or_404(Attachment.objects.select_related("unit"), request.user, VIEW, pk=pk)
    return serve(request, attachment, kind=attachment.purpose)
