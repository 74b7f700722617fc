"""Reads of the window's data: staff reads go through the scoping API; the public catalogue is public."""

from __future__ import annotations

from django.db.models import Prefetch, Q

from jiceng.core.capabilities import VIEW

from .models import Case, ServiceItem, ServiceItemVersion

TAGS = {"immediate": "tag_immediate", "online": "tag_online", "nearby": "tag_nearby", "once": "tag_once"}


def public_items(q: str = "", tag: str = ""):
    """The published catalogue (active items with a current version): search by name or code, filter by tag."""
    cond = Q(versions__is_current=True)
    q = (q or "").strip()
    if q:
        cond &= Q(versions__name__icontains=q) | Q(code__icontains=q)
    if tag in TAGS:
        cond &= Q(**{f"versions__{TAGS[tag]}": True})
    return with_current(ServiceItem.objects.filter(cond, active=True)).select_related("unit").order_by("unit__path", "code")


def with_current(qs):
    """Items that have a version in force, with it prefetched (``item.current`` costs no query)."""
    return qs.filter(versions__is_current=True).prefetch_related(
        Prefetch("versions", queryset=ServiceItemVersion.objects.filter(is_current=True), to_attr="current_list"))


def public_item(code: str):
    return with_current(ServiceItem.objects.filter(active=True, code=code)).select_related("unit").first()


def cases(user, action: str = VIEW):
    return Case.objects.restrict(user, action).select_related("item_version", "unit", "handler")


def items(user, action: str = VIEW):
    return with_current(ServiceItem.objects.restrict(user, action)).select_related("unit")
