from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.capabilities import READ_AUDIT, VIEW

from .capabilities import ASSIGN_ROLES, MANAGE_ACCOUNTS

# A count shown on a menu entry, by the entry's URL name, registered by the app that owns
# the entry from its AppConfig.ready() (docs/architecture.md, "Layers").
_counters: dict[str, Callable[[object], int]] = {}


def register_counter(url_name: str, count: Callable[[object], int]) -> None:
    _counters[url_name] = count


def navigation(request):
    """The menu of the signed-in user, built from what their roles allow."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(_("Home"), reverse("home"))]
    if user.scope_paths(VIEW):
        items += [(_("Units"), reverse("org:unit_tree")), (_("Staff"), reverse("org:staff_list"))]
        # Every business role takes part in assessments at some level (jiceng.assessments).
        items.append((_("Assessments"), reverse("assessments:campaign_list")))
        # What waits for the user (jiceng.inbox); the label carries the unread count, which the
        # inbox registers (accounts sits below the apps and imports none of them).
        counter = _counters.get("inbox:inbox")
        unread = counter(user) if counter else 0
        items.append((_("Inbox (%(n)s)") % {"n": unread} if unread else _("Inbox"), reverse("inbox:inbox")))
    if user.has_capability(MANAGE_ACCOUNTS):
        items.append((_("Accounts"), reverse("accounts:user_list")))
    if user.has_capability(ASSIGN_ROLES):
        items.append((_("Roles"), reverse("accounts:membership_list")))
    if user.has_capability(READ_AUDIT):
        items.append((_("Audit trail"), reverse("core:audit_list")))
    if user.scope_paths(VIEW) or user.has_capability(READ_AUDIT):
        # Large exports of the lists above are written in the background (core.export_jobs).
        items.append((_("My exports"), reverse("exports:list")))
    # Every account may hold API tokens; they act with the account's own roles.
    items.append((_("API tokens"), reverse("tokens:list")))
    return {"nav_items": [{"label": label, "url": url} for label, url in items]}
