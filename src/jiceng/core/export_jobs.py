"""Background exports: start a job, run it (the task's body), hand its file to its owner only, forget it.

The life of a job (docs/import-export.md):

1. `export_job_start` (from `export_response`, above EXPORT_STREAM_THRESHOLD
   rows) stores the kind, the filters, the owner, the request's address and
   language, and enqueues `core.tasks.export_run`.
2. `export_job_run`, in the task worker, claims the job (queued -> running,
   so a task delivered twice writes once), rebuilds the export through the
   registry from the owner and the filters, writes the workbook under
   `$JICENG_DATA_DIR/exports/` reporting the rows written every 1,000 rows,
   and then, in one transaction, records the `data.export` audit event (with
   the unit subtrees the rows came from) and marks the job done. Any error
   marks the job failed with a message and leaves no file behind; marking it
   failed is itself guarded, so a job never stays "running" because of it.
3. `export_job_for_owner` is the only way a view reaches a job: anyone but
   its owner gets the 404 of a missing job, and the attempt is recorded.
   `export_job_open` hands over the file only while its owner may still make
   this export: the builder is asked again (it refuses a lost capability) and
   the owner's scope must still cover the subtrees the file was written from;
   otherwise the refusal is recorded and the owner is told why.
4. Files live EXPORT_FILE_HOURS (24) hours after they are finished.
   `export_jobs_purge` deletes expired files (the job stays, marked expired)
   and forgets jobs after JOB_KEEP_DAYS; it runs before every export task
   and on every visit of an export page, and a download never serves an
   expired file even if no sweep has run yet.
"""

from __future__ import annotations

import logging
import os
import uuid
from datetime import timedelta
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import DatabaseError, transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import audit
from .context import current_ip
from .models import AuditEvent, EventType, ExportJob, Outcome
from .refusals import get_allowed_or_404
from .tabular.exporting import (
    build_export,
    export_details,
    export_file_name,
    scope_covers,
    sha256_of,
    write_spec,
)

logger = logging.getLogger(__name__)

FILE_HOURS = 24
JOB_KEEP_DAYS = 30
EXPORT_SUBDIR = "exports"
Status = ExportJob.Status


class ExportRefused(Exception):
    """A job that must not run; the message is shown to its owner."""


def file_hours() -> int:
    return getattr(settings, "EXPORT_FILE_HOURS", FILE_HOURS)


def export_dir() -> Path:
    """The private folder of finished exports (under the data directory, never served as static or media)."""
    folder = Path(settings.DATA_DIR) / EXPORT_SUBDIR
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def job_file(job: ExportJob) -> Path | None:
    return Path(settings.DATA_DIR) / job.file_path if job.file_path else None


# --- starting -----------------------------------------------------------------

# The task that runs a job (`core.tasks.export_run`), handed down by `CoreConfig.ready()`:
# tasks.py imports this module for the task's body, so this module may not import tasks.py
# (docs/architecture.md, "Layers").
_export_task = None


def set_run_task(task) -> None:
    global _export_task
    _export_task = task


def _run_task():
    if _export_task is None:
        raise ImproperlyConfigured("no export task: jiceng.core is not in INSTALLED_APPS")
    return _export_task


def export_job_start(*, user, kind: str, title: str, filters: dict, rows_total: int, language: str = "") -> ExportJob:
    """Store a job for `user` and enqueue its task; the caller redirects to the job's page."""
    export_run = _run_task()
    job = ExportJob.objects.create(
        user=user,
        kind=kind,
        title=title[:200],
        filters=filters,
        rows_total=rows_total,
        ip=(current_ip() or "")[:100],
        language=language[:10],
    )
    try:
        export_run.enqueue(str(job.pk))
    except Exception as exc:
        _fail(job.pk, exc)
        raise
    job.refresh_from_db()
    return job


# --- running (the task's body) ----------------------------------------------------


def export_job_run(job_id: str) -> dict:
    """Write the job's export; returns what the task reports (status, rows, SHA-256)."""
    export_jobs_purge()
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(status=Status.RUNNING, started_at=now)
    if not claimed:
        # Delivered twice, or already expired: the first run's outcome stands.
        return {"job": str(job_id), "status": "skipped"}
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            return _write(job)
        except BaseException as exc:
            # BaseException too: a worker stopped mid-export (SystemExit) must not leave the job "running".
            logger.exception("export job %s failed", job.pk)
            _fail(job.pk, exc)
            if isinstance(exc, ExportRefused | PermissionDenied):
                _record_refusal(job, exc)
            raise


