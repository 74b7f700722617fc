"""Serving an export: build the workbook, audit it, and stream it when it is large.

The workbook is always written in openpyxl's write-only mode (rows go to a
temporary file as they are produced, so memory stays flat). Up to
STREAM_THRESHOLD rows it is built in memory and sent whole; above, it is
written to an anonymous temporary file that the response streams in chunks
and that disappears when the response closes. The export's audit record
carries the file's SHA-256, so a copy found later can be traced to who
exported it, when, with which filters.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.http import FileResponse
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.models import EventType

from .columns import Column
from .writing import write_export

STREAM_THRESHOLD = 5000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def exporter_name(user) -> str:
    full = getattr(user, "full_name", "") or ""
    username = user.get_username()
    return f"{full}（{username}）" if full and full != username else username


def export_response(
    request,
    *,
    kind: str,
    title: str,
    sheet_name: str,
    columns: Sequence[Column],
    queryset,
    row_of: Callable[[Any], Sequence[Any]] | None = None,
    filters: dict[str, Any] | None = None,
    unit=None,
) -> FileResponse:
    """Write `queryset` as an xlsx download, audit the export, and return the response."""
    row_of = row_of or (lambda obj: [column.export(obj) for column in columns])
    total = queryset.count()
    threshold = getattr(settings, "EXPORT_STREAM_THRESHOLD", STREAM_THRESHOLD)
    stream = tempfile.TemporaryFile() if total > threshold else io.BytesIO()
    now = timezone.now()
    rows: Iterable[Sequence[Any]] = (row_of(obj) for obj in queryset.iterator(chunk_size=2000))
    written = write_export(
        stream,
        sheet_name=sheet_name,
        columns=columns,
        rows=rows,
        exporter_name=exporter_name(request.user),
        title=title,
        exported_at=now,
    )
    stream.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    file_name = f"{title}-{timezone.localtime(now):%Y%m%d-%H%M%S}.xlsx"
    audit.record_now(
        EventType.EXPORT,
        actor=request.user,
        unit=unit,
        details={
            "kind": kind,
            "file": file_name,
            "rows": written,
            "sha256": digest.hexdigest(),
            "filters": {k: v for k, v in (filters or {}).items() if v not in ("", None)},
            "streamed": total > threshold,
        },
    )
    response = FileResponse(stream, as_attachment=True, filename=file_name, content_type=XLSX_TYPE)
    response["Cache-Control"] = "no-store"
    return response
