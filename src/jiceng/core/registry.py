"""What each app contributes to the whole, registered from its `AppConfig.ready()`.

Adding an app is its folder plus one line in INSTALLED_APPS: the app's
`ready()` registers here its API router, its inbox sources, the actions its
reminders are addressed to, its daily tasks and its navigation entries, and
the central places (api/v1.py, inbox, the daily runner in core/daily.py, the
menu) read what is registered. Capabilities have their own registry
(core.capabilities) and imports theirs (core.imports).

Everything is named by dotted path and imported when first used, so `ready()`
imports nothing heavy and the core never imports an app. Lists come back in
INSTALLED_APPS order (then the order of registration within an app), whatever
order the `ready()` calls ran in, so the OpenAPI schema, the inbox and the menu
are the same on every start. Registering the same thing again is harmless.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

from django.utils.module_loading import import_string

# Registration point for the daily tasks (see `daily`): core/apps.py registers core's own
# there, e.g. the audit chain checkpoint:
#     registry.daily("core", "00:05", "jiceng.core.tasks.audit_checkpoint")


@dataclass(frozen=True)
class ApiRouter:
    app: str
    path: str  # dotted path of a ninja Router, e.g. "jiceng.org.api.router"

    def load(self):
        return import_string(self.path)


@dataclass(frozen=True)
class InboxSource:
    app: str
    path: str  # dotted path of `items_for(user) -> list[inbox.items.Item]`


@dataclass(frozen=True)
class DailyTask:
    app: str
    at: time  # local time (settings.TIME_ZONE)
    path: str  # dotted path of a django_tasks Task taking no arguments

    def load(self):
        return import_string(self.path)


@dataclass(frozen=True)
class NavEntry:
    """A menu link: shown to a signed-in user who holds one of `capabilities` (none: every signed-in user).

    `label` is a (lazy) string, or a callable `label(user)` for a label that counts something.
    """

    app: str
    label: Any
    url_name: str
    capabilities: tuple[str, ...]
    order: int

    def visible_to(self, user) -> bool:
        return not self.capabilities or any(user.has_capability(c) for c in self.capabilities)

    def label_for(self, user):
        return self.label(user) if callable(self.label) else self.label


# kind -> entries, in registration order (sorted by app when read).
_entries: dict[str, list] = {"api": [], "inbox": [], "actions": [], "daily": [], "nav": []}


def _add(kind: str, entry) -> None:
    if entry not in _entries[kind]:
        _entries[kind].append(entry)


def _app_order() -> dict[str, int]:
    from django.apps import apps

    return {config.label: index for index, config in enumerate(apps.get_app_configs())}


def _sorted(kind: str) -> list:
    """Entries of `kind` in INSTALLED_APPS order, stable within an app; an unknown label goes last."""
    order = _app_order()
    return sorted(_entries[kind], key=lambda entry: order.get(entry.app, len(order)))


# --- registering (from AppConfig.ready()) --------------------------------------------------------------


def api_router(app: str, path: str) -> None:
    """Mount the ninja Router at `path` under /api/v1 (api/v1.py)."""
    _add("api", ApiRouter(app, path))


def inbox_source(app: str, path: str) -> None:
    """Add the items of `items_for(user)` at `path` to every inbox (inbox.sources)."""
    _add("inbox", InboxSource(app, path))


def reminder_actions(app: str, *actions: str) -> None:
    """Actions (capability constants) that the app's reminders are addressed to (inbox.selectors)."""
    for action in actions:
        if not isinstance(action, str) or not action:
            raise ValueError(f"{app}: a reminder action must be a capability name, not {action!r}")
        if action not in [a for _, a in _entries["actions"]]:
            _entries["actions"].append((app, action))


def daily(app: str, at: str | time, path: str) -> None:
    """Run the task at `path` once a day at `at` ("HH:MM", local time), from the one daily runner (core.daily)."""
    if isinstance(at, str):
        try:
            at = time.fromisoformat(at)
        except ValueError:
            raise ValueError(f"{app}: daily task {path}: {at!r} is not a time of day (HH:MM)") from None
    if any(t.path == path and t.at != at for t in _entries["daily"]):
        raise ValueError(f"{app}: daily task {path} is already registered at another time")
    _add("daily", DailyTask(app, at.replace(second=0, microsecond=0, tzinfo=None), path))


def nav(app: str, label: Any, url_name: str, *, capability: str | tuple[str, ...] | None = None,
        order: int = 100) -> None:
    """A menu entry (see NavEntry); `order` places it among every app's entries (ties: INSTALLED_APPS)."""
    capabilities = () if capability is None else (capability,) if isinstance(capability, str) else tuple(capability)
    _add("nav", NavEntry(app, label, url_name, capabilities, order))


# --- reading -------------------------------------------------------------------------------------------


def api_routers() -> list[ApiRouter]:
    return _sorted("api")


def inbox_sources() -> list[str]:
    return [entry.path for entry in _sorted("inbox")]


def actions() -> tuple[str, ...]:
    order = _app_order()
    ranked = sorted(enumerate(_entries["actions"]), key=lambda item: (order.get(item[1][0], len(order)), item[0]))
    return tuple(action for _, (_, action) in ranked)


def daily_tasks() -> list[DailyTask]:
    """Every daily task, by time of day (ties: INSTALLED_APPS order)."""
    return sorted(_sorted("daily"), key=lambda entry: entry.at)


def nav_entries() -> list[NavEntry]:
    return sorted(_sorted("nav"), key=lambda entry: entry.order)


def nav_for(user) -> list[NavEntry]:
    """The entries a user may see, in menu order (none for an anonymous visitor)."""
    if user is None or not user.is_authenticated:
        return []
    return [entry for entry in nav_entries() if entry.visible_to(user)]


def snapshot() -> dict[str, list]:
    """A copy of every registration (tests restore it with `restore`)."""
    return {kind: list(entries) for kind, entries in _entries.items()}


def restore(saved: dict[str, list]) -> None:
    for kind, entries in saved.items():
        _entries[kind][:] = entries

