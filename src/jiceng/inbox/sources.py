"""Where derived inbox items come from: functions `items_for(user) -> list[Item]`, named by dotted path.

Each app registers its source from its `AppConfig.ready()`
(`core.registry.inbox_source(self.label, "jiceng.<app>.outputs.inbox.items_for")`),
named as a string and imported when first used, so the inbox does not import
the apps that feed it (and they may import the inbox to store reminders).
Settings may replace the registered list with INBOX_SOURCES.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from jiceng.core import registry


@cache
def _load(paths: tuple[str, ...]):
    return [import_string(path) for path in paths]


def source_paths() -> tuple[str, ...]:
    """The dotted paths in use: settings.INBOX_SOURCES if set, else what the apps registered."""
    configured = getattr(settings, "INBOX_SOURCES", None)
    return tuple(configured if configured is not None else registry.inbox_sources())


def sources():
    return _load(source_paths())
