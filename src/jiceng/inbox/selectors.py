"""A user's inbox: the items derived from the work's state plus the stored reminders, with read marks.

Scoped through core.scoping: a reminder reaches the users who hold its action
at its unit or above. The number of queries is fixed (each source's own few,
one for the reminders, one for the read marks), whatever the size of the inbox.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from jiceng.core import registry
from jiceng.core.scoping import scope_q

from .items import Item, todo_groups
from .models import ReadMark, Reminder
from .sources import sources

LIMIT = 200


def reminder_actions() -> tuple[str, ...]:
    """The actions reminders are addressed to: capability constants that the apps register
    (core.registry.reminder_actions, from their AppConfig). A reminder with another action
    reaches nobody, so creating one is refused (services)."""
    return registry.actions()


def reminders_for(user):
    q = Q(pk__in=[])
    for action in reminder_actions():
        scoped = scope_q(user, action, "unit__path")
        if scoped is not None:
            q |= Q(action=action) & scoped
    return Reminder.objects.filter(q)


def _reminder_item(reminder: Reminder) -> Item:
    return Item(key=f"reminder:{reminder.pk}", kind=reminder.kind, title=reminder.title, body=reminder.body,
                url=reminder.url, when=reminder.created_at, due=reminder.due, level="warning")


def inbox_items(user) -> list[Item]:
    """Every item of the user's inbox, unread first, newest first."""
    if user is None or not user.is_authenticated:
        return []
    items: list[Item] = []
    for source in sources():
        items.extend(source(user))
    items.extend(_reminder_item(r) for r in reminders_for(user)[:LIMIT])
    read = set(ReadMark.objects.filter(user=user, key__in=[i.key for i in items]).values_list("key", flat=True))
    for item in items:
        item.unread = item.key not in read
    items.sort(key=lambda i: i.sort_key)
    return items


def todo(user, today) -> dict[str, list[Item]]:
    """The home page's to-do list: the inbox's items grouped (items.todo_groups); a stored reminder that
    points where a derived item already points is left out, the derived line saying the same."""
    items = inbox_items(user)
    derived = {i.url for i in items if not i.key.startswith("reminder:")}
    kept = [i for i in items if not (i.key.startswith("reminder:") and i.url and i.url in derived)]
    return todo_groups(kept, today)


def unread_count(user) -> int:
    return sum(1 for item in inbox_items(user) if item.unread)


def nav_label(user) -> str:
    """The menu entry's label, carrying the unread count (registered in InboxConfig.ready())."""
    unread = unread_count(user)
    return _("Inbox (%(n)s)") % {"n": unread} if unread else _("Inbox")
