"""Exports: one registry of what each list exports, served at once when small, in the background when large.

A list registers its export once, by kind:

    @register_export("staff")
    def build_staff_export(user, filters) -> ExportSpec: ...

The builder receives the requesting user and the list's filters (plain JSON
values) and returns an `ExportSpec`: title, sheet name, columns, the queryset
(built through the same scoped selector as the list page), an optional row
function and the unit the audit record names. Builders live in an app's
`exports.py`, which is imported on first use (like Django admin's
`admin.py`), so a task worker finds them without importing any view.

`export_response(request, kind=…, filters=…)` counts the rows. Up to
EXPORT_STREAM_THRESHOLD rows it writes the workbook in memory, audits it and
sends it at once. Above, it creates an `ExportJob`, enqueues the export task
and redirects to the job's page, which shows the progress and then the
download (core/export_jobs.py). Both paths write the same file through
`write_spec` and the same audit record through `export_details`, whose
SHA-256 lets a copy found later be traced to who exported it, when, with
which filters, from which unit subtrees (`ExportSpec.scope`).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from jiceng.core import downloads
from jiceng.core.models import EventType
from jiceng.core.scoping import covers

from .columns import Column
from .writing import write_export

STREAM_THRESHOLD = 5000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ExportSpec:
    """What a registered builder returns: everything needed to write one export for one user."""

    title: str
    sheet_name: str
    columns: Sequence[Column]
    queryset: Any
    row_of: Callable[[Any], Sequence[Any]] | None = None
    unit: Any = None

    # The unit subtrees (materialised paths) the rows are drawn from, for a
    # unit-scoped export: recorded with the file, so a download checks that the
    # owner still sees at least as much (core/export_jobs.py). Empty for an
    # export guarded by a capability alone (the builder checks it).
    scope: Sequence[str] = ()

    # Printed after the title on the file's first line (the audit export puts
    # the signed chain heads there).
    note: str = ""

    def rows(self) -> Iterator[Sequence[Any]]:
        """The rows in the queryset's order, read in chunks that leave no query open between them."""
        row_of = self.row_of or (lambda obj: [column.export(obj) for column in self.columns])
        for chunk in read_in_chunks(self.queryset):
            for obj in chunk:
                yield row_of(obj)


CHUNK_ROWS = 2000


def _chunk_size(queryset) -> int:
    # SQLite allows only so many parameters in one query (Django assumes 999);
    # the query's own filters (one per scope path, the list's fields) need some.
    limit = connections[queryset.db].features.max_query_params
    return CHUNK_ROWS if limit is None else max(1, min(CHUNK_ROWS, limit - 100))


def read_in_chunks(queryset) -> Iterator[list]:
    """The objects of `queryset` in its own order, as lists of up to CHUNK_ROWS, each read by a closed query.

    `queryset.iterator()` would keep one cursor, hence (on SQLite) one read
    transaction, open for the whole export. A background export writes its
    progress on the same connection every 1,000 rows; in WAL mode, once any
    other connection has written since that read began (the owner's progress
    page saves its session every second), the write cannot upgrade the stale
    read and fails at once with "database is locked", the busy timeout
    notwithstanding. So the ordered primary keys are read first (one column,
    cheap), and the rows are then fetched by chunks of keys, each chunk read
    to the end before anything else runs. This keeps any ordering a list uses
    (the staff list's unit, post and name are not unique, so keyset paging on
    them would need the key as a tie-breaker in every builder), and each
    chunk goes through the same filters, so a row that left the user's scope
    in between is not written. Rows added after the keys were read are not
    part of this export.
    """
    if queryset.query.is_sliced:
        # A slice cannot be filtered further; it is bounded, so it is read at once.
        yield list(queryset)
        return
    keys = list(queryset.values_list("pk", flat=True))
    by_key = queryset.order_by()
    size = _chunk_size(queryset)
    for start in range(0, len(keys), size):
        chunk = keys[start : start + size]
        found = {obj.pk: obj for obj in by_key.filter(pk__in=chunk)}
        yield [found[key] for key in chunk if key in found]


Builder = Callable[[Any, dict[str, Any]], ExportSpec]
_REGISTRY: dict[str, Builder] = {}


def register_export(kind: str, build: Builder | None = None):
    """Register `build(user, filters) -> ExportSpec` as the export `kind`; usable as a decorator."""

    def add(builder: Builder) -> Builder:
        known = _REGISTRY.get(kind)
        if known is not None and _name(known) != _name(builder):
            raise ImproperlyConfigured(f"export kind {kind!r} is registered twice ({_name(known)}, {_name(builder)})")
        _REGISTRY[kind] = builder
        return builder

    return add(build) if build is not None else add


