"""The centre head's to-do from staffing: leave requests to decide and breaches to confirm."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from jiceng.inbox.items import Item

from . import selectors


def items_for(user) -> list[Item]:
    items = []
    for leave in selectors.leaves_to_decide(user)[:50]:
        items.append(Item(key=f"staffing:leave:{leave.pk}:{leave.version}", kind="staffing.leave",
                          title=_("Leave request of %(name)s: %(starts)s to %(ends)s")
                          % {"name": leave.worker, "starts": leave.starts, "ends": leave.ends},
                          body=leave.reason, url=reverse("staffing:leave_list"), when=leave.starts, level="warning"))
    for breach in selectors.breaches_to_confirm(user)[:50]:
        items.append(Item(key=f"staffing:breach:{breach.pk}:{breach.version}", kind="staffing.breach",
                          title=_("Breach to confirm: %(name)s, %(kind)s on %(day)s")
                          % {"name": breach.worker, "kind": breach.get_kind_display(), "day": breach.occurred_on},
                          body=_("Proposed: %(measure)s") % {"measure": breach.get_proposed_measure_display()},
                          url=reverse("staffing:breach_list"), when=breach.occurred_on, level="danger"))
    return items