def _write(job: ExportJob) -> dict:
    user = job.user
    if not user.is_active:
        raise ExportRefused(_("The account that asked for this export is disabled."))
    spec = build_export(job.kind, user, job.filters)
    total = spec.queryset.count()
    ExportJob.objects.filter(pk=job.pk).update(rows_total=total)
    relative = f"{EXPORT_SUBDIR}/{job.pk}.xlsx"
    final = export_dir() / f"{job.pk}.xlsx"
    partial = final.with_suffix(".part")
    exported_at = timezone.now()

    def progress(rows: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_written=rows)

    try:
        # Created readable by the service account only: the file holds (masked) personal data.
        with os.fdopen(os.open(partial, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600), "w+b") as stream:
            written = write_spec(stream, spec, user=user, exported_at=exported_at, progress=progress)
            stream.flush()
            digest = sha256_of(stream)
        os.replace(partial, final)
        file_name = export_file_name(spec.title, exported_at)
        finished = timezone.now()
        details = export_details(
            kind=job.kind,
            file_name=file_name,
            rows=written,
            sha256=digest,
            filters=job.filters,
            background=True,
            job=str(job.pk),
            scope=list(spec.scope),
        )
        with transaction.atomic():
            audit.record(EventType.EXPORT, actor=user, unit=spec.unit, details=details, ip=job.ip or None)
            done = ExportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
                status=Status.DONE,
                rows_total=written,
                rows_written=written,
                file_path=relative,
                file_name=file_name[:255],
                sha256=digest,
                finished_at=finished,
                expires_at=finished + timedelta(hours=file_hours()),
            )
            if not done:
                # The sweep gave the job up meanwhile (over its lifetime): its failure stands, and
                # raising here takes the export's audit record back with the file.
                raise RuntimeError("the export job was given up while it ran")
    except BaseException:
        partial.unlink(missing_ok=True)
        final.unlink(missing_ok=True)
        raise
    return {"job": str(job.pk), "status": Status.DONE.value, "rows": written, "sha256": digest}


def _record_refusal(job: ExportJob, exc: BaseException) -> None:
    """A job refused when it runs (account disabled, capability lost) is on the record like any refusal."""
    try:
        audit.record_now(
            EventType.ACCESS_DENIED,
            actor=job.user,
            subject=job,
            outcome=Outcome.DENIED,
            details={"action": "export", "kind": job.kind, "reason": _message_for(exc)},
            ip=job.ip or None,
        )
    except DatabaseError:
        logger.exception("export job %s: could not record its refusal", job.pk)


def _message_for(exc: BaseException) -> str:
    if isinstance(exc, ExportRefused):
        return str(exc)
    if isinstance(exc, PermissionDenied):
        return _("You are no longer allowed to make this export.")
    if not isinstance(exc, Exception):
        return _("The export was interrupted: the task worker stopped. Export again.")
    reason = str(exc).strip() or type(exc).__name__
    return _("The export failed (%(reason)s). Try again; if it fails again, tell the system administrator.") % {
        "reason": reason[:500]
    }


def _fail(job_id, exc: BaseException) -> None:
    """Mark the job failed with the message for `exc`; never raises (the export's own error is the one to report).

    If the first attempt fails (on SQLite, a read the failed export left open
    on this connection turns the UPDATE into "database is locked"), the
    connection is closed, which ends whatever it held, and the UPDATE runs
    again on a fresh one. Inside a transaction (a test, a caller's atomic
    block) the connection is not the job's to close, so there is one attempt.
    """
    message = _message_for(exc)[:2000]
    connection = transaction.get_connection(ExportJob.objects.db)
    for attempt in (1, 2):
        try:
            now = timezone.now()
            # Only a job still under way: a finished one keeps its outcome (and its file).
            ExportJob.objects.filter(pk=job_id, status__in=[Status.QUEUED, Status.RUNNING]).update(
                status=Status.FAILED,
                error=message,
                finished_at=now,
                expires_at=now + timedelta(hours=file_hours()),
            )
            return
        except DatabaseError:
            logger.exception("export job %s: could not record its failure (attempt %d)", job_id, attempt)
            if attempt == 2 or connection.in_atomic_block:
                return
            connection.close()


# --- reaching a job -------------------------------------------------------------------


def export_job_for_owner(user, job_id) -> ExportJob:
    """The job, if `user` owns it; the same 404 for "not found" and "not yours", the latter recorded."""
    try:
        pk = uuid.UUID(str(job_id))
    except ValueError:
        raise Http404 from None
    job = get_allowed_or_404(ExportJob.objects.filter(user=user), ExportJob.objects.all(), user, "view", pk=pk)
    if _is_expired(job):
        _expire(job)
        job.refresh_from_db()
    return job


