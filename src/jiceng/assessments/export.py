"""The campaign's score sheet as .xlsx: one row per unit, one column per item, totals, result, ranks, reasons."""

from __future__ import annotations

import io
from collections import defaultdict

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from . import marks as marksheet
from . import schemes
from .models import Level, Status, Submission
from .services import final_sheet

FIXED = ["县局", "单位代码", "单位", "试点", "状态"]
TAIL = ["总分", "硬件", "软件", "结果", "等次", "摘牌", "县内排名", "全市排名", "理由"]


def _so_far(sub, cs) -> dict:
    """The most advanced level's marks: the office's own until the county has forwarded, then the reviewers'."""
    if sub.status in (Status.REVIEWED, Status.AUDITED):
        return final_sheet(sub, cs)
    by_level = marksheet.scores_by_level(sub.marks.all())
    return marksheet.sheet(cs, marksheet.level_scores(by_level, Level.SELF),
                           marksheet.no_duty_items(list(sub.claims.all()), Level.SELF))


def _ranks(totals: dict[int, float]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4) by total, highest first."""
    ordered = sorted(totals.items(), key=lambda kv: -kv[1])
    ranks, previous, rank = {}, None, 0
    for position, (pk, total) in enumerate(ordered, start=1):
        if total != previous:
            rank, previous = position, total
        ranks[pk] = rank
    return ranks


def score_sheet(campaign, submissions=None) -> bytes:
    """The workbook's bytes. Published rows show the frozen result; others the scores so far (partial)."""
    # A document for the bureaus: Chinese whatever the language of whoever asks for it.
    with translation.override("zh-hans"):
        return _score_sheet(campaign, submissions)


def _score_sheet(campaign, submissions) -> bytes:
    cs = schemes.campaign_scheme(campaign)
    qs = submissions if submissions is not None else Submission.objects.filter(campaign=campaign)
    subs = list(
        qs.select_related("unit", "reviewer", "result")
        .prefetch_related("marks", "claims", "bonuses", "vetoes", "flags")
        .order_by("reviewer__code", "unit__code")
    )
    rows = []
    for sub in subs:
        result = getattr(sub, "result", None) if sub.status == Status.PUBLISHED else None
        if result is not None:
            data, label = result.data, ("达标" if result.passed else "未达标")
        else:
            data, label = cs.score(_so_far(sub, cs), partial=True).to_dict(), "（未公布）"
        items = {i["id"]: i for i in data["items"]}
        rows.append((sub, result, data, label, items))

    published = {sub.pk: data["total"] for sub, result, data, _l, _i in rows if result is not None}
    city_rank = _ranks(published)
    by_county: dict[str, dict[int, float]] = defaultdict(dict)
    for sub, result, data, _l, _i in rows:
        if result is not None:
            by_county[sub.reviewer.code][sub.pk] = data["total"]
    county_rank = {pk: r for totals in by_county.values() for pk, r in _ranks(totals).items()}

    book = Workbook()
    sheet = book.active
    sheet.title = "评分表"
    header = FIXED + [f"{item_id}（{cs.text(cs.item_max[i])}）" for i, item_id in enumerate(cs.ids)] + TAIL
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for sub, result, data, label, items in rows:
        line = [sub.reviewer.name, sub.unit.code, sub.unit.name, "是" if sub.pilot else "", sub.get_status_display()]
        for item_id in cs.ids:
            entry = items.get(item_id)
            line.append(None if entry is None or entry["missing"] else entry["score"])
        line += [
            data["total"], data["hardware"]["score"], data["software"]["score"], label,
            data["grade"] if result is not None else "",
            "是" if result is not None and result.revoked_at else "",
            county_rank.get(sub.pk), city_rank.get(sub.pk),
            # Reasons belong to a result; a sheet still being filled in would only list what is unscored.
            "；".join(data["reasons"] + ([f"摘牌：{result.revoke_reason}"] if result.revoked_at else []))
            if result is not None else "",
        ]
        sheet.append(line)
    sheet.freeze_panes = "F2"
    sheet.column_dimensions["C"].width = 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

