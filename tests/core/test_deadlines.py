"""The deadline value a ledger row stores (core.deadlines): due date, explanation, status, JSON."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.utils import translation

from jiceng.calendar import DayUnit, Extension, Stop, YearNotCovered, default_calendar
from jiceng.core.deadlines import Deadline, Rule, Status

D = date
CAL = default_calendar()
PERMIT = Rule(20, DayUnit.WORKING, "受理")


def permit_with_correction_and_extension() -> Deadline:
    d = Deadline.compute(CAL, PERMIT, D(2026, 9, 1))
    d = d.with_stop(CAL, Stop(D(2026, 9, 7), D(2026, 9, 9), "补正等待"))
    return d.with_extension(CAL, Extension(10, "情况复杂", approved_by="王局长"))


def test_a_permit_deadline_with_a_correction_wait_and_an_extension():
    d = permit_with_correction_and_extension()
    assert d.due == D(2026, 10, 22)  # hand-counted in tests/calendar/test_calendar_reckoning.py
    assert d.stopped == (3,)
    with translation.override("zh-hans"):
        assert d.explain() == (
            "受理次日起20个工作日；补正等待 3个工作日不计（2026-09-07至2026-09-09）；"
            "延长10个工作日（情况复杂，批准人：王局长）；截止 2026-10-22"
        )


def test_an_open_correction_wait_pauses_and_closing_it_gives_a_due_date():
    d = Deadline.compute(CAL, PERMIT, D(2026, 9, 1))
    paused = d.with_stop(CAL, Stop(D(2026, 9, 7), None, "补正等待"))
    assert paused.due is None and paused.status(CAL, D(2026, 12, 1)) is Status.PAUSED
    with translation.override("zh-hans"):
        assert "补正等待自 2026-09-07 起暂停计时" in paused.explain()
        assert paused.explain().endswith("暂停计时期间无截止日")
    resumed = paused.with_stop(CAL, Stop(D(2026, 9, 7), D(2026, 9, 9), "补正等待"))
    assert len(resumed.stops) == 1 and resumed.due == D(2026, 10, 9)


def test_a_calendar_day_rule_names_its_unit():
    d = Deadline.compute(CAL, Rule(90, DayUnit.CALENDAR, "立案"), D(2026, 3, 2))
    assert d.due == D(2026, 5, 31)
    with translation.override("zh-hans"):
        assert d.explain() == "立案次日起90个自然日；截止 2026-05-31"


@pytest.mark.parametrize(
    "today, status",
    [
        (D(2026, 9, 15), Status.GREEN),
        (D(2026, 10, 16), Status.GREEN),  # 10-19, 20, 21, 22: four working days left
        (D(2026, 10, 19), Status.DUE_SOON),  # three left
        (D(2026, 10, 22), Status.DUE_SOON),  # the due day itself
        (D(2026, 10, 23), Status.OVERDUE),
    ],
)
def test_status_on_a_day(today, status):
    assert permit_with_correction_and_extension().status(CAL, today) is status


def test_json_round_trip_through_text():
    d = permit_with_correction_and_extension()
    stored = json.loads(json.dumps(d.to_json(), ensure_ascii=False))
    assert Deadline.from_json(stored) == d
    paused = Deadline.compute(CAL, PERMIT, D(2026, 9, 1), [Stop(D(2026, 9, 7), None, "补正等待")])
    assert Deadline.from_json(json.loads(json.dumps(paused.to_json()))) == paused


def test_a_malformed_stored_deadline_is_refused_naming_the_key():
    data = permit_with_correction_and_extension().to_json()
    del data["rule"]["unit"]
    with pytest.raises(ValueError, match="'unit'"):
        Deadline.from_json(data)
    data = permit_with_correction_and_extension().to_json()
    data["stopped"] = [1, 2]
    with pytest.raises(ValueError, match="one count per stop"):
        Deadline.from_json(data)
    data = permit_with_correction_and_extension().to_json()
    data["rule"]["unit"] = "fortnights"
    with pytest.raises(ValueError):
        Deadline.from_json(data)


def test_recompute_after_a_schedule_changes():
    from jiceng.calendar import parse_yaml

    d = Deadline.compute(CAL, Rule(5, DayUnit.WORKING, "受理"), D(2026, 10, 8))
    assert d.due == D(2026, 10, 14)  # 10-9, Saturday 10-10, 10-12, 13, 14
    corrected = parse_yaml(
        "year: 2026\nsource: '更正'\nholidays:\n  - {name: 国庆节, from: 2026-10-01, to: 2026-10-09}\nworkdays: []\n"
    )
    assert d.recompute(default_calendar([corrected])).due == D(2026, 10, 16)


def test_a_deadline_into_an_uncovered_year_is_refused():
    with pytest.raises(YearNotCovered, match="2027"):
        Deadline.compute(CAL, PERMIT, D(2026, 12, 10))


def test_bad_rules_are_refused():
    with pytest.raises(ValueError):
        Rule(-1, DayUnit.WORKING, "受理")
    with pytest.raises(ValueError):
        Rule(5, "weeks", "受理")


# --- a date set by a person (a campaign's stage deadline) ------------------------------------------


def test_a_set_date_closes_at_the_end_of_its_day_and_says_so():
    # A set date needs no holiday schedule (2027 is not loaded): its days are plain calendar days.
    d = Deadline.fixed_on(D(2027, 3, 31), "自评")
    assert (d.due, d.fixed) == (D(2027, 3, 31), True)
    assert d.status(CAL, D(2027, 3, 31)) is Status.DUE_SOON
    assert d.status(CAL, D(2027, 4, 1)) is Status.OVERDUE
    with translation.override("zh-hans"):
        assert d.explain() == "自评：规定日期 2027-03-31；截至 2027-03-31 当日结束"


def test_a_set_date_is_extended_by_calendar_days_and_round_trips():
    d = Deadline.fixed_on(D(2026, 9, 30), "县级考评").with_extension(CAL, Extension(5, "系统故障", approved_by="王局长"))
    assert d.due == D(2026, 10, 5)  # calendar days, the National Day week counts
    assert Deadline.from_json(json.loads(json.dumps(d.to_json()))) == d
    assert "fixed" not in Deadline.compute(CAL, PERMIT, D(2026, 9, 1)).to_json()
    with translation.override("zh-hans"):
        assert "延长5个自然日（系统故障，批准人：王局长）" in d.explain()


def test_a_set_date_has_no_clock_to_stop():
    with pytest.raises(ValueError, match="no clock to stop"):
        Deadline.fixed_on(D(2026, 9, 30), "自评").with_stop(CAL, Stop(D(2026, 9, 1), None, "补正"))
