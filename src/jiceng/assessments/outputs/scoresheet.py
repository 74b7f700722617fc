"""The score sheet of a campaign (.xlsx): one row per unit, one column per item, totals, result, reasons.

A published unit's row is its frozen result (Result.data, the rubric engine's
output at publication). A unit not yet published is scored now by the engine
from the highest level present (the city's audit over the county's review,
else the office's own self-evaluation), partially where items are missing,
and its row says so in the "评分依据" column: such figures are provisional.

Rankings (the city's and one sheet per county) order the published results
by total; equal totals share a rank (1, 1, 3). A rank is over every published
result of the campaign (the whole city, the whole county) whoever exports: a
user who sees fewer rows sees fewer rows, not other ranks. Provisional figures are not
ranked: a self-score beside an audited result would mislead.

The rows are read with a fixed number of queries whatever the number of units
(submissions, then marks, claims, bonuses, vetoes and flags of the unpublished
ones, each in one query), and written in openpyxl's write-only mode.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from jiceng.core import audit
from jiceng.core.models import EventType
from jiceng.core.tabular.writing import HEADER_FILL, HEADER_FONT, cell, needs_neutralising

from .. import marks as marksheet
from .. import schemes
from ..models import Bonus, Campaign, FlagKind, ItemMark, Level, NoDutyClaim, Status, Submission, VetoEvent
from ..models import Flag as FlagModel
from .common import number, own_submissions, result_label

BASIS = {
    "published": "已发布",
    Level.CITY: "市级审核（未发布）",
    Level.COUNTY: "县级考评（未发布）",
    Level.SELF: "自评（未发布）",
    "": "未评分",
}
UNPUBLISHED = "未发布"


@dataclass
class Row:
    """One unit's line of the score sheet."""

    county: str
    county_code: str
    code: str
    name: str
    status: str
    basis: str
    items: dict[str, Any] = field(default_factory=dict)
    hardware: Any = None
    software: Any = None
    total: Any = None
    adjust: Any = None
    result: str = ""
    grade: str = ""
    reasons: list[str] = field(default_factory=list)
    county_rank: int | None = None
    city_rank: int | None = None

    @property
    def published(self) -> bool:
        return self.basis == BASIS["published"] and self.total is not None


@dataclass(frozen=True, slots=True)
class _Mark:
    """What outputs need of an ItemMark (assessments.marks reads these attributes)."""

    item_id: str
    level: str
    score: Decimal | None


@dataclass(frozen=True, slots=True)
class _Claim:
    """What outputs need of a NoDutyClaim, with its `decision` as the model computes it."""

    item_id: str
    county_decision: str
    city_decision: str

    @property
    def decision(self) -> str:
        return self.city_decision or self.county_decision


def _published_row(row: Row, data: dict, revoked_at, revoke_reason: str) -> None:
    row.items = {item["id"]: item["score"] for item in data.get("items", [])}
    row.hardware = data["hardware"]["score"]
    row.software = data["software"]["score"]
    row.total = data["total"]
    row.result = result_label(data.get("passed"), revoked=revoked_at is not None)
    row.grade = data.get("grade") or ""
    row.reasons = list(data.get("reasons", []))
    if revoked_at is not None:
        row.reasons.append(f"{timezone.localdate(revoked_at):%Y-%m-%d} 摘牌：{revoke_reason}")


def _provisional_row(row: Row, cs, marks, claims, bonuses, vetoes, flags) -> None:
    by_level = marksheet.scores_by_level(marks)
    level = Level.CITY if by_level[Level.CITY] or by_level[Level.COUNTY] else Level.SELF
    scores = marksheet.level_scores(by_level, level)
    na = marksheet.no_duty_items(claims, level)
    if not scores and not na:
        row.basis = BASIS[""]
        return
    row.basis = BASIS[Level.COUNTY if level == Level.CITY and not by_level[Level.CITY] else level]
    sheet = marksheet.sheet(cs, scores, na, bonuses=bonuses, vetoes=vetoes, flags=flags)
    outcome = cs.score(sheet, partial=True)
    data = outcome.to_dict()
    row.items = {item["id"]: (None if item["missing"] else item["score"]) for item in data["items"]}
    row.hardware, row.software, row.total = data["hardware"]["score"], data["software"]["score"], data["total"]
    row.result = UNPUBLISHED
    row.reasons = data["reasons"]


