"""The reviewer's to-do items from the indicators layer: each open 数据不实 flag in the user's review scope."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from jiceng.inbox.items import Item

from .models import DataFlag, FlagState

# The assessments app's review capability, by value (metrics does not import assessments).
REVIEW = "assessment.review"


def items_for(user) -> list[Item]:
    flags = DataFlag.objects.restrict(user, REVIEW).filter(state=FlagState.OPEN).select_related("unit")
    items = []
    for flag in flags.order_by("-created_at")[:50]:
        kind, _sep, ident = flag.key.partition(":")
        url = reverse("assessments:submission_review", kwargs={"pk": int(ident)}) if (
            kind == "submission" and ident.isdigit()) else ""
        items.append(Item(
            key=f"metrics.flag:{flag.pk}", kind="metrics.flag", level="warning", when=flag.created_at, url=url,
            title=_("Data not true? %(unit)s, item %(item)s: self-score %(claimed)s, the data supports %(supported)s")
            % {"unit": flag.unit.name, "item": flag.item, "claimed": flag.claimed.normalize(),
               "supported": flag.supported.normalize()},
        ))
    return items