def _name(builder: Builder) -> str:
    return f"{builder.__module__}.{builder.__qualname__}"


def build_export(kind: str, user, filters: dict[str, Any]) -> ExportSpec:
    """The export `kind` for `user` with `filters`, rebuilt from scratch (scoped to the user as they are now)."""
    if kind not in _REGISTRY:
        autodiscover_modules("exports")
    if kind not in _REGISTRY:
        raise LookupError(f"no export is registered as {kind!r}")
    return _REGISTRY[kind](user, filters)


def registered_kinds() -> list[str]:
    autodiscover_modules("exports")
    return sorted(_REGISTRY)


def clean_filters(filters: dict[str, Any] | None) -> dict[str, Any]:
    """The filters without blanks, as JSON values: what the audit record and a background job store.

    Both paths hand the builder these same values, so a job rebuilds exactly
    the query the small export would have run.
    """
    kept = {key: value for key, value in (filters or {}).items() if value not in ("", None)}
    return json.loads(json.dumps(kept, cls=DjangoJSONEncoder, ensure_ascii=False))


def background_threshold() -> int:
    return getattr(settings, "EXPORT_STREAM_THRESHOLD", STREAM_THRESHOLD)


def exporter_name(user) -> str:
    full = getattr(user, "full_name", "") or ""
    username = user.get_username()
    return f"{full}（{username}）" if full and full != username else username


def export_file_name(title: str, exported_at: datetime) -> str:
    return f"{title}-{timezone.localtime(exported_at):%Y%m%d-%H%M%S}.xlsx"


def write_spec(
    stream: IO[bytes],
    spec: ExportSpec,
    *,
    user,
    exported_at: datetime,
    progress: Callable[[int], None] | None = None,
    progress_every: int | None = None,
) -> int:
    """Write the export's workbook to `stream`; returns the number of data rows."""
    return write_export(
        stream,
        sheet_name=spec.sheet_name,
        columns=spec.columns,
        rows=spec.rows(),
        exporter_name=exporter_name(user),
        title=f"{spec.title} · {spec.note}" if spec.note else spec.title,
        exported_at=exported_at,
        progress=progress,
        progress_every=progress_every,
    )


def scope_covers(current: Sequence[str], written: Sequence[str] | None) -> bool:
    """Whether the subtrees `current` still include every subtree `written` (None: unknown, so no)."""
    return covers(current, written)


def sha256_of(stream: IO[bytes]) -> str:
    stream.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def export_details(*, kind: str, file_name: str, rows: int, sha256: str, filters: dict, **extra) -> dict[str, Any]:
    """The details of a `data.export` audit record, the same for both paths."""
    return {"kind": kind, "file": file_name, "rows": rows, "sha256": sha256, "filters": filters, **extra}


# How a large export starts in the background: `core.export_jobs.export_job_start`, handed down
# by `CoreConfig.ready()`. export_jobs imports this module, so this module may not import it
# (docs/architecture.md, "Layers").
_background_starter: Callable[..., Any] | None = None


def set_background_start(start: Callable[..., Any]) -> None:
    global _background_starter
    _background_starter = start


def _background_start() -> Callable[..., Any]:
    if _background_starter is None:
        raise ImproperlyConfigured("no background export starter: jiceng.core is not in INSTALLED_APPS")
    return _background_starter


def export_response(request, *, kind: str, filters: dict[str, Any] | None = None):
    """The export `kind` of what the list shows: the file at once when small, else a background job's page."""
    filters = clean_filters(filters)
    spec = build_export(kind, request.user, filters)
    total = spec.queryset.count()
    if total > background_threshold():
        job = _background_start()(
            user=request.user,
            kind=kind,
            title=spec.title,
            filters=filters,
            rows_total=total,
            language=getattr(request, "LANGUAGE_CODE", "") or "",
        )
        return HttpResponseRedirect(job.get_absolute_url())
    exported_at = timezone.now()
    stream = io.BytesIO()
    written = write_spec(stream, spec, user=request.user, exported_at=exported_at)
    file_name = export_file_name(spec.title, exported_at)
    details = export_details(
        kind=kind,
        file_name=file_name,
        rows=written,
        sha256=sha256_of(stream),
        filters=filters,
        background=False,
        scope=list(spec.scope),
    )
    return downloads.serve(request, stream, filename=file_name, content_type=XLSX_TYPE,
                           audit_action=EventType.EXPORT, unit=spec.unit, kind=kind, details=details)