def build_rows(campaign: Campaign, user=None) -> list[Row]:
    """Every unit of the campaign in the user's subtree, scored; rankings filled in."""
    cs = schemes.campaign_scheme(campaign)
    base = own_submissions(user, campaign)
    # Values, not model instances: a thousand submissions with their units and results.
    subs = list(base.order_by("reviewer__code", "unit__code").values(
        "pk", "status", "unit__code", "unit__name", "reviewer__code", "reviewer__name", "result__data",
        "result__revoked_at", "result__revoke_reason"))
    open_ids = base.exclude(status=Status.PUBLISHED).values("pk")
    marks, claims = defaultdict(list), defaultdict(list)
    bonuses, vetoes, flags = defaultdict(list), defaultdict(list), defaultdict(list)
    if any(s["status"] != Status.PUBLISHED for s in subs):
        # Plain tuples, not model instances: thousands of marks per campaign.
        for sub_id, item_id, level, score in ItemMark.objects.filter(submission__in=open_ids).values_list(
                "submission_id", "item_id", "level", "score"):
            marks[sub_id].append(_Mark(item_id, level, score))
        for sub_id, item_id, county, city in NoDutyClaim.objects.filter(submission__in=open_ids).values_list(
                "submission_id", "item_id", "county_decision", "city_decision"):
            claims[sub_id].append(_Claim(item_id, county, city))
        for sub_id, bonus_id in Bonus.objects.filter(submission__in=open_ids).values_list("submission_id",
                                                                                          "bonus_id"):
            bonuses[sub_id].append(bonus_id)
        for sub_id, veto_id in VetoEvent.objects.filter(submission__in=open_ids).values_list("submission_id",
                                                                                            "veto_id"):
            vetoes[sub_id].append(veto_id)
        for sub_id, kind in FlagModel.objects.filter(submission__in=open_ids, active=True,
                                                     kind=FlagKind.FALSE_DATA).values_list("submission_id", "kind"):
            flags[sub_id].append(kind)
    rows = []
    labels = {status.value: str(status.label) for status in Status}
    for sub in subs:
        pk = sub["pk"]
        row = Row(county=sub["reviewer__name"], county_code=sub["reviewer__code"], code=sub["unit__code"],
                  name=sub["unit__name"], status=labels[sub["status"]], basis=BASIS["published"])
        if sub["status"] == Status.PUBLISHED and sub["result__data"] is not None:
            _published_row(row, sub["result__data"], sub["result__revoked_at"], sub["result__revoke_reason"])
        else:
            _provisional_row(row, cs, marks[pk], claims[pk], bonuses[pk], vetoes[pk], flags[pk])
        if row.total is not None and row.hardware is not None:
            row.adjust = number(_decimal(row.total) - _decimal(row.hardware) - _decimal(row.software))
        rows.append(row)
    _population_ranks(campaign, rows)
    return rows


def _ranks(totals: list[tuple[str, Decimal]]) -> dict[str, int]:
    """{code: rank} by total, highest first; equal totals share a rank (1, 1, 3)."""
    out, previous, rank = {}, None, 0
    for position, (code, total) in enumerate(sorted(totals, key=lambda t: -t[1]), start=1):
        if total != previous:
            rank, previous = position, total
        out[code] = rank
    return out


def _population_ranks(campaign: Campaign, rows: list[Row]) -> None:
    """Fill the ranks of the published rows shown, over every published result of the campaign (the whole city,
    the whole county), not over the rows the user may see: seeing fewer rows changes what is shown, not a rank.
    One query."""
    published = list(Submission.objects.filter(campaign=campaign, status=Status.PUBLISHED,
                                               result__isnull=False)
                     .values_list("unit__code", "reviewer__code", "result__total"))
    city = _ranks([(code, Decimal(total)) for code, _county, total in published])
    by_county: dict[str, list] = defaultdict(list)
    for code, county, total in published:
        by_county[county].append((code, Decimal(total)))
    county_ranks = {code: rank for entries in by_county.values() for code, rank in _ranks(entries).items()}
    for row in rows:
        if row.published:
            row.city_rank, row.county_rank = city.get(row.code), county_ranks.get(row.code)


def _decimal(value) -> Decimal:
    return Decimal(str(value))


# --- writing ------------------------------------------------------------------------------------------

FIXED = [("县（市、区）", 14), ("单位编码", 12), ("单位名称", 18), ("状态", 10), ("评分依据", 16)]
TAIL = [("硬件得分", 9), ("软件得分", 9), ("加减分", 8), ("总分", 8), ("结果", 9), ("等级", 8),
        ("县内排名", 8), ("全市排名", 8), ("原因", 80)]
RANK_COLUMNS = [("名次", 6), ("县（市、区）", 14), ("单位编码", 12), ("单位名称", 18), ("总分", 8),
                ("硬件得分", 9), ("软件得分", 9), ("结果", 9), ("等级", 8)]
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _plain(ws, values) -> list:
    """A row for `append`: plain values where safe (much faster than a styled cell each), quoted text otherwise."""
    return [cell(ws, v) if needs_neutralising(v) or isinstance(v, Decimal) else v for v in values]


