"""The visit rules of 第十九条 as data, and the periods they run over (pure: no Django, no database).

    网格员每天必须入网格巡查和入户走访；每周必须会同有关人员探望独居老人、孤儿等特殊困难人员；
    每月走访残疾人、困难单亲母亲、流动人口、优抚对象以及社区服刑、戒毒、刑满释放等特殊人员不少于1次；
    每年走访一般居民家庭不少于2次。

A rule says what it covers (the grid itself, residents of some categories, every household), the
period (day, week, month, year) and how many visits the period needs. Status of one target on a day:

- DONE: the current period already has the visits it needs;
- OVERDUE: the last complete period ended short (a missed period) and the current one is not done yet;
- DUE: otherwise (the current period still runs).

A resident in categories of several rules follows the strictest (the shortest period): an elderly
person living alone who is also disabled is visited weekly, and that visit counts for the month too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Period(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


ORDER = {Period.DAY: 0, Period.WEEK: 1, Period.MONTH: 2, Period.YEAR: 3}


class Target(StrEnum):
    GRID = "grid"  # the patrol
    RESIDENTS = "residents"  # residents in `categories`
    HOUSEHOLDS = "households"  # every household


class Status(StrEnum):
    DONE = "done"
    DUE = "due"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class VisitRule:
    code: str
    target: Target
    period: Period
    times: int
    categories: frozenset[str] = frozenset()
    article: str = "第十九条"
    title: str = ""


RULES: tuple[VisitRule, ...] = (
    VisitRule("patrol", Target.GRID, Period.DAY, 1, title="每天入网格巡查"),
    VisitRule("weekly", Target.RESIDENTS, Period.WEEK, 1, frozenset({"alone_elderly", "orphan"}),
              title="每周探望独居老人、孤儿"),
    VisitRule("monthly", Target.RESIDENTS, Period.MONTH, 1,
              frozenset({"disabled", "single_mother", "migrant", "entitled", "community_correction", "drug_rehab",
                         "released"}),
              title="每月走访残疾人、困难单亲母亲、流动人口、优抚对象、社区服刑、戒毒、刑满释放人员"),
    VisitRule("households", Target.HOUSEHOLDS, Period.YEAR, 2, title="每年走访一般居民家庭不少于2次"),
)
BY_CODE = {rule.code: rule for rule in RULES}
RESIDENT_RULES = tuple(sorted((r for r in RULES if r.target is Target.RESIDENTS), key=lambda r: ORDER[r.period]))


def period_of(period: Period, day: date) -> tuple[date, date]:
    """The period containing `day`, first and last day inclusive (weeks run Monday to Sunday)."""
    if period is Period.DAY:
        return day, day
    if period is Period.WEEK:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if period is Period.MONTH:
        start = day.replace(day=1)
        following = (start + timedelta(days=32)).replace(day=1)
        return start, following - timedelta(days=1)
    return date(day.year, 1, 1), date(day.year, 12, 31)


def previous_period(period: Period, day: date) -> tuple[date, date]:
    start, _ = period_of(period, day)
    return period_of(period, start - timedelta(days=1))


def rule_for(categories) -> VisitRule | None:
    """The strictest resident rule covering any of `categories` (None: an ordinary resident)."""
    categories = set(categories)
    for rule in RESIDENT_RULES:
        if rule.categories & categories:
            return rule
    return None


def status(rule: VisitRule, current: int, previous: int) -> Status:
    """DONE / DUE / OVERDUE from the visits counted in the current and the previous period."""
    if current >= rule.times:
        return Status.DONE
    if previous < rule.times:
        return Status.OVERDUE
    return Status.DUE


def week_of(day: date) -> tuple[date, date]:
    return period_of(Period.WEEK, day)
