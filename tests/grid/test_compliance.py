"""Visit compliance (第十九条) on hand-built visits across a month and a year, from the SQL selectors."""

from datetime import date

import pytest
from django.db.models import Q

from jiceng.grid import selectors
from jiceng.grid.models import LogEntry

pytestmark = pytest.mark.django_db


def _visit(gw, resident, day):
    LogEntry.objects.create(unit=resident.unit, worker=gw.worker_a, day=day, kind="visit", resident=resident,
                            household=resident.household)


def _status(gw, today):
    rows = selectors.compliance_rows(Q(unit_id=gw.grid_a.pk), today, with_names=True)
    return {rule.code: {name: str(st) for _pk, _u, name, st in targets} for rule, targets in rows}


def test_weekly_and_monthly_rules_across_a_month(gw):
    # 赵一: 独居老人 + 残疾人 -> weekly (the strictest); 赵二: 残疾人 -> monthly; 钱二: 刑满释放 -> monthly.
    thursday = date(2026, 11, 26)
    _visit(gw, gw.elderly, date(2026, 11, 10))  # two weeks before: last week (16-22 Nov) had none
    _visit(gw, gw.disabled, date(2026, 10, 20))  # October, not November
    _visit(gw, gw.released, date(2026, 11, 3))
    s = _status(gw, thursday)
    assert s["weekly"] == {"赵一": "overdue"}
    assert s["monthly"] == {"赵二": "due", "钱二": "done"}
    _visit(gw, gw.elderly, thursday)
    assert _status(gw, thursday)["weekly"] == {"赵一": "done"}
    assert _status(gw, date(2026, 12, 1))["weekly"] == {"赵一": "due"}  # last week was visited
    # December: 赵二 missed November -> overdue; 钱二 visited in November -> due.
    assert _status(gw, date(2026, 12, 2))["monthly"] == {"赵二": "overdue", "钱二": "due"}


def test_households_twice_a_year(gw):
    _visit(gw, gw.ordinary, date(2025, 3, 1))
    _visit(gw, gw.ordinary, date(2025, 9, 1))
    _visit(gw, gw.released, date(2026, 4, 1))  # the same household (一组2号), once this year
    s = _status(gw, date(2026, 6, 30))["households"]
    assert s["一组2号"] == "due"  # 2025 had its two visits; 2026 needs one more
    assert s["一组1号"] == "overdue"  # no visit in 2025 (the elderly's visits are later)
    _visit(gw, gw.ordinary, date(2026, 6, 30))
    assert _status(gw, date(2026, 6, 30))["households"]["一组2号"] == "done"


def test_summary_agrees_with_rows(gw):
    today = date(2026, 12, 2)
    _visit(gw, gw.elderly, date(2026, 11, 25))
    rows = selectors.compliance_rows(Q(unit_id__in=[gw.grid_a.pk, gw.grid_b.pk]), today)
    counted = {}
    for _rule, targets in rows:
        for _pk, unit_id, _n, st in targets:
            counted.setdefault(unit_id, {"due": 0, "overdue": 0, "done": 0})[str(st)] += 1
    assert selectors.compliance_summary(Q(unit_id__in=[gw.grid_a.pk, gw.grid_b.pk]), today) == counted