def _widths(ws, widths: Iterable[float]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def _header(ws, titles: list[str]) -> list:
    return [cell(ws, title, font=HEADER_FONT, fill=HEADER_FILL) for title in titles]


def _title_line(ws, text: str) -> list:
    from openpyxl.styles import Font

    return [cell(ws, text, font=Font(italic=True, color="595959"))]


def item_header(cs, item_id: str) -> str:
    return f"{item_id}（{number(schemes.item_max(cs, item_id))}分）"


def sheet_name(text: str, used: set[str]) -> str:
    name = _SHEET_FORBIDDEN.sub("", text)[:28] or "县"
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{name[:26]}{n}", n + 1
    used.add(candidate)
    return candidate


def write(stream: BinaryIO, campaign: Campaign, rows: list[Row], *, exporter: str, at: datetime) -> None:
    cs = schemes.campaign_scheme(campaign)
    stamp = timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S")
    workbook = Workbook(write_only=True)
    workbook.properties.creator = exporter
    workbook.properties.title = f"{campaign.name} 评分表"
    used: set[str] = set()

    ws = workbook.create_sheet(sheet_name("评分表", used))
    ws.freeze_panes = "F3"
    _widths(ws, [w for _, w in FIXED] + [9] * len(cs.ids) + [w for _, w in TAIL])
    ws.append(_title_line(ws, f"{campaign.name} · 评分表 · {cs.id} v{cs.version} · 导出：{exporter} {stamp}"))
    ws.append(_header(ws, [t for t, _ in FIXED] + [item_header(cs, i) for i in cs.ids] + [t for t, _ in TAIL]))
    for r in rows:
        values = [r.county, r.code, r.name, r.status, r.basis, *(r.items.get(i) for i in cs.ids),
                  r.hardware, r.software, r.adjust, r.total, r.result, r.grade, r.county_rank, r.city_rank,
                  "；".join(r.reasons)]
        ws.append(_plain(ws, values))

    _ranking(workbook, sheet_name("全市排名", used), "全市排名", rows, campaign, stamp)
    by_county: dict[str, list[Row]] = {}
    for r in rows:
        by_county.setdefault(r.county_code, []).append(r)
    for county_rows in by_county.values():
        county = county_rows[0].county
        _ranking(workbook, sheet_name(f"排名-{county}", used), f"{county} 县内排名", county_rows, campaign, stamp,
                 attr="county_rank")
    _legend(workbook, sheet_name("评分项目", used), cs)
    workbook.save(stream)


def _ranking(workbook, name: str, heading: str, rows: list[Row], campaign, stamp: str, attr: str = "city_rank"):
    ws = workbook.create_sheet(name)
    ws.freeze_panes = "A3"
    _widths(ws, [w for _, w in RANK_COLUMNS])
    ws.append(_title_line(ws, f"{campaign.name} · {heading} · {stamp}"))
    ws.append(_header(ws, [t for t, _ in RANK_COLUMNS]))
    ranked = sorted((r for r in rows if getattr(r, attr) is not None), key=lambda r: (getattr(r, attr), r.code))
    for r in ranked:
        values = [getattr(r, attr), r.county, r.code, r.name, r.total, r.hardware, r.software, r.result, r.grade]
        ws.append(_plain(ws, values))


def _legend(workbook, name: str, cs) -> None:
    ws = workbook.create_sheet(name)
    ws.freeze_panes = "A2"
    _widths(ws, [10, 22, 80, 8, 8])
    ws.append(_header(ws, ["项目编号", "考核项目", "建设标准", "分值", "类别"]))
    for i, item_id in enumerate(cs.ids):
        item = cs.items[i]
        ws.append(_plain(ws, (
            item_id, cs.section_titles[cs.section_of[i]], item.text or item.title or "",
            number(schemes.item_max(cs, item_id)), "硬件" if cs.hardware[i] else "软件")))


# --- serving and the command line -----------------------------------------------------------------------


def file_name(campaign: Campaign, at: datetime) -> str:
    return f"评分表-{campaign.name}-{timezone.localtime(at):%Y%m%d-%H%M%S}.xlsx"


def export(campaign: Campaign, *, user=None) -> tuple[bytes, str, int]:
    """Build the score sheet for `user` (None: every unit, for the command line) and put it on the record.

    Returns (content, file name, number of unit rows).
    """
    from jiceng.core.tabular.exporting import exporter_name

    at = timezone.now()
    rows = build_rows(campaign, user)
    out = io.BytesIO()
    name = exporter_name(user) if user is not None else "system"
    write(out, campaign, rows, exporter=name, at=at)
    content = out.getvalue()
    audit.record_now(
        EventType.EXPORT, actor=user, actor_name=None if user is not None else "system", subject=campaign,
        details={"kind": "assessment.scoresheet", "file": file_name(campaign, at), "rows": len(rows),
                 "sha256": hashlib.sha256(content).hexdigest()},
    )
    return content, file_name(campaign, at), len(rows)


def export_to_path(campaign: Campaign, path: str | Path) -> int:
    """`jiceng campaigns export ID --out FILE.xlsx`: the whole campaign's sheet written to `path`."""
    content, _name, count = export(campaign)
    Path(path).write_bytes(content)
    return count

