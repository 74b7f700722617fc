"""`jiceng workdays` and the loaded schedules: the command-line contract of issue 11 (item 4)."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from factories import make_user
from jiceng import cli
from jiceng.calendar import parse_yaml
from jiceng.core import audit, audit_chain, workdays
from jiceng.core.models import AuditEvent, EventType, WorkdaySchedule

FIXTURE_2027 = Path(__file__).parents[1] / "calendar" / "fixtures" / "schedule-2027.yaml"

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("workdays", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def exit_status(*args) -> int:
    """What the console script exits with (cli.main in this process, on the test database).

    Django's run_from_argv closes every connection when a command ends; the test database
    must stay open for the assertions that follow, so that one call is held back here.
    """
    from django.core.management import base

    close_all = base.connections.close_all
    base.connections.close_all = lambda: None
    try:
        cli.main(["workdays", *args])
    except SystemExit as exc:
        return exc.code
    finally:
        base.connections.close_all = close_all
    return 0


# --- add and between -------------------------------------------------------------------


def test_add_prints_the_date_five_working_days_after():
    assert run("add", "2026-09-24", "5")[0].strip() == "2026-10-09"


def test_add_with_calendar_days_counts_calendar_days():
    assert run("add", "2026-09-24", "5", "--calendar-days")[0].strip() == "2026-09-29"


def test_between_prints_the_working_day_count():
    assert run("between", "2026-09-24", "2026-10-09")[0].strip() == "5"
    assert run("between", "2026-02-12", "2026-03-01")[0].strip() == "7"


@pytest.mark.parametrize(
    "args",
    [
        ("add", "2026-12-20", "10"),
        ("add", "2026-12-20", "20", "--calendar-days"),
        ("add", "2027-03-01", "1"),
        ("between", "2026-12-01", "2027-01-05"),
        ("between", "2027-01-04", "2027-01-05"),
    ],
)
def test_an_unloaded_year_exits_with_status_2_naming_it(args, capsys):
    with translation.override("zh-hans"):
        with pytest.raises(CommandError) as caught:
            call_command("workdays", *args)
        assert caught.value.returncode == 2
        assert "2027" in str(caught.value) and "载入" in str(caught.value)
    assert exit_status(*args) == 2
    assert "2027" in capsys.readouterr().err


def test_bad_arguments_exit_with_status_2():
    assert exit_status("add", "2026-13-01", "5") == 2
    assert exit_status("add", "2026-09-24", "-1") == 2


# --- load -------------------------------------------------------------------------------


def test_loading_2027_stores_it_audits_it_and_extends_the_clock():
    before = AuditEvent.objects.count()
    with translation.override("zh-hans"):
        out, _ = run("load", str(FIXTURE_2027), "--operator", "张三")
    assert "2027" in out and "春节: 2027-02-05 ~ 2027-02-13" in out and "张三" in out
    row = WorkdaySchedule.objects.get(year=2027)
    assert row.loaded_by == "张三" and row.source.startswith("测试样例")
    assert {"name": "国庆节", "from": "2027-10-01", "to": "2027-10-07"} in row.holidays
    assert row.workdays == ["2027-01-31", "2027-02-20", "2027-04-25", "2027-09-26", "2027-10-09"]
    event = AuditEvent.objects.get(seq=before + 1) if before else AuditEvent.objects.get()
    assert event.event_type == EventType.WORKDAYS_LOAD
    assert event.actor_name == "张三" and event.object_id == str(row.pk)
    assert event.details == {"year": 2027, "holiday_days": 29, "workdays": 5, "replaces_package": False}
    assert event.after["source"] == row.source and event.before is None
    assert audit_chain.verify().ok
    # the clock now runs into 2027, through the command and the service alike
    assert run("add", "2026-12-20", "10")[0].strip() == "2027-01-04"
    assert run("between", "2027-01-29", "2027-02-20")[0].strip() == "11"
    assert workdays.calendar().is_workday(date(2027, 1, 31))


def test_2028_is_still_refused_after_2027_is_loaded():
    run("load", str(FIXTURE_2027))
    with pytest.raises(CommandError, match="2028") as caught:
        call_command("workdays", "add", "2027-12-01", "40")
    assert caught.value.returncode == 2


def test_loading_as_an_account_names_it():
    user = make_user("clerk")
    run("load", str(FIXTURE_2027), "--user", "clerk")
    assert WorkdaySchedule.objects.get().loaded_by == "clerk"
    assert AuditEvent.objects.filter(event_type=EventType.WORKDAYS_LOAD).get().actor_id == user.pk
    assert exit_status("load", str(FIXTURE_2027), "--user", "nobody", "--replace") == 2


def test_a_loaded_year_is_not_replaced_without_replace(tmp_path, capsys):
    run("load", str(FIXTURE_2027))
    changed = tmp_path / "2027.yaml"
    changed.write_text(FIXTURE_2027.read_text(encoding="utf-8").replace("to: 2027-10-07", "to: 2027-10-08"))
    assert exit_status("load", str(changed)) == 1
    assert "--replace" in capsys.readouterr().err
    assert {"name": "国庆节", "from": "2027-10-01", "to": "2027-10-07"} in WorkdaySchedule.objects.get().holidays
    run("load", str(changed), "--replace")
    row = WorkdaySchedule.objects.get()
    assert {"name": "国庆节", "from": "2027-10-01", "to": "2027-10-08"} in row.holidays
    event = AuditEvent.objects.filter(event_type=EventType.WORKDAYS_LOAD).order_by("-seq").first()
    assert event.before is not None and event.before["holidays"] != event.after["holidays"]
    assert not workdays.calendar().is_workday(date(2027, 10, 8))


def test_a_loaded_schedule_overrides_the_package_for_its_year(tmp_path):
    assert workdays.calendar().is_workday(date(2026, 10, 8))
    f = tmp_path / "2026.yaml"
    f.write_text(
        "year: 2026\nsource: '更正'\nholidays:\n  - {name: 国庆节, from: 2026-10-01, to: 2026-10-08}\nworkdays: []\n",
        encoding="utf-8",
    )
    run("load", str(f))
    assert not workdays.calendar().is_workday(date(2026, 10, 8))
    assert AuditEvent.objects.filter(event_type=EventType.WORKDAYS_LOAD).get().details["replaces_package"] is True


BASE = "year: 2027\nsource: 'x'\n"
OK_HOLIDAY = "holidays: [{name: 元旦, from: 2027-01-01, to: 2027-01-03}]\n"


@pytest.mark.parametrize(
    "text, expected",
    [
        (BASE + "holidays: [{name: 春节, from: 2027-02-05, to: 2027-02-13}]\nworkdays: [2027-02-06]\n",
         "workdays[1]：2027-02-06 在春节假期内"),
        (BASE + OK_HOLIDAY + "workdays: [2028-01-02]\n", "workdays[1]：2028-01-02 不在 2027 年内"),
        (BASE + "holidays: [{name: 元旦, from: 2026-12-31, to: 2027-01-01}]\nworkdays: []\n",
         "holidays[1].from：2026-12-31 不在 2027 年内"),
        (BASE + OK_HOLIDAY + "workdays: [2027-01-06]\n", "workdays[1]：2027-01-06 是周一至周五"),
        (BASE + "holidays: [{name: 元旦, from: 2027-01-32, to: 2027-01-03}]\nworkdays: []\n",
         "holidays[1].from：“2027-01-32”不是日期"),
        (BASE + OK_HOLIDAY, "workdays：缺少“workdays”项"),
        ("year: 2027\n" + OK_HOLIDAY + "workdays: []\n", "source：缺少“source”项"),
        (BASE + "holidays: [{name: 元旦, to: 2027-01-03}]\nworkdays: []\n", "holidays[1].from：缺少“from”项"),
        ("year: [2027\n", "(file)：不是有效的 YAML"),
    ],
)
def test_a_bad_file_is_refused_with_the_reason_and_nothing_saved(text, expected, tmp_path, capsys):
    f = tmp_path / "bad.yaml"
    f.write_text(text, encoding="utf-8")
    audit_rows = AuditEvent.objects.count()
    with translation.override("zh-hans"):
        with pytest.raises(SystemExit) as caught:
            call_command("workdays", "load", str(f))
    assert caught.value.code == 1
    err = capsys.readouterr().err
    assert expected in err and "未保存" in err
    assert WorkdaySchedule.objects.count() == 0 and AuditEvent.objects.count() == audit_rows


def test_nothing_is_saved_when_the_audit_record_fails(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(audit, "record", broken)
    schedule = parse_yaml(FIXTURE_2027.read_text(encoding="utf-8"))
    with pytest.raises(RuntimeError):
        workdays.schedule_load(schedule=schedule, operator="ops")
    assert WorkdaySchedule.objects.count() == 0


def test_a_stored_row_reads_back_as_the_same_schedule():
    schedule = parse_yaml(FIXTURE_2027.read_text(encoding="utf-8"))
    row = workdays.schedule_load(schedule=schedule, operator="ops")
    again = WorkdaySchedule.objects.get(pk=row.pk).to_schedule()
    assert (again.year, again.source, again.holidays, again.workdays) == (
        schedule.year, schedule.source, schedule.holidays, schedule.workdays,
    )
    assert again.loaded_by == "ops"


def test_list_names_each_years_source():
    run("load", str(FIXTURE_2027), "--operator", "ops")
    out = run("list")[0]
    assert "2026  chinesecalendar 1." in out and "2027  测试样例" in out and "(ops)" in out
