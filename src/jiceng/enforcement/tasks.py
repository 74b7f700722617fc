"""The daily reminder before the monthly report's due date (registered at 07:30 through core.registry.daily)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from .capabilities import REPORT_SUBMIT
from .models import MonthlyReport, ReportKind, ReportState
from .reports import due_date

REMIND_DAYS_BEFORE = 5


def monthly_report_reminders(today: date | None = None) -> dict:
    """From the 15th to the 20th: a reminder to every office whose report of last month is not submitted."""
    from jiceng.inbox.services import ReminderSpec, reminders_create
    from jiceng.org.models import Unit

    today = today or timezone.localdate()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    due = due_date(year, month)
    if not 0 <= (due - today).days <= REMIND_DAYS_BEFORE:
        return {"created": 0}
    done = set(MonthlyReport.objects.filter(kind=ReportKind.MONTHLY, year=year, month=month,
                                            state__in=(ReportState.SUBMITTED, ReportState.REVIEWED))
               .values_list("unit_id", flat=True))
    specs = [ReminderSpec(unit_id=pk, action=REPORT_SUBMIT, kind="enforcement.monthly_report",
                          title=f"{year}年{month}月执法监察综合月报须于{due:%m月%d日}前上报",
                          key=f"enforcement.monthly:{pk}:{year}-{month}", due=due)
             for pk in Unit.objects.filter(kind="office").values_list("pk", flat=True) if pk not in done]
    return {"created": len(reminders_create(specs=specs, source="enforcement.monthly_report"))}
