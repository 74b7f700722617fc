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


@task()
def audit_checkpoint() -> dict:
    """Daily: append a signed checkpoint of every audit chain's head to the checkpoint log (docs/operations.md)."""
    from .audit_chain import write_checkpoint

    entries = write_checkpoint()
    return {"chains": len(entries), "rows": sum(entry["chain_seq"] for entry in entries)}
