"""Who may sit at a window (seeds 002 and 004), as warnings: pure rules on plain facts, no database.

Seed 002 (西吉, 人员配备标准化): window staff come from the approval work itself, have done it
2 years or more, hold 大专 or above, are 45 or younger; the chief representative (首席代表) has
worked 2 years or more in the unit, holds 大专 or above and is 48 or younger; window staff
rotate after 3 years (轮换时间为3年). Seed 004 (灵武 第三条, 第六条): agents (代办员) are village
committee (两委) members and stay at least two years; their age and education conditions "may
be relaxed" (可适当放宽条件), so an agent gets no age or education warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

WINDOW_MAX_AGE = 45
CHIEF_MAX_AGE = 48
MIN_YEARS_IN_WORK = 2
ROTATION_YEARS = 3
AGENT_MIN_YEARS = 2
# org.Education values at or above 大专 (junior college).
COLLEGE_OR_ABOVE = frozenset({"junior_college", "bachelor", "postgraduate"})


@dataclass(frozen=True)
class Facts:
    kind: str  # "window", "chief" or "agent" (staffing.models.WorkerKind)
    birth_date: date | None
    education: str  # an org.Education value, "" when unknown
    work_since: date | None
    post_since: date | None = None
    two_committees: bool = False


@dataclass(frozen=True)
class Warning:
    code: str
    message: str


def age_on(birth: date, day: date) -> int:
    """Full years (周岁) on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def years_between(start: date, day: date) -> int:
    return age_on(start, day)


def warnings(facts: Facts, today: date) -> list[Warning]:
    """Every condition of the seeds that `facts` do not meet on `today` (empty: eligible)."""
    out: list[Warning] = []
    if facts.kind != "agent":
        limit = CHIEF_MAX_AGE if facts.kind == "chief" else WINDOW_MAX_AGE
        if facts.birth_date is None:
            out.append(Warning("age_unknown", _("Birth date unknown: the age limit cannot be checked.")))
        elif age_on(facts.birth_date, today) > limit:
            out.append(Warning("age", _("Aged %(age)d: over the limit of %(limit)d.")
                               % {"age": age_on(facts.birth_date, today), "limit": limit}))
        if facts.education not in COLLEGE_OR_ABOVE:
            out.append(Warning("education", _("Education below junior college (大专).")))
        if facts.work_since is None:
            out.append(Warning("work_unknown", _("Start in the work unknown: 2 years in the work cannot be checked.")))
        elif years_between(facts.work_since, today) < MIN_YEARS_IN_WORK:
            out.append(Warning("work", _("Less than %(n)d years in the work.") % {"n": MIN_YEARS_IN_WORK}))
        if facts.kind == "window" and facts.post_since is not None \
                and years_between(facts.post_since, today) >= ROTATION_YEARS:
            out.append(Warning("rotation", _("On the post since %(since)s: rotation due after %(n)d years.")
                               % {"since": facts.post_since.isoformat(), "n": ROTATION_YEARS}))
    else:
        if not facts.two_committees:
            out.append(Warning("two_committees", _("A village agent must be a village committee (两委) member.")))
        if facts.post_since is not None and years_between(facts.post_since, today) < AGENT_MIN_YEARS:
            out.append(Warning("agent_stay", _("An agent stays at least %(n)d years: on the post since %(since)s.")
                               % {"n": AGENT_MIN_YEARS, "since": facts.post_since.isoformat()}))
    return out
