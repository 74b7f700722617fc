"""The seeds' conditions for window staff, chief representatives and agents (staffing.eligibility), pure."""

from __future__ import annotations

from datetime import date

from jiceng.staffing import eligibility
from jiceng.staffing.eligibility import Facts

TODAY = date(2026, 12, 4)


def codes(facts):
    return [w.code for w in eligibility.warnings(facts, TODAY)]


def test_age_counts_full_years():
    assert eligibility.age_on(date(1981, 12, 4), TODAY) == 45
    assert eligibility.age_on(date(1981, 12, 5), TODAY) == 44


def test_a_window_staff_member_meeting_every_condition_has_no_warning():
    assert codes(Facts("window", date(1985, 1, 1), "junior_college", date(2020, 1, 1), date(2024, 12, 5))) == []


def test_window_staff_over_45_and_chief_over_48():
    born = date(1980, 6, 1)  # 46
    assert codes(Facts("window", born, "bachelor", date(2010, 1, 1))) == ["age"]
    assert codes(Facts("chief", born, "bachelor", date(2010, 1, 1))) == []
    assert codes(Facts("chief", date(1977, 6, 1), "bachelor", date(2010, 1, 1))) == ["age"]  # 49


def test_education_below_college_and_too_little_time_in_the_work():
    assert codes(Facts("window", date(1990, 1, 1), "secondary", date(2025, 6, 1))) == ["education", "work"]
    # exactly two years in the work is enough
    assert codes(Facts("window", date(1990, 1, 1), "bachelor", date(2024, 12, 4))) == []


def test_rotation_is_due_after_three_years_on_the_post():
    assert codes(Facts("window", date(1990, 1, 1), "bachelor", date(2015, 1, 1), date(2023, 12, 4))) == ["rotation"]
    assert codes(Facts("window", date(1990, 1, 1), "bachelor", date(2015, 1, 1), date(2023, 12, 5))) == []


def test_unknown_facts_are_warned_not_guessed():
    assert codes(Facts("window", None, "", None)) == ["age_unknown", "education", "work_unknown"]


def test_an_agent_is_a_two_committees_member_and_stays_two_years():
    # seed 004: 代办员 由"两委"成员兼任, 不得少于两年; age and education "may be relaxed"
    assert codes(Facts("agent", date(1960, 1, 1), "basic", None, date(2026, 3, 1))) == ["two_committees", "agent_stay"]
    assert codes(Facts("agent", date(1960, 1, 1), "basic", None, date(2024, 3, 1), two_committees=True)) == []
