"""The pure rules: visit periods and statuses (第十九条), eligibility (第三条), pay (第二十六、二十七条)."""

from datetime import date
from decimal import Decimal

from jiceng.grid import rules
from jiceng.grid import visit_rules as vr


def test_periods():
    assert vr.period_of(vr.Period.WEEK, date(2026, 12, 3)) == (date(2026, 11, 30), date(2026, 12, 6))
    assert vr.period_of(vr.Period.MONTH, date(2026, 2, 10)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert vr.previous_period(vr.Period.MONTH, date(2026, 1, 10)) == (date(2025, 12, 1), date(2025, 12, 31))
    assert vr.previous_period(vr.Period.YEAR, date(2026, 6, 1)) == (date(2025, 1, 1), date(2025, 12, 31))


def test_strictest_rule_wins():
    assert vr.rule_for(["disabled", "alone_elderly"]).code == "weekly"
    assert vr.rule_for(["released"]).code == "monthly"
    assert vr.rule_for(["hardship_family"]) is None


def test_status():
    weekly = vr.BY_CODE["weekly"]
    households = vr.BY_CODE["households"]
    assert vr.status(weekly, 1, 0) is vr.Status.DONE
    assert vr.status(weekly, 0, 1) is vr.Status.DUE
    assert vr.status(weekly, 0, 0) is vr.Status.OVERDUE
    assert vr.status(households, 1, 2) is vr.Status.DUE  # twice a year: one visit is not enough
    assert vr.status(households, 2, 0) is vr.Status.DONE


def test_eligibility():
    urban_member = rules.eligibility(area="urban", appointment="two_committees", committee_post="member")
    assert [f.level for f in urban_member] == ["refused"]
    assert rules.eligibility(area="urban", appointment="recruited", committee_post="none") == []
    secretary = rules.eligibility(area="rural", appointment="two_committees", committee_post="secretary")
    assert rules.refused(secretary)[0].code == "village_secretary"
    other = rules.eligibility(area="rural", appointment="two_committees", committee_post="member")
    assert [f.level for f in other] == ["warning"]
    assert rules.eligibility(area="rural", appointment="group_leader", committee_post="none") == []


def test_pay():
    pay = rules.monthly_pay(area="urban", appointment="recruited", star_level=0, certificate="social_work",
                            min_wage=Decimal("1950"), multiple=Decimal("1.5"), star_subsidies={},
                            certificate_allowance=Decimal("300"))
    assert pay.monthly == Decimal("2925.00") and pay.allowance == Decimal("300")
    village = rules.monthly_pay(area="rural", appointment="group_leader", star_level=3, certificate="none",
                                min_wage=Decimal("1950"), multiple=Decimal("1.5"), star_subsidies={"3": "1200"},
                                certificate_allowance=Decimal("300"))
    assert village.monthly == Decimal("1200") and village.allowance == 0


def test_quarters():
    assert rules.quarter_range("2026-Q4") == (date(2026, 10, 1), date(2026, 12, 31))
    assert rules.quarter_range("2026-Q1") == (date(2026, 1, 1), date(2026, 3, 31))
    assert rules.previous_quarter("2026-Q1") == "2025-Q4"
    assert rules.pool_valid(date(2025, 12, 5), date(2026, 12, 4))
    assert not rules.pool_valid(date(2025, 12, 4), date(2026, 12, 4))
