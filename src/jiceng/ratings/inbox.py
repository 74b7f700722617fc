"""To-do from the ratings: the centre head's 差评 to handle and appeals to decide; staff's own rectifications."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from jiceng.inbox.items import Item

from . import selectors
from .models import RectificationState


def items_for(user) -> list[Item]:
    items = []
    seen = set()
    for row in selectors.appeals_to_decide(user)[:50]:
        seen.add(row.pk)
        items.append(Item(key=f"ratings:appeal:{row.pk}:{row.version}", kind="ratings.appeal",
                          title=_("Appeal to decide: poor rating of case %(number)s") % {"number": row.rating.case.number},
                          body=row.appeal_reason, url=reverse("ratings:rectification_detail", args=[row.pk]),
                          when=row.appealed_at, level="warning"))
    for row in selectors.open_rectifications(user).exclude(pk__in=seen).order_by("due_on", "pk")[:100]:
        if row.state == RectificationState.OPEN:
            title = _("Poor rating to handle: call back the applicant of case %(number)s")
        else:
            title = _("Poor rating of case %(number)s: fix or explain")
        items.append(Item(key=f"ratings:rectification:{row.pk}:{row.version}", kind="ratings.rectification",
                          title=title % {"number": row.rating.case.number},
                          body=row.rating.comment, url=reverse("ratings:rectification_detail", args=[row.pk]),
                          when=row.opened_on, due=row.due_on, level="danger"))
    return items
