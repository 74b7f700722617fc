"""Where derived inbox items come from: functions `items_for(user) -> list[Item]`, named by dotted path.

Named as strings and imported when first used, so the inbox does not import
the apps that feed it (and they may import the inbox to store reminders).
Settings may replace the list with INBOX_SOURCES.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_SOURCES = ["jiceng.assessments.outputs.inbox.items_for"]


@cache
def _load(paths: tuple[str, ...]):
    return [import_string(path) for path in paths]


def sources():
    return _load(tuple(getattr(settings, "INBOX_SOURCES", DEFAULT_SOURCES)))
