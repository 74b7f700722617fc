"""The real 2025/2026 schedules from chinesecalendar, a loaded 2027, a refused 2028, year boundaries."""

from datetime import date
from pathlib import Path

import pytest

from jiceng.calendar import (
    DayUnit,
    WorkCalendar,
    YearNotCovered,
    calendar,
    default_calendar,
    package_schedules,
    parse_yaml,
    working,
)

FIXTURES = Path(__file__).parent / "fixtures"

D = date


@pytest.fixture(scope="module")
def cal():
    return default_calendar()


@pytest.fixture(scope="module")
def cal2027():
    loaded = parse_yaml((FIXTURES / "schedule-2027.yaml").read_text(encoding="utf-8"), loaded_by="tester")
    return default_calendar([loaded])


def test_the_package_covers_2026_and_not_2027(cal):
    assert cal.covers(2026) and cal.covers(2004)
    assert not cal.covers(2027) and not cal.covers(2003)
    assert cal.schedule(2026).source.startswith("chinesecalendar 1.")
    assert cal.schedule(2026).origin == "package"


def test_2026_national_day_and_mid_autumn_week(cal):
    # 中秋 9-25..27, 国庆 10-1..7; Sunday 9-20 and Saturday 10-10 are worked.
    assert [cal.is_workday(D(2026, 9, d)) for d in range(24, 31)] == [True, False, False, False, True, True, True]
    assert not any(cal.is_workday(D(2026, 10, d)) for d in range(1, 8))
    assert cal.is_workday(D(2026, 9, 20)) and cal.is_workday(D(2026, 10, 10))
    assert not cal.is_workday(D(2026, 10, 11))
    # The command-line contract's example: 9-28, 29, 30, 10-8, 10-9.
    assert cal.add_working_days(D(2026, 9, 24), 5) == D(2026, 10, 9)
    assert cal.between(D(2026, 9, 24), D(2026, 10, 9)) == 5
    assert cal.add_working_days(D(2026, 9, 24), 6) == D(2026, 10, 10)  # the swapped Saturday counts
    assert cal.add_working_days(D(2026, 9, 24), 3) == D(2026, 9, 30)
    assert cal.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)


def test_2026_spring_festival_with_its_two_swapped_saturdays(cal):
    # 春节 2-15..23; Saturdays 2-14 and 2-28 are worked.
    assert cal.is_workday(D(2026, 2, 14)) and cal.is_workday(D(2026, 2, 28))
    assert not any(cal.is_workday(D(2026, 2, d)) for d in range(15, 24))
    assert cal.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert cal.add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)
    # 2-24..27 (4), Saturday 2-28 (5), 3-2 (6)
    assert cal.add_working_days(D(2026, 2, 14), 5) == D(2026, 2, 28)
    assert cal.add_working_days(D(2026, 2, 14), 6) == D(2026, 3, 2)
    assert cal.between(D(2026, 2, 12), D(2026, 3, 1)) == 7  # 2-13, 2-14, 2-24..27, 2-28


def test_2025_spring_festival_with_a_swapped_sunday_and_saturday(cal):
    # 春节 1-28..2-4; Sunday 1-26 and Saturday 2-8 are worked.
    assert cal.is_workday(D(2025, 1, 26)) and cal.is_workday(D(2025, 2, 8))
    assert not cal.is_workday(D(2025, 1, 28)) and not cal.is_workday(D(2025, 2, 4))
    assert cal.add_working_days(D(2025, 1, 24), 1) == D(2025, 1, 26)
    assert cal.add_working_days(D(2025, 1, 24), 3) == D(2025, 2, 5)  # 1-26, 1-27, 2-5
    assert cal.between(D(2025, 1, 25), D(2025, 2, 9)) == 6  # 1-26, 27, 2-5, 6, 7, 8


def test_adds_cross_31_december_into_the_next_covered_year(cal):
    # 2025-12-31 Wed; 2026-01-01..03 New Year; Sunday 2026-01-04 worked.
    assert cal.add_working_days(D(2025, 12, 30), 1) == D(2025, 12, 31)
    assert cal.add_working_days(D(2025, 12, 30), 2) == D(2026, 1, 4)
    assert cal.add_working_days(D(2025, 12, 30), 3) == D(2026, 1, 5)
    assert cal.between(D(2025, 12, 30), D(2026, 1, 5)) == 3
    assert cal.add_calendar_days(D(2025, 12, 30), 5) == D(2026, 1, 4)


