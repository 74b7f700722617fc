"""Clock stops (补正, 第四十五条) and extensions (第四十二条), on the real 2026 schedule."""

from datetime import date

import pytest

from jiceng.calendar import Extension, Stop, YearNotCovered, calendar, default_calendar, reckon, working

D = date


@pytest.fixture(scope="module")
def cal():
    return default_calendar()


def test_twenty_working_days_without_stops(cal):
    r = reckon(cal, D(2026, 9, 1), working(20))
    # 9-2..4 (3), 7..11 (8), 14..18 (13), Sunday 9-20 (14), 21..24 (18), 28, 29 (20)
    assert r.due == D(2026, 9, 29) and r.total == 20 and r.stopped == ()


def test_a_correction_wait_does_not_count(cal):
    stop = Stop(D(2026, 9, 7), D(2026, 9, 9), "补正")
    r = reckon(cal, D(2026, 9, 1), working(20), [stop])
    assert r.stopped == (3,)
    # three working days later than without the stop: 9-29 -> 9-30 -> 10-8 -> 10-9
    assert r.due == D(2026, 10, 9)
    assert r.due == cal.add_working_days(D(2026, 9, 1), 23)


def test_a_stop_over_a_weekend_only_removes_its_working_days(cal):
    stop = Stop(D(2026, 9, 11), D(2026, 9, 14), "专家评审")  # Fri..Mon
    r = reckon(cal, D(2026, 9, 1), working(20), [stop])
    assert r.stopped == (2,)
    assert r.due == cal.add_working_days(D(2026, 9, 1), 22)


def test_an_extension_of_ten_working_days_and_a_stop(cal):
    stop = Stop(D(2026, 9, 7), D(2026, 9, 9), "补正")
    ext = Extension(10, "情况复杂", approved_by="局长")
    r = reckon(cal, D(2026, 9, 1), working(20), [stop], [ext])
    assert r.total == 30
    # Hand count: 9-2..4 (3), 9-10, 11 (5), 14..18 (10), 9-20 (11), 21..24 (15), 28..30 (18),
    # 10-8, 9 (20), Saturday 10-10 (21), 12..16 (26), 19..22 (30)
    assert r.due == D(2026, 10, 22)


def test_a_stop_after_the_due_date_changes_nothing(cal):
    r = reckon(cal, D(2026, 9, 1), working(5), [Stop(D(2026, 11, 2), D(2026, 11, 6), "听证")])
    assert r.due == cal.add_working_days(D(2026, 9, 1), 5)


def test_a_stop_starting_on_the_start_day(cal):
    r = reckon(cal, D(2026, 9, 1), working(5), [Stop(D(2026, 9, 1), D(2026, 9, 3), "补正")])
    assert r.stopped == (2,)  # 9-2 and 9-3; the start day never counts anyway
    assert r.due == cal.add_working_days(D(2026, 9, 3), 5)


def test_overlapping_stops_are_not_counted_twice(cal):
    a = Stop(D(2026, 9, 7), D(2026, 9, 9), "补正")
    b = Stop(D(2026, 9, 9), D(2026, 9, 10), "检验")
    r = reckon(cal, D(2026, 9, 1), working(20), [a, b])
    assert r.due == cal.add_working_days(D(2026, 9, 1), 24)


def test_an_open_stop_pauses_the_clock(cal):
    r = reckon(cal, D(2026, 9, 1), working(20), [Stop(D(2026, 9, 7), None, "补正")])
    assert r.due is None and r.stopped == (0,)
    # ... unless the period ran out before it began
    r = reckon(cal, D(2026, 9, 1), working(2), [Stop(D(2026, 9, 7), None, "补正")])
    assert r.due == D(2026, 9, 3)


def test_calendar_day_periods_stop_by_calendar_days(cal):
    # 行政处罚法 第六十条: 90 days; a 10-day expert review (inclusive) does not count.
    r = reckon(cal, D(2026, 3, 2), calendar(90), [Stop(D(2026, 3, 10), D(2026, 3, 19), "鉴定")])
    assert r.stopped == (10,)
    assert r.due == D(2026, 3, 2).fromordinal(D(2026, 3, 2).toordinal() + 100)


def test_a_reckoning_into_an_uncovered_year_is_refused(cal):
    with pytest.raises(YearNotCovered, match="2027"):
        reckon(cal, D(2026, 12, 1), working(20), [], [Extension(10, "延长")])


def test_bad_stops_and_extensions_are_refused():
    with pytest.raises(ValueError, match="before it starts"):
        Stop(D(2026, 9, 9), D(2026, 9, 7), "补正")
    with pytest.raises(ValueError):
        Extension(0, "none")
