"""The ledger kit on a real table (tests/ledger_app): LedgerRow, the registry, overdue/due soon, counts,
the daily reminders, the overdue page and its export."""

from __future__ import annotations

import datetime
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jiceng.calendar import DayUnit
from jiceng.core import ledgers
from jiceng.core.deadlines import Deadline, Rule, Status, Stop
from jiceng.core.workdays import calendar
from ledger_app.apps import REMIND
from ledger_app.models import Case, Patrol

# National Day 2026: 1-7 October are holidays, Saturday 10 October is a working day.
BEFORE_HOLIDAY = date(2026, 9, 30)
AFTER_HOLIDAY = date(2026, 10, 8)

pytestmark = pytest.mark.django_db


def _case(unit, subject, rule, start, state="open", **extra):
    row = Case(unit=unit, subject=subject, state=state, opened_on=start, **extra)
    row.set_deadline(Deadline.compute(calendar(), rule, start))
    row.save()
    return row


def _patrol(unit, place, rule, start, state="open"):
    row = Patrol(unit=unit, place=place, state=state, opened_on=start)
    row.set_deadline(Deadline.compute(calendar(), rule, start))
    row.save()
    return row


def _keys(result):
    # The test ledgers only: the project's own ledger apps (enforcement, ...) are registered too.
    return {led.key: sorted(r.pk for r in rows) for led, rows in result if led.app_label == "ledger_app"}


# --- LedgerRow --------------------------------------------------------------------------------------------


def test_a_ledger_row_has_the_common_fields_and_due_on_follows_the_stored_deadline(region, users):
    names = {f.name for f in Case._meta.get_fields()}
    assert {"unit", "state", "opened_on", "due_on", "closed_at", "version", "created_by", "deadline_data"} <= names
    row = _case(region.office_a1, "甲", Rule(4, DayUnit.WORKING, "受理"), date(2026, 9, 28), created_by=users["office_head"])
    assert row.due_on == date(2026, 10, 9)  # 29, 30 Sept, then 8, 9 Oct: the holiday week does not count
    assert row.deadline == Deadline.from_json(row.deadline_data)
    assert row.version == 1 and row.created_by == users["office_head"]
    # A stop moves the due date: due_on follows, also when only deadline_data is saved.
    later = row.deadline.with_stop(calendar(), Stop(date(2026, 9, 29), date(2026, 9, 30), "补正"))
    row.deadline_data = later.to_json()
    row.save(update_fields=["deadline_data"])
    row.refresh_from_db()
    assert row.due_on == later.due == date(2026, 10, 12)  # 8, 9, 10 (a working Saturday), 12 Oct
    # An open stop: no due date while the clock is stopped.
    paused = row.deadline.with_stop(calendar(), Stop(date(2026, 10, 8), None, "鉴定"))
    row.set_deadline(paused)
    row.save()
    row.refresh_from_db()
    assert row.due_on is None and row.deadline_status(AFTER_HOLIDAY) is Status.PAUSED


def test_status_and_is_open(region):
    row = _case(region.office_a1, "甲", Rule(4, DayUnit.WORKING, "受理"), date(2026, 9, 28))
    assert row.is_open
    assert row.deadline_status(BEFORE_HOLIDAY) is Status.DUE_SOON  # 2 working days left
    assert row.deadline_status(date(2026, 9, 28)) is Status.GREEN  # 4 working days left
    assert row.deadline_status(date(2026, 10, 12)) is Status.OVERDUE
    row.state = "done"
    assert not row.is_open and row.deadline_status(date(2026, 10, 12)) is None


def test_register_refuses_a_model_that_is_not_a_ledger_row():
    from jiceng.core.models import Attachment

    with pytest.raises(ValueError, match="LedgerRow"):
        ledgers.register("x", Attachment, label="x", open_states=("open",), view_capability="view",
                         remind_capability=REMIND)
    assert {led.key for led in ledgers.registered()} >= {"ledger_app.case", "ledger_app.patrol"}


# --- overdue / due soon: scoped, across the holiday week ------------------------------------------------------


