"""The index-based arithmetic agrees with a naive day-by-day walk and with chinesecalendar itself."""

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiceng.calendar import YearNotCovered, default_calendar

CAL = default_calendar()
FIRST, LAST = CAL.years[0], CAL.years[-1]
starts = st.dates(min_value=date(FIRST, 1, 1), max_value=date(LAST, 12, 31))


def naive_add(start: date, n: int) -> date:
    day, left = start, n
    while left:
        day += timedelta(days=1)
        if chinese_calendar.is_workday(day):
            left -= 1
    return day


@settings(max_examples=200, deadline=None)
@given(start=starts, n=st.integers(min_value=0, max_value=120))
def test_add_agrees_with_a_day_by_day_walk(start, n):
    try:
        expected = naive_add(start, n)
    except NotImplementedError:  # the walk left the package's years
        with pytest.raises(YearNotCovered) as caught:
            CAL.add_working_days(start, n)
        assert caught.value.year == LAST + 1
        return
    assert CAL.add_working_days(start, n) == expected
    assert CAL.between(start, expected) == n
    if n:
        # chinesecalendar counts from a working day: n working days after `start` is its
        # (n-1)-th working day after the first working day from `start`'s next day.
        assert chinese_calendar.find_workday(n - 1, start + timedelta(days=1)) == expected


@settings(max_examples=300, deadline=None)
@given(a=starts, b=starts)
def test_between_agrees_with_counting(a, b):
    lo, hi = min(a, b), max(a, b)
    if (hi - lo).days > 400:
        hi = lo + timedelta(days=400)
        if hi.year > LAST:
            return
    expected = sum(chinese_calendar.is_workday(lo + timedelta(days=i)) for i in range(1, (hi - lo).days + 1))
    assert CAL.between(lo, hi) == expected
    assert CAL.between(hi, lo) == -expected


@settings(max_examples=300, deadline=None)
@given(day=starts)
def test_is_workday_agrees_with_the_package(day):
    assert CAL.is_workday(day) == chinese_calendar.is_workday(day)
