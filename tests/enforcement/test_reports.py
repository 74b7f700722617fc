"""The monthly report: generated from the ledgers, submitted, reviewed, late offices, the xlsx roll-up, reminders;
the to-do items and the ledger registration."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from jiceng.core import ledgers
from jiceng.enforcement import reports, services
from jiceng.enforcement.models import ClueSource, ReportKind, ReportState
from jiceng.enforcement.tasks import monthly_report_reminders

pytestmark = pytest.mark.django_db


def _clue(region, officer, day, source=ClueSource.HOTLINE):
    return services.clue_register(actor=officer, unit=region.office_a1, source=source, description="举报",
                                  place="甲村", registered_at=timezone.make_aware(datetime(day.year, day.month, day.day, 9)))


def test_the_report_counts_the_month_and_is_due_on_the_20th(region, officer, users):
    _clue(region, officer, date(2026, 11, 3))
    _clue(region, officer, date(2026, 11, 30), ClueSource.PATROL)
    _clue(region, officer, date(2026, 12, 1))
    report = reports.report_generate(actor=officer, unit=region.office_a1, year=2026, month=11)
    assert report.due_on == date(2026, 12, 20)
    assert (report.figures["clues"], report.figures["hotline"], report.figures["patrol_clues"]) == (2, 1, 1)
    assert reports.due_date(2026, 12) == date(2027, 1, 20)
    report = reports.report_submit(actor=officer, report=report)
    with pytest.raises(ValidationError):
        reports.report_generate(actor=officer, unit=region.office_a1, year=2026, month=11)
    with pytest.raises(ValidationError, match="returned"):
        reports.report_review(actor=users["county_reviewer"], report=report, accept=False)
    report = reports.report_review(actor=users["county_reviewer"], report=report, accept=True)
    assert report.state == ReportState.REVIEWED
    with pytest.raises(ValidationError, match="analysis"):
        reports.report_submit(actor=officer, report=reports.report_generate(
            actor=officer, unit=region.office_a1, year=2026, month=6, kind=ReportKind.HALF_YEAR))


def test_an_office_that_has_not_submitted_shows_late_and_the_rollup_reads_back(region, officer, users):
    reviewer = users["county_reviewer"]
    assert reports.late_units(reviewer, region.county_a, 2026, 10, today=date(2026, 11, 20)) == []
    report = reports.report_generate(actor=officer, unit=region.office_a1, year=2026, month=10)
    reports.report_submit(actor=officer, report=report)  # submitted today (after 20 Nov): late
    late = reports.late_units(reviewer, region.county_a, 2026, 10, today=date(2026, 11, 21))
    assert [u.code for u in late] == ["CA1", "CA2"]
    book = load_workbook(io.BytesIO(reports.rollup_xlsx(reviewer, region.county_a, 2026, 10)))
    rows = list(book.active.values)
    assert rows[0][:3] == ("单位", "状态", "是否逾期") and rows[1][0] == "甲一中心所" and rows[1][2] == "是"
    assert rows[2][0] == "甲二所" and rows[-1][0] == "合计"


def test_the_reminder_goes_out_before_the_20th_once(region, officer):
    from jiceng.inbox.models import Reminder

    assert monthly_report_reminders(today=date(2026, 12, 10))["created"] == 0
    created = monthly_report_reminders(today=date(2026, 12, 16))["created"]
    assert created == 3 and monthly_report_reminders(today=date(2026, 12, 17))["created"] == 0  # CA1, CA2, CB1
    assert Reminder.objects.filter(key__startswith="enforcement.monthly:").count() == 3


def test_overdue_clues_are_on_the_ledgers_and_the_to_do_list(region, officer, users):
    from jiceng.enforcement.inbox import items_for

    clue = _clue(region, officer, date(2026, 9, 1))
    keys = [led.key for led in ledgers.registered()]
    assert "enforcement.clue" in keys and "enforcement.case" in keys
    overdue = dict((led.key, list(rows)) for led, rows in ledgers.overdue(users["county_reviewer"]))
    assert clue in overdue["enforcement.clue"]
    items = items_for(officer)
    assert any(clue.number in i.title and i.level == "danger" for i in items)
    assert not any(clue.number in i.title for i in items_for(users["other_county_head"]))
