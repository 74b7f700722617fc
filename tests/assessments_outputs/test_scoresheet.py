"""The score sheet (.xlsx), read back with openpyxl: one row per unit, one column per item, the engine's totals."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jiceng.assessments import marks as marksheet
from jiceng.assessments.models import Level
from jiceng.assessments.outputs import scoresheet
from jiceng.assessments.services import final_sheet
from jiceng.core.models import AuditEvent, EventType

from .conftest import new_campaign, scheme_of, submit

FIXED = 5  # 县（市、区）, 单位编码, 单位名称, 状态, 评分依据


def _book(campaign, user=None):
    content, name, count = scoresheet.export(campaign, user=user)
    return openpyxl.load_workbook(io.BytesIO(content)), name, count


def _rows(ws) -> list[dict]:
    header = [c.value for c in ws[2]]
    return [dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=3, values_only=True)]


def test_one_row_per_unit_and_one_column_per_item(county_a_published, campaign, region):
    book, name, count = _book(campaign)
    cs = scheme_of(campaign)
    ws = book["评分表"]
    header = [c.value for c in ws[2]]
    assert header[:FIXED] == ["县（市、区）", "单位编码", "单位名称", "状态", "评分依据"]
    assert header[FIXED:FIXED + len(cs.ids)] == [f"{i}（{scoresheet.number(Decimal(cs.items[k].points))}分）"
                                                 for k, i in enumerate(cs.ids)]
    assert header[FIXED + len(cs.ids):] == ["硬件得分", "软件得分", "加减分", "总分", "结果", "等级", "县内排名",
                                            "全市排名", "原因"]
    assert ws.freeze_panes == "F3"
    assert ws.column_dimensions["C"].width == 18
    rows = _rows(ws)
    assert count == 3 and [r["单位编码"] for r in rows] == ["CA1", "CA2", "CB1"]
    assert name.startswith("评分表-") and name.endswith(".xlsx")


def test_published_totals_and_items_are_the_rubric_engines(county_a_published, campaign):
    cs = scheme_of(campaign)
    rows = {r["单位编码"]: r for r in _rows(_book(campaign)[0]["评分表"])}
    for key, code in (("a1", "CA1"), ("a2", "CA2")):
        sub = county_a_published[key]
        engine = cs.score(final_sheet(sub, cs))
        row = rows[code]
        assert row["总分"] == engine.total == float(sub.result.total)
        assert row["硬件得分"] == engine.hardware.score and row["软件得分"] == engine.software.score
        assert row["结果"] == "达标" and row["等级"] == engine.grade
        assert row["评分依据"] == "已发布"
        by_item = {i.id: i.score for i in engine.items}
        assert [row[scoresheet.item_header(cs, i)] for i in cs.ids] == [by_item[i] for i in cs.ids]
        assert row["原因"] == "；".join(engine.reasons)
    assert rows["CA1"]["2.2（12分）"] == 11.5 and rows["CA1"]["总分"] == 99.5
    # The approved no-duty claim scores half the item's 2 points (附件1 注).
    assert rows["CA2"]["4.3.4（2分）"] == 1 and rows["CA2"]["总分"] == 98


def test_an_unpublished_unit_is_scored_now_and_marked_provisional(county_a_published, campaign):
    cs = scheme_of(campaign)
    sub = county_a_published["b1"]
    row = {r["单位编码"]: r for r in _rows(_book(campaign)[0]["评分表"])}["CB1"]
    by_level = marksheet.scores_by_level(sub.marks.all())
    engine = cs.score(marksheet.sheet(cs, marksheet.level_scores(by_level, Level.SELF), set()), partial=True)
    assert row["评分依据"] == "自评（未发布）" and row["结果"] == "未发布"
    assert row["总分"] == engine.total == 99
    assert row["全市排名"] is None and row["县内排名"] is None


def test_rankings_per_county_and_for_the_city(county_a_published, campaign):
    book = _book(campaign)[0]
    assert book.sheetnames == ["评分表", "全市排名", "排名-甲县局", "排名-乙县局", "评分项目"]
    city = _rows(book["全市排名"])
    assert [(r["名次"], r["单位编码"], r["总分"]) for r in city] == [(1, "CA1", 99.5), (2, "CA2", 98)]
    county_a = _rows(book["排名-甲县局"])
    assert [(r["名次"], r["单位编码"]) for r in county_a] == [(1, "CA1"), (2, "CA2")]
    assert _rows(book["排名-乙县局"]) == []  # nothing published in county B yet
    legend = list(book["评分项目"].iter_rows(min_row=2, values_only=True))
    assert len(legend) == len(scheme_of(campaign).ids) and legend[0][:2] == ("1.1", "机构设置与队伍建设")


def test_a_county_exports_its_own_offices_only(county_a_published, campaign, people):
    rows = _rows(_book(campaign, people["county_reviewer"])[0]["评分表"])
    assert [r["单位编码"] for r in rows] == ["CA1", "CA2"]
    rows = _rows(_book(campaign, people["other_county_head"])[0]["评分表"])
    assert [r["单位编码"] for r in rows] == ["CB1"]


def test_the_export_is_on_the_record_with_its_hash(county_a_published, campaign, people, client_for):
    import hashlib

    response = client_for(people["city_admin"]).get(reverse("assessment_outputs:scoresheet", args=[campaign.pk]))
    assert response.status_code == 200
    event = AuditEvent.objects.filter(event_type=EventType.EXPORT).latest("seq")
    assert event.actor_name == "city_admin" and event.details["kind"] == "assessment.scoresheet"
    assert event.details["rows"] == 3 and event.details["sha256"] == hashlib.sha256(response.content).hexdigest()


def test_the_command_line_export_writes_the_file(county_a_published, campaign, tmp_path):
    out = tmp_path / "sheet.xlsx"
    assert scoresheet.export_to_path(campaign, out) == 3
    assert len(_rows(openpyxl.load_workbook(out)["评分表"])) == 3
    assert AuditEvent.objects.filter(event_type=EventType.EXPORT).latest("seq").actor_name == "system"


def test_a_formula_typed_into_the_data_is_written_as_text(region, people):
    from jiceng.org import services as org

    office = org.unit_create(actor=None, parent=region.county_b, kind="office", name="=HYPERLINK(\"x\")", code="CBF")
    campaign = new_campaign(region.city, people["city_admin"], units=[office])
    ws = _book(campaign)[0]["评分表"]
    cell = next(row[2] for row in ws.iter_rows(min_row=3) if row[1].value == "CBF")
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"x\")"


def test_the_number_of_queries_does_not_grow_with_the_number_of_units(region, people):
    from jiceng.org import services as org

    city = people["city_admin"]
    for n in range(9):
        org.unit_create(actor=None, parent=region.county_b, kind="office", name=f"乙{n + 2}所", code=f"CBX{n}")
    small = new_campaign(region.city, city, units=[region.office_a1, region.office_a2, region.office_b1])
    large = new_campaign(region.city, city, name="全部")
    assert large.submissions.count() == 12
    for camp in (small, large):
        submit(camp, region.office_a1, people["office_head"])
    with CaptureQueriesContext(connection) as few:
        scoresheet.build_rows(small, city)
    with CaptureQueriesContext(connection) as many:
        rows = scoresheet.build_rows(large, city)
    assert len(rows) == 12 and len(many) == len(few)



def test_ranks_are_over_the_whole_population_not_the_rows_seen(county_a_published, campaign, people):
    # 甲二所 (CA2, 98) is second in the city and in county A whoever exports; its head sees only its own row.
    rows = scoresheet.build_rows(campaign, people["office_a2_head"])
    assert [(r.code, r.city_rank, r.county_rank) for r in rows] == [("CA2", 2, 2)]
    own = _rows(_book(campaign, people["office_a2_head"])[0]["全市排名"])
    assert [(r["名次"], r["单位编码"]) for r in own] == [(2, "CA2")]
    # The county reviewer sees both of its offices, with the same ranks as the city.
    county = {r.code: (r.city_rank, r.county_rank) for r in scoresheet.build_rows(campaign, people["county_reviewer"])}
    city = {r.code: (r.city_rank, r.county_rank) for r in scoresheet.build_rows(campaign, people["city_admin"])}
    assert county == {"CA1": (1, 1), "CA2": (2, 2)} and city["CA2"] == (2, 2)
