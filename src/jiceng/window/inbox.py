"""The window's to-do lines for each role (the inbox source registered in apps.py).

Window staff: the cases they handle that wait on them (received, correcting, decided and not yet
delivered); the back office: accepted cases to review; the chief representative: reviewed cases to
decide; the centre head: the centre's overdue cases. Overdue lines are red, due-soon ones amber.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.deadlines import DUE_SOON_DAYS
from jiceng.core.scoping import may_any

from .capabilities import DECIDE, FIGURES, INTAKE, REVIEW
from .models import Case, State

LIMIT = 30


def _line(case, kind, title, today, cal):
    level = "info"
    if case.due_on is not None:
        if case.due_on < today:
            level = "danger"
        elif cal is not None and cal.count(today, case.due_on, "working") <= DUE_SOON_DAYS:
            level = "warning"
    from jiceng.inbox.items import Item

    return Item(key=f"window.case.{case.pk}.{case.version}", kind=kind, title=title,
                body=f"{case.item_version.name} · {case.applicant_name}", url=reverse("window:case_detail", args=[case.pk]),
                when=case.received_at, due=case.due_on, level=level)


def items_for(user) -> list:
    if not getattr(user, "is_authenticated", False):
        return []
    today = timezone.localdate()
    try:
        from jiceng.core.workdays import calendar

        cal = calendar()
    except Exception:  # noqa: BLE001 - the inbox shows the lines without the due-soon colour
        cal = None
    lines = []
    base = Case.objects.select_related("item_version").order_by("due_on", "pk")
    if may_any(user, INTAKE):
        qs = base.restrict(user, INTAKE).filter(handler=user, state__in=[State.RECEIVED, State.CORRECTING,
                                                                            State.ACCEPTED, State.DECIDED])
        for case in qs[:LIMIT]:
            lines.append(_line(case, "window.handle", _("Case %(number)s: %(state)s") % {
                "number": case.number, "state": case.get_state_display()}, today, cal))
    if may_any(user, REVIEW):
        for case in base.restrict(user, REVIEW).filter(state=State.ACCEPTED)[:LIMIT]:
            lines.append(_line(case, "window.review", _("Case %(number)s to review") % {"number": case.number},
                               today, cal))
    if may_any(user, DECIDE):
        for case in base.restrict(user, DECIDE).filter(state=State.REVIEWED)[:LIMIT]:
            lines.append(_line(case, "window.decide", _("Case %(number)s to decide") % {"number": case.number},
                               today, cal))
    if may_any(user, FIGURES):
        open_states = [str(s) for s in Case.open_states]
        for case in base.restrict(user, FIGURES).filter(state__in=open_states, due_on__lt=today)[:LIMIT]:
            lines.append(_line(case, "window.overdue", _("Case %(number)s is overdue") % {"number": case.number},
                               today, cal))
    return lines