def test_an_add_into_an_uncovered_year_is_refused_naming_it(cal):
    with pytest.raises(YearNotCovered) as caught:
        cal.add_working_days(D(2026, 12, 20), 10)
    assert caught.value.year == 2027
    assert "2027" in str(caught.value)
    # Up to 12-31 (a Thursday) is fine.
    assert cal.add_working_days(D(2026, 12, 24), 5) == D(2026, 12, 31)
    with pytest.raises(YearNotCovered, match="2027"):
        cal.add_calendar_days(D(2026, 12, 20), 20)
    with pytest.raises(YearNotCovered, match="2027"):
        cal.between(D(2026, 12, 1), D(2027, 1, 5))
    with pytest.raises(YearNotCovered, match="2003"):
        cal.is_workday(D(2003, 5, 1))


def test_a_loaded_2027_extends_the_clock(cal2027):
    assert cal2027.covers(2027) and cal2027.schedule(2027).loaded_by == "tester"
    # 2026-12-31 Thu; 2027-01-01..03 New Year; 1-4 Mon.
    assert cal2027.add_working_days(D(2026, 12, 30), 2) == D(2027, 1, 4)
    # From Sunday 12-20: 12-21..25 (5), 12-28..31 (9), 2027-01-04 (10).
    assert cal2027.add_working_days(D(2026, 12, 20), 10) == D(2027, 1, 4)
    assert cal2027.add_working_days(D(2026, 12, 20), 11) == D(2027, 1, 5)
    # 2027 Spring Festival: Sunday 1-31 and Saturday 2-20 worked, 2-5..13 off.
    assert cal2027.is_workday(D(2027, 1, 31)) and cal2027.is_workday(D(2027, 2, 20))
    assert cal2027.add_working_days(D(2027, 2, 4), 1) == D(2027, 2, 15)  # 2-14 is an ordinary Sunday
    # After Friday 1-29: Sunday 1-31, 2-1..4, 2-15..19, Saturday 2-20.
    assert cal2027.between(D(2027, 1, 29), D(2027, 2, 20)) == 11
    assert cal2027.add_working_days(D(2027, 9, 24), 2) == D(2027, 9, 27)  # Sunday 9-26 worked


def test_2028_is_refused_even_with_2027_loaded(cal2027):
    with pytest.raises(YearNotCovered) as caught:
        cal2027.add_working_days(D(2027, 12, 1), 40)
    assert caught.value.year == 2028
    with pytest.raises(YearNotCovered, match="2028"):
        cal2027.between(D(2027, 6, 1), D(2028, 1, 3))
    with pytest.raises(YearNotCovered, match="2028"):
        cal2027.add_working_days(D(2028, 1, 3), 1)


def test_a_gap_between_covered_years_is_refused():
    two = [s for s in package_schedules() if s.year in (2024, 2026)]
    cal = WorkCalendar(two)
    with pytest.raises(YearNotCovered, match="2025"):
        cal.add_working_days(D(2024, 12, 20), 30)
    with pytest.raises(YearNotCovered, match="2025"):
        cal.between(D(2024, 12, 20), D(2026, 1, 5))
    assert cal.add_working_days(D(2026, 1, 5), 1) == D(2026, 1, 6)


def test_a_loaded_schedule_replaces_the_package_for_its_year():
    text = (
        "year: 2026\nsource: 'correction'\n"
        "holidays:\n  - {name: 国庆节, from: 2026-10-01, to: 2026-10-08}\n"
        "workdays: []\n"
    )
    cal = default_calendar([parse_yaml(text)])
    assert not cal.is_workday(D(2026, 10, 8))
    assert cal.is_workday(D(2026, 9, 25))  # the package's Mid-Autumn break is gone with it
    assert cal.schedule(2026).origin == "loaded"


def test_periods_name_their_unit(cal):
    assert working(5).unit is DayUnit.WORKING and calendar(5).unit is DayUnit.CALENDAR
    assert cal.add(D(2026, 9, 24), working(5)) == D(2026, 10, 9)
    assert cal.add(D(2026, 9, 24), calendar(5)) == D(2026, 9, 29)
    assert cal.count(D(2026, 9, 24), D(2026, 10, 9), DayUnit.CALENDAR) == 15
    assert cal.count(D(2026, 9, 24), D(2026, 10, 9), DayUnit.WORKING) == 5
    with pytest.raises(ValueError):
        working(-1)


def test_zero_days_and_backwards_counts(cal):
    assert cal.add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 3)
    assert cal.between(D(2026, 10, 9), D(2026, 9, 24)) == -5
    assert cal.between(D(2026, 10, 9), D(2026, 10, 9)) == 0
    with pytest.raises(ValueError):
        cal.add_working_days(D(2026, 10, 3), -1)


def test_new_year_break_that_starts_in_december_is_split_by_year(cal):
    # 2023-12-30..2024-01-01 was one break; each year's schedule holds its own days.
    assert not cal.is_workday(D(2024, 1, 1))
    assert [h.name for h in cal.schedule(2024).holidays][0] == "元旦"
    assert all(h.first.year == 2024 for h in cal.schedule(2024).holidays)
