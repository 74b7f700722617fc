"""Reads of the window's data: staff reads go through the scoping API; the public catalogue is public."""

from __future__ import annotations

from django.db.models import Q

from jiceng.core.capabilities import VIEW

from .models import Case, ServiceItem

TAGS = {"immediate": "tag_immediate", "online": "tag_online", "nearby": "tag_nearby", "once": "tag_once"}


def public_items(q: str = "", tag: str = ""):
    """The published catalogue (active items with a current version): search by name or code, filter by tag."""
    qs = ServiceItem.objects.filter(active=True, current__isnull=False).select_related("current", "unit")
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(current__name__icontains=q) | Q(code__icontains=q))
    if tag in TAGS:
        qs = qs.filter(**{f"current__{TAGS[tag]}": True})
    return qs.order_by("unit__path", "code")


def public_item(code: str):
    return (ServiceItem.objects.filter(active=True, current__isnull=False, code=code)
            .select_related("current", "unit").first())


def cases(user, action: str = VIEW):
    return Case.objects.restrict(user, action).select_related("item_version", "unit", "handler")


def items(user, action: str = VIEW):
    return ServiceItem.objects.restrict(user, action).select_related("current", "unit")