@pytest.fixture
def rows(region):
    work4 = Rule(4, DayUnit.WORKING, "受理")
    return {
        # Due Fri 9 Oct: due soon on 30 Sept (2 working days), overdue from 12 Oct.
        "a1_work": _case(region.office_a1, "甲一工作日", work4, date(2026, 9, 28)),
        # Due Fri 9 Oct in calendar days: 9 days away on 30 Sept, not due soon.
        "a1_cal": _case(region.office_a1, "甲一自然日", Rule(9, DayUnit.CALENDAR, "受理"), BEFORE_HOLIDAY),
        # Due Tue 29 Sept: overdue on 30 Sept and after the holiday.
        "a2_late": _case(region.office_a2, "甲二逾期", Rule(1, DayUnit.WORKING, "受理"), date(2026, 9, 28)),
        "a2_closed": _case(region.office_a2, "甲二已办结", Rule(1, DayUnit.WORKING, "受理"), date(2026, 9, 28),
                           state="done"),
        "patrol_late": _patrol(region.township_a, "甲镇巡查", Rule(1, DayUnit.WORKING, "巡查"), date(2026, 9, 25)),
        # County B: never seen by county A's users.
        "b1_late": _case(region.office_b1, "乙一逾期", Rule(1, DayUnit.WORKING, "受理"), date(2026, 9, 28)),
    }


def test_overdue_is_scoped_and_skips_closed_rows(rows, users, region):
    got = _keys(ledgers.overdue(users["county_reviewer"], today=BEFORE_HOLIDAY))
    assert got == {"ledger_app.case": [rows["a2_late"].pk], "ledger_app.patrol": [rows["patrol_late"].pk]}
    assert _keys(ledgers.overdue(users["other_county_head"], today=BEFORE_HOLIDAY)) == {
        "ledger_app.case": [rows["b1_late"].pk], "ledger_app.patrol": []}
    assert _keys(ledgers.overdue(users["city_admin"], region.office_a2, today=BEFORE_HOLIDAY)) == {
        "ledger_app.case": [rows["a2_late"].pk], "ledger_app.patrol": []}
    assert _keys(ledgers.overdue(users["no_role"], today=BEFORE_HOLIDAY)) == {
        "ledger_app.case": [], "ledger_app.patrol": []}
    # After the holiday week the working-day row due 9 Oct is still on time on the 9th, overdue on the 12th.
    assert rows["a1_work"].pk not in _keys(ledgers.overdue(users["county_reviewer"], today=date(2026, 10, 9)))[
        "ledger_app.case"]
    assert rows["a1_work"].pk in _keys(ledgers.overdue(users["county_reviewer"], today=date(2026, 10, 12)))[
        "ledger_app.case"]


def test_due_soon_counts_working_days_across_the_holiday_week(rows, users):
    got = _keys(ledgers.due_soon(users["county_reviewer"], today=BEFORE_HOLIDAY))
    # The working-day row is 2 working days away (the holidays do not count); the calendar-day row 9 days.
    assert got == {"ledger_app.case": [rows["a1_work"].pk], "ledger_app.patrol": []}
    assert _keys(ledgers.due_soon(users["other_county_head"], today=BEFORE_HOLIDAY))["ledger_app.case"] == []
    # On 6 October both are due soon? The working-day row: 2 working days (8, 9 Oct); the calendar one: 3 days.
    got = _keys(ledgers.due_soon(users["county_reviewer"], today=date(2026, 10, 6)))
    assert got["ledger_app.case"] == sorted([rows["a1_work"].pk, rows["a1_cal"].pk])


def test_counts_per_ledger_per_unit(rows, users, region):
    _case(region.office_a2, "甲二逾期二", Rule(1, DayUnit.WORKING, "受理"), date(2026, 9, 28))
    counts = {k: v for k, v in ledgers.overdue_counts(users["city_admin"], today=BEFORE_HOLIDAY).items()
              if k.startswith("ledger_app.")}
    assert counts == {
        "ledger_app.case": {region.office_a2.pk: 2, region.office_b1.pk: 1},
        "ledger_app.patrol": {region.township_a.pk: 1},
    }
    assert ledgers.overdue_counts(users["county_reviewer"], region.county_a, today=BEFORE_HOLIDAY)[
        "ledger_app.case"] == {region.office_a2.pk: 2}
    soon = ledgers.due_soon_counts(users["city_admin"], today=BEFORE_HOLIDAY)
    assert {k: v for k, v in soon.items() if k.startswith("ledger_app.")} == {
        "ledger_app.case": {region.office_a1.pk: 1}, "ledger_app.patrol": {}}


# --- the daily reminders ------------------------------------------------------------------------------------


