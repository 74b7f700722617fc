"""The to-do items of the enforcement ledgers (core.registry.inbox_source): overdue and due-soon clues and case
steps for officers and office heads, and for the county the offices late with their monthly report."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.scoping import may_any

from .capabilities import CASE_WORK, CLUE_HANDLE, REPORT_REVIEW
from .models import Case, Clue

LIMIT = 20


def items_for(user) -> list:
    from jiceng.inbox.items import Item

    if not getattr(user, "is_authenticated", False):
        return []
    today = timezone.localdate()
    items: list[Item] = []
    for model, action, route in ((Clue, CLUE_HANDLE, "enforcement:clue_detail"),
                                 (Case, CASE_WORK, "enforcement:case_detail")):
        if not may_any(user, action):
            continue
        rows = (model.objects.restrict(user, action).filter(state__in=model.open_states, due_on__isnull=False,
                                                            due_on__lte=today + timedelta(days=5))
                .select_related("unit").order_by("due_on", "pk")[:LIMIT])
        for row in rows:
            late = row.due_on < today
            items.append(Item(key=f"enforcement.{model._meta.model_name}:{row.pk}:{row.state}:{row.due_on}",
                              kind=f"enforcement.{model._meta.model_name}",
                              title=(_("Overdue: %(what)s") if late else _("Due soon: %(what)s")) % {
                                  "what": f"{row.number} {getattr(row, 'title', '') or row.get_state_display()}"},
                              body=row.unit.name, url=reverse(route, args=[row.pk]), due=row.due_on,
                              when=row.due_on, level="danger" if late else "warning"))
    if may_any(user, REPORT_REVIEW):
        from .reports import late_units

        year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
        for m in user.active_memberships:
            for office in late_units(user, m.unit, year, month, today)[:LIMIT]:
                items.append(Item(key=f"enforcement.report_late:{office.pk}:{year}-{month}",
                                  kind="enforcement.report_late",
                                  title=_("%(office)s: the monthly report of %(month)s is late") % {
                                      "office": office.name, "month": f"{year}-{month:02d}"},
                                  level="danger", due=None))
    return items
