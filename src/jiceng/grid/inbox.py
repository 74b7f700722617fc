"""The grid's to-do items (inbox source): a worker's due and overdue visits, the AB partner's covered grid,
the director's unsigned weeks, the township's open dismissal cases."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.inbox.items import Item

from . import selectors
from . import visit_rules as vr
from .capabilities import GRADE_QUARTER, SIGN_OFF
from .models import DismissalCase, GridWorker, LogEntry, Signoff


def items_for(user) -> list[Item]:
    today = timezone.localdate()
    items: list[Item] = []
    grids = [w.unit_id for w in selectors.my_workers(user)]
    covered = selectors.covered_grid_ids(user, today)
    if grids or covered:
        summary = selectors.compliance_summary(Q(unit_id__in=grids + covered), today)
        for unit_id, counts in sorted(summary.items()):
            if counts["overdue"] or counts["due"]:
                label = _("Covering (AB post): ") if unit_id in covered else ""
                items.append(Item(key=f"grid:visits:{unit_id}:{today}", kind="grid.visits",
                                  title=label + _("%(overdue)d overdue and %(due)d due visits")
                                  % {"overdue": counts["overdue"], "due": counts["due"]},
                                  url=reverse("grid:home"), due=today,
                                  level="danger" if counts["overdue"] else "warning"))
    last_week = vr.week_of(today - timedelta(days=7))[0]
    signable = GridWorker.objects.restrict(user, SIGN_OFF).filter(active=True)
    signed = Signoff.objects.filter(kind="week", start=last_week).values("worker_id")
    waiting = (signable.exclude(pk__in=signed)
               .filter(pk__in=LogEntry.objects.filter(day__gte=last_week).values("worker_id")))
    for worker in waiting[:50]:
        items.append(Item(key=f"grid:sign:{worker.pk}:{last_week}", kind="grid.sign_off",
                          title=_("Sign off %(name)s's week from %(day)s") % {"name": worker.name, "day": last_week},
                          url=reverse("grid:worker_log", args=[worker.pk]), level="warning"))
    for case in DismissalCase.objects.restrict(user, GRADE_QUARTER).exclude(state__in=["filed", "dropped"])[:50]:
        items.append(Item(key=f"grid:dismissal:{case.pk}", kind="grid.dismissal",
                          title=_("Dismissal case for %(name)s (第三十四条 ground %(g)s)")
                          % {"name": case.worker.name, "g": case.trigger},
                          url=reverse("grid:dismissal", args=[case.pk]), level="danger"))
    return items
