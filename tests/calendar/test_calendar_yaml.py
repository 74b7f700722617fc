"""Schedule files that contradict themselves are refused, naming the place and the reason."""

from pathlib import Path

import pytest

from jiceng.calendar import ScheduleError, parse_yaml

FIXTURES = Path(__file__).parent / "fixtures"

GOOD = (FIXTURES / "schedule-2027.yaml").read_text(encoding="utf-8")


def test_the_2027_fixture_loads():
    s = parse_yaml(GOOD)
    assert s.year == 2027 and len(s.holidays) == 7 and len(s.workdays) == 5
    assert s.holiday_days() == 3 + 9 + 3 + 5 + 1 + 1 + 7
    assert s.to_json()["holidays"][1] == {"name": "春节", "from": "2027-02-05", "to": "2027-02-13"}


BASE = "year: 2027\nsource: 'x'\n"


@pytest.mark.parametrize(
    "text, code, place",
    [
        ("year: [", "not_yaml", "(file)"),
        ("- 1\n- 2\n", "not_mapping", "(file)"),
        ("source: x\nholidays: []\nworkdays: []\n", "missing_key", "year"),
        (BASE + "workdays: []\n", "missing_key", "holidays"),
        (BASE + "holidays: [{name: a, from: 2027-01-01, to: 2027-01-01}]\n", "missing_key", "workdays"),
        (BASE + "holidays: [{name: a, from: 2027-01-01}]\nworkdays: []\n", "missing_key", "holidays[1].to"),
        (BASE + "holidays: [{name: a, from: 2027-01-01, to: 2027-01-01}]\nworkdays: []\nextra: 1\n",
         "unknown_key", "extra"),
        ("year: twenty\nsource: x\nholidays: []\nworkdays: []\n", "bad_year", "year"),
        ("year: 2027\nsource: ''\nholidays: []\nworkdays: []\n", "bad_source", "source"),
        (BASE + "holidays: []\nworkdays: []\n", "bad_list", "holidays"),
        (BASE + "holidays: [{name: a, from: 2027-02-30, to: 2027-03-01}]\nworkdays: []\n",
         "bad_date", "holidays[1].from"),
        (BASE + "holidays: [{name: a, from: 27-1-1, to: 2027-01-02}]\nworkdays: []\n",
         "bad_date", "holidays[1].from"),
        (BASE + "holidays: [{name: a, from: 2026-12-31, to: 2027-01-01}]\nworkdays: []\n",
         "outside_year", "holidays[1].from"),
        (BASE + "holidays: [{name: a, from: 2027-01-01, to: 2027-01-01}]\nworkdays: [2028-01-01]\n",
         "outside_year", "workdays[1]"),
        (BASE + "holidays: [{name: a, from: 2027-01-05, to: 2027-01-01}]\nworkdays: []\n", "reversed", "holidays[1]"),
        (BASE + "holidays: [{name: a, from: 2027-01-01, to: 2027-01-03},\n"
         "  {name: b, from: 2027-01-03, to: 2027-01-04}]\nworkdays: []\n", "overlap", "holidays[2]"),
        (BASE + "holidays: [{name: 春节, from: 2027-02-05, to: 2027-02-13}]\nworkdays: [2027-02-06]\n",
         "workday_in_holiday", "workdays[1]"),
        (BASE + "holidays: [{name: a, from: 2027-01-01, to: 2027-01-01}]\nworkdays: [2027-01-06]\n",
         "workday_not_weekend", "workdays[1]"),
        (BASE + "holidays: [{name: a, from: 2027-01-01, to: 2027-01-01}]\nworkdays: [2027-01-31, 2027-01-31]\n",
         "duplicate", "workdays[2]"),
        (BASE + "holidays: [{name: '', from: 2027-01-01, to: 2027-01-01}]\nworkdays: []\n", "bad_name", "holidays[1].name"),
        (BASE + "holidays: [{name: a, from: 2027-01-01T08:00:00, to: 2027-01-01}]\nworkdays: []\n",
         "bad_date", "holidays[1].from"),
    ],
)
def test_bad_files_are_refused_with_place_and_reason(text, code, place):
    with pytest.raises(ScheduleError) as caught:
        parse_yaml(text)
    assert (caught.value.code, caught.value.place) == (code, place)
    assert str(caught.value).startswith(place + ": ")


def test_dates_may_be_quoted_strings():
    s = parse_yaml(BASE + "holidays: [{name: a, from: '2027-01-01', to: '2027-01-03'}]\nworkdays: ['2027-01-31']\n")
    assert s.holiday_days() == 3 and s.workdays[0].isoformat() == "2027-01-31"
