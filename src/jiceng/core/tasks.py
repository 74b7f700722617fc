"""Background tasks of the core (the Django tasks API through the django-tasks backport).

Run by the worker of the configured backend (django-tasks-db by default,
started by `jiceng serve` or `jiceng db_worker`).
"""

from __future__ import annotations

from django_tasks import task

from .export_jobs import export_job_run


@task()
def export_run(job_id: str) -> dict:
    """Write a large export (an ExportJob); the argument is the job's id, never a queryset."""
    return export_job_run(job_id)
