"""Daily: the absences that begin today hand the A holder's open cases over to B."""

from __future__ import annotations

from django_tasks import task


@task()
def start_absences() -> dict:
    """Daily at 06:30, before the window opens: hand over the open cases of every A holder whose absence begins."""
    from . import services

    return {"handed_over": services.start_due_absences()}
