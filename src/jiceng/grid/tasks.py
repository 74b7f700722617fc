"""The grid's daily task (registered with core.registry.daily): the automatic dismissal grounds."""

from __future__ import annotations

from django_tasks import task


@task()
def dismissal_check():
    from .services.dismissal import check_all

    return check_all()
