"""The ledgers' to-do items for office staff and heads (inbox.sources): open rows overdue or due within 5 days."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.inbox.items import Item

from .capabilities import REMIND
from .specs import SPECS

SOON_DAYS = 5
LIMIT = 20


def items_for(user) -> list[Item]:
    if not user.has_capability(REMIND):
        return []
    today = timezone.localdate()
    items: list[Item] = []
    for spec in SPECS.values():
        if not spec.is_ledger_row or spec.rule is None:
            continue
        rows = (spec.model.objects.restrict(user, REMIND)
                .filter(state__in=spec.model.open_states, due_on__lte=today + timedelta(days=SOON_DAYS))
                .select_related("unit").order_by("due_on", "pk")[:LIMIT])
        for row in rows:
            late = row.due_on < today
            items.append(Item(
                key=f"ledgers.{spec.kind}:{row.pk}:{row.due_on:%Y%m%d}", kind="ledgers",
                title=(_("Overdue: %(row)s") if late else _("Due soon: %(row)s")) % {"row": row},
                body=f"{spec.label} · {row.unit.name}", url=row.get_absolute_url(), due=row.due_on,
                level="danger" if late else "warning",
            ))
    return items
