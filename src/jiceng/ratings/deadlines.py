"""The call-back and fix deadlines of a 差评, in working days from the day of the rating.

Settings (provinces use 5, 7 or 15 working days): RATINGS_CALLBACK_WORKING_DAYS (default 5) and
RATINGS_FIX_WORKING_DAYS (default 15). Any other value is refused at use.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from jiceng.core.deadlines import DayUnit, Rule

ALLOWED = (5, 7, 15)


def _days(name: str, default: int) -> int:
    n = getattr(settings, name, default)
    if n not in ALLOWED:
        raise ImproperlyConfigured(f"{name} must be one of {ALLOWED} working days, not {n!r}")
    return n


def callback_rule() -> Rule:
    return Rule(_days("RATINGS_CALLBACK_WORKING_DAYS", 5), DayUnit.WORKING, "差评回访")


def fix_rule() -> Rule:
    return Rule(_days("RATINGS_FIX_WORKING_DAYS", 15), DayUnit.WORKING, "差评整改")


def link_days() -> int:
    """Calendar days a rating link stays valid after it is issued (RATINGS_LINK_DAYS, default 30)."""
    return int(getattr(settings, "RATINGS_LINK_DAYS", 30))
