"""The audit trail's xlsx export, and the pages of background exports (progress, download, "my exports")."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from jiceng.core.capabilities import READ_AUDIT

from . import downloads
from .export_jobs import (
    ExportRefused,
    export_job_for_owner,
    export_job_open,
    export_job_still_allowed,
    export_jobs_of,
    export_jobs_purge,
)
from .exports import AUDIT_COLUMNS  # noqa: F401  (the audit export's columns, imported from here before)
from .models import ExportJob
from .tabular.exporting import XLSX_TYPE, export_response
from .views import audit_events_filtered, capability_required

POLL_SECONDS = 1


@capability_required(READ_AUDIT)
def audit_export(request):
    _events, filters = audit_events_filtered(request)
    return export_response(request, kind="audit", filters=filters)


def _job_context(job) -> dict:
    # A finished file is offered only while its owner could still make the export (the download checks again).
    may_download = job.status == ExportJob.Status.DONE and export_job_still_allowed(job)
    return {"job": job, "poll_seconds": POLL_SECONDS, "may_download": may_download}


@login_required
@never_cache
def export_job(request, job):
    """A background export: its progress (polled with htmx while it runs), then its download or its error."""
    export_jobs_purge()
    job = export_job_for_owner(request.user, job)
    return render(request, "core/export_job.html", _job_context(job))


@login_required
@never_cache
def export_job_progress(request, job):
    """The progress fragment the job page polls every second; without a trigger once the job has ended."""
    job = export_job_for_owner(request.user, job)
    return render(request, "core/_export_progress.html", _job_context(job))


@login_required
@never_cache
def export_job_download(request, job):
    """The finished file, streamed from the private data directory to its owner only, while they may still make it."""
    job = export_job_for_owner(request.user, job)
    try:
        stream = export_job_open(job)
    except ExportRefused as refusal:
        return render(request, "core/export_refused.html", {"job": job, "message": str(refusal)}, status=403)
    # The export itself was recorded when the job wrote the file; this records who fetched it.
    return downloads.serve(request, stream, filename=job.file_name, content_type=XLSX_TYPE, subject=job,
                           kind=job.kind, sha256=job.sha256 or None, details={"job": str(job.pk)})


@login_required
@never_cache
def export_job_list(request):
    """The user's recent background exports."""
    export_jobs_purge()
    return render(request, "core/export_jobs.html", {"jobs": export_jobs_of(request.user)})