def export_job_open(job: ExportJob) -> IO[bytes]:
    """The finished file of the owner's job, opened for reading; 404 once expired, failed or gone.

    Raises ExportRefused (recorded as a refusal) when the owner may no longer
    make this export. The file is opened once, here: the sweep may delete it
    at any moment, and a file that is gone is answered as an expired one.
    """
    path = job_file(job)
    if job.status != Status.DONE or path is None or _is_expired(job):
        raise Http404
    _check_still_allowed(job)
    try:
        return path.open("rb")
    except FileNotFoundError:
        _expire(job)
        raise Http404 from None


def export_job_still_allowed(job: ExportJob) -> bool:
    """Whether the owner could still make this export (active, the capability, a view covering the file's units)."""
    user = job.user
    try:
        return user.is_active and scope_covers(build_export(job.kind, user, job.filters).scope, _scope_written(job))
    except PermissionDenied:
        return False


def _check_still_allowed(job: ExportJob) -> None:
    """Refuse the download of a file its owner could no longer export (a capability or a scope lost since)."""
    if export_job_still_allowed(job):
        return
    message = _("You are no longer allowed to make this export.")
    audit.record_now(
        EventType.ACCESS_DENIED,
        actor=job.user,
        subject=job,
        outcome=Outcome.DENIED,
        details={"action": "download", "kind": job.kind, "reason": "export no longer allowed"},
    )
    raise ExportRefused(message)


def _scope_written(job: ExportJob) -> list[str] | None:
    """The unit subtrees the job's file was written from, as its `data.export` record keeps them.

    None (refused) when the record cannot be found. A record written before
    the scope was recorded has none to compare: the builder's own check stays.
    """
    records = AuditEvent.objects.filter(event_type=EventType.EXPORT, actor_id=job.user_id)
    if job.started_at is not None:
        records = records.filter(created_at__gte=job.started_at)
    record = records.filter(details__job=str(job.pk)).only("details").first()
    if record is None:
        return None
    return list(record.details.get("scope", []))


def export_jobs_of(user, limit: int = 20):
    """The user's most recent jobs, newest first (the "my exports" page)."""
    return ExportJob.objects.filter(user=user).order_by("-created_at")[:limit]


# --- forgetting ------------------------------------------------------------------------


def _is_expired(job: ExportJob, now=None) -> bool:
    return job.status == Status.DONE and job.expires_at is not None and job.expires_at <= (now or timezone.now())


def _delete_file(job: ExportJob) -> None:
    path = job_file(job)
    if path is not None:
        path.unlink(missing_ok=True)


def _expire(job: ExportJob) -> None:
    _delete_file(job)
    ExportJob.objects.filter(pk=job.pk, status=Status.DONE).update(status=Status.EXPIRED, file_path="")


def export_jobs_purge(now=None) -> dict[str, int]:
    """Delete expired files, give up on jobs no worker finished, forget old jobs; returns the counts."""
    now = now or timezone.now()
    expired = list(ExportJob.objects.filter(status=Status.DONE, expires_at__lte=now).only("pk", "file_path", "status"))
    for job in expired:
        _expire(job)
    # A worker that was stopped mid-export, or never started, leaves its job
    # waiting forever; after the files' own lifetime its owner is told.
    stale = now - timedelta(hours=file_hours())
    abandoned = ExportJob.objects.filter(status__in=[Status.QUEUED, Status.RUNNING], created_at__lt=stale).update(
        status=Status.FAILED,
        error=_("The export did not finish in time: the task worker may have stopped. Export again."),
        finished_at=now,
        expires_at=now,
    )
    old = ExportJob.objects.filter(created_at__lt=now - timedelta(days=JOB_KEEP_DAYS))
    for job in old.exclude(file_path=""):
        _delete_file(job)
    forgotten, _counts = old.delete()
    # No file outlives its lifetime, even one whose job is gone: a partial file
    # of a worker killed mid-write, or the file of a job in a database that was
    # replaced (a restored backup, a test run against the same data directory).
    orphans = 0
    folder = Path(settings.DATA_DIR) / EXPORT_SUBDIR
    cutoff = (stale - timedelta(hours=1)).timestamp()
    if folder.is_dir():
        for leftover in [*folder.glob("*.part"), *folder.glob("*.xlsx")]:
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink(missing_ok=True)
                orphans += 1
    return {"expired": len(expired), "abandoned": abandoned, "forgotten": forgotten, "orphans": orphans}