def test_the_reminder_task_reminds_each_holder_once_per_row_per_day(rows, users, region):
    from jiceng.core import registry
    from jiceng.inbox.models import Reminder
    from jiceng.inbox.selectors import reminders_for
    from jiceng.inbox.tasks import ledger_reminders_run

    assert "jiceng.inbox.tasks.ledger_reminders" in [t.path for t in registry.daily_tasks()]
    first = ledger_reminders_run(BEFORE_HOLIDAY)
    # Due soon: a1_work; overdue: a2_late, patrol_late, b1_late. Not the calendar-day row nor the closed one.
    assert first == {"rows": 4, "created": 4}
    assert ledger_reminders_run(BEFORE_HOLIDAY) == {"rows": 4, "created": 0}  # idempotent on the day
    assert Reminder.objects.count() == 4
    head = users["office_head"]  # head of office A1: holds REMIND there
    mine = list(reminders_for(head))
    assert [(r.unit_id, r.kind) for r in mine] == [(region.office_a1.pk, "ledger.due_soon")]
    assert "甲一工作日" in mine[0].title and mine[0].due == date(2026, 10, 9)
    reviewer = sorted((r.unit_id, r.kind) for r in reminders_for(users["county_reviewer"]))
    assert reviewer == sorted([(region.office_a1.pk, "ledger.due_soon"), (region.office_a2.pk, "ledger.overdue"),
                               (region.township_a.pk, "ledger.overdue")])
    # Staff of the office see the unit but do not hold the remind capability.
    assert not list(reminders_for(users["office_staff"]))
    assert [r.unit_id for r in reminders_for(users["other_county_head"])] == [region.office_b1.pk]
    # Another day is a new day: the rows still due get a reminder of that day, and on 8 Oct the
    # calendar-day row (due 9 Oct) is due soon as well.
    assert ledger_reminders_run(date(2026, 10, 8)) == {"rows": 5, "created": 5}


# --- the overdue page ---------------------------------------------------------------------------------------


@pytest.fixture
def on_holiday_return(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: AFTER_HOLIDAY)
    return AFTER_HOLIDAY


def _page(client, **params):
    response = client.get(reverse("core:ledger_overdue"), params)
    assert response.status_code == 200, response.status_code
    return response, response.context["list"]


def _shown(page):
    return [[value for value, _link in cells] for _obj, cells in page.rows]


def _as_cell(value):
    if value in ("", None):
        return None
    if isinstance(value, date) and not isinstance(value, datetime.datetime):
        return datetime.datetime.combine(value, datetime.time())
    return value


def test_the_overdue_page_lists_scoped_rows_with_explanation_and_days(rows, users, client_for, on_holiday_return):
    client = client_for(users["county_reviewer"])
    response, page = _page(client)
    shown = _shown(page)
    assert [row[2] for row in shown] == ["甲镇", "甲二所"]  # by due date: 28 Sept, then 29 Sept
    assert [row[0] for row in shown] == ["测试巡查台账", "测试受理台账"]
    # Due 29 Sept, on 8 Oct: two working days late (30 Sept and 8 Oct), the holiday week not counted.
    assert shown[1][6] == 2 and shown[1][5] == date(2026, 9, 29)
    assert shown[1][7] == rows["a2_late"].deadline.explain()
    html = response.content.decode()
    assert "乙一所" not in html and "甲二所" in html
    # Filters: a unit subtree and a ledger.
    assert [r[2] for r in _shown(_page(client, unit="CA2")[1])] == ["甲二所"]
    assert [r[2] for r in _shown(_page(client, ledger="ledger_app.patrol")[1])] == ["甲镇"]
    assert _shown(_page(client, unit="NOPE")[1]) == []
    # Another county's code gives nothing beyond the user's scope.
    assert _shown(_page(client, unit="CB")[1]) == []


def test_the_overdue_export_has_the_pages_columns_and_rows(rows, users, client_for, on_holiday_return):
    client = client_for(users["city_admin"])
    _response, page = _page(client, unit="C")
    assert len(page.rows) == 3
    export = client.get(reverse("core:ledger_overdue"), {"format": "xlsx", "unit": "C"})
    assert export.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(export.streaming_content)))["逾期"]
    values = [[cell.value for cell in row] for row in ws.iter_rows()]
    assert values[1] == [h.label for h in page.headers]
    assert values[2:] == [[_as_cell(v) for v in row] for row in _shown(page)]


def test_the_overdue_page_needs_view(users, client_for):
    assert client_for(users["audit_admin"]).get(reverse("core:ledger_overdue")).status_code == 403


def test_the_overdue_page_query_count_is_flat(rows, users, client_for, region, on_holiday_return):
    from querycount import assert_flat

    client = client_for(users["city_admin"])
    counter = iter(range(100))

    def grow(k):
        for _ in range(k):
            n = next(counter)
            _case(region.office_a1, f"增{n}", Rule(1, DayUnit.WORKING, "受理"), date(2026, 9, 28))
            _patrol(region.township_a, f"增{n}", Rule(1, DayUnit.WORKING, "巡查"), date(2026, 9, 25))

    assert_flat(lambda: client.get(reverse("core:ledger_overdue")), grow=grow)
