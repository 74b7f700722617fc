"""The monthly patrol report (巡查月报) of a unit, as xlsx: the plan against the patrols, then every patrol."""

from __future__ import annotations

import io
from datetime import date

from django.db.models import Count, Q, Sum
from openpyxl import Workbook
from openpyxl.styles import Font

from jiceng.core.capabilities import VIEW

from .models import Patrol, PatrolPlan


def month_bounds(month: date) -> tuple[date, date]:
    start = month.replace(day=1)
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start, date.fromordinal(following.toordinal() - 1)


def monthly_rows(user, unit, month: date) -> dict:
    """The figures of the report, read through the scope (DB aggregates)."""
    start, end = month_bounds(month)
    patrols = Patrol.objects.restrict(user, VIEW).within(unit).filter(patrol_date__range=(start, end))
    totals = patrols.aggregate(
        patrols=Count("pk", distinct=True),
        key_period=Count("pk", filter=Q(key_period=True), distinct=True),
        unannounced=Count("pk", filter=Q(unannounced=True), distinct=True),
    )
    totals["findings"] = patrols.aggregate(n=Count("findings"))["n"]
    totals["clues"] = patrols.filter(findings__clue_id__gt="").aggregate(n=Count("findings"))["n"]
    totals["track_km"] = round((patrols.aggregate(m=Sum("segments__length_m"))["m"] or 0) / 1000, 1)
    done = dict(patrols.exclude(area=None).values_list("area").annotate(n=Count("pk")).values_list("area", "n"))
    plans = (PatrolPlan.objects.restrict(user, VIEW).within(unit).filter(month=start)
             .select_related("area", "unit").order_by("unit__code", "area__name"))
    plan_rows = [(p.unit.name, p.area.name, p.area.responsible, p.planned, done.get(p.area_id, 0)) for p in plans]
    patrol_rows = [
        (p.patrol_date, p.unit.name, p.area.name if p.area_id else "", p.inspectors, p.route,
         "是" if p.key_period else "", "是" if p.unannounced else "", p.n_findings, p.summary)
        for p in patrols.select_related("unit", "area").annotate(n_findings=Count("findings")).order_by("patrol_date", "pk")
    ]
    return {"totals": totals, "plans": plan_rows, "patrols": patrol_rows, "start": start, "end": end}


def monthly_workbook(user, unit, month: date) -> bytes:
    data = monthly_rows(user, unit, month)
    wb = Workbook()
    ws = wb.active
    ws.title = "巡查月报"
    ws.append([f"{unit.name} 巡查月报 {data['start']:%Y年%m月}"])
    ws["A1"].font = Font(bold=True, size=14)
    t = data["totals"]
    ws.append(["巡查次数", t["patrols"], "节假日/重点时段", t["key_period"], "暗访", t["unannounced"]])
    ws.append(["发现问题", t["findings"], "转为线索", t["clues"], "轨迹里程(公里)", t["track_km"]])
    ws.append([])
    ws.append(["单位", "巡查区域", "责任人", "计划次数", "完成次数"])
    for row in data["plans"]:
        ws.append(list(row))
    sheet = wb.create_sheet("巡查记录")
    sheet.append(["日期", "单位", "巡查区域", "巡查人员", "路线", "节假日/重点时段", "暗访", "发现问题数", "发现及处理情况"])
    for row in data["patrols"]:
        sheet.append(list(row))
        sheet.cell(row=sheet.max_row, column=1).number_format = "yyyy-mm-dd"
    for ws_ in (ws, sheet):
        for column in ("A", "B", "C", "D", "E"):
            ws_.column_dimensions[column].width = 16
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
