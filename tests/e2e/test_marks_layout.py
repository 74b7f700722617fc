"""The marks table of the review and audit forms at a 1280 px wide window: long item text stays in its column.

The item column holds the standard's text, the office's evidence links and
its no-duty claim; the last column holds the reviewer's score and comment
inputs. Long text (and long unbroken tokens such as file names) must wrap
inside the item column, never run under the scorer's inputs.
"""

from __future__ import annotations

from datetime import date

import pytest

from .browser import DESKTOP

pytestmark = pytest.mark.e2e

OFFICE = "331002S01"  # 海门中心所, reviewed by 椒江分局 (the demo account "county")
LONG_COMMENT = ("本所已按照市局视觉形象识别系统统一办公场所布置及标识，门牌、所牌、公示栏、监督电话均已上墙，"
                "详见台帐第三册第十二至十八页及所附现场照片。")
LONG_TOKEN = "台帐编号TZ-JJ-HMZXS-2021-0012-0013-0014-0015-0016-0017-0018-0019-0020-0021-0022-0023"
LONG_CLAIM = "本所辖区土地调查由分局统一组织实施，本所不承担此项职责，" * 3

# Every item row: the item cell, the scorer cell (the last one) and everything drawn inside the item cell.
ROW_BOXES = """
table => [...table.querySelectorAll("tbody tr[id^='item-']")].map(row => {
  const cells = [...row.querySelectorAll(":scope > td")];
  const item = cells[0], scorer = cells[cells.length - 1];
  const box = e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right}; };
  const inside = [...item.querySelectorAll("*")].map(box).filter(b => b.right > b.left);
  const inputs = [...scorer.querySelectorAll("input, textarea, select")].map(box);
  return {id: row.id, item: box(item), scorer: box(scorer), others: cells.slice(1).map(box),
          itemScroll: item.scrollWidth, itemClient: item.clientWidth, inside, inputs};
})
"""


def submitted_with_long_text(demo):
    """A campaign over one office, submitted (as "system") with long comments, a long file name and a claim."""
    from django.core.files.base import ContentFile

    from factories import open_deadlines
    from jiceng.accounts.models import User
    from jiceng.assessments import schemes, services

    from .test_assessment_cycle import png_bytes

    campaign = services.campaign_create(
        actor=User.objects.get(username="city"), organiser=demo.unit("331000"), name="版面检查考核",
        scheme_id="taizhou-office-2021", units=[demo.unit(OFFICE)], audit_mode="all", seed=1,
        period_start=date(2021, 5, 10), period_end=date(2022, 4, 30), **open_deadlines(),
    )
    cs = schemes.campaign_scheme(campaign)
    items = {item_id: {"score": cs.items[i].points, "comment": LONG_COMMENT if i % 2 else LONG_TOKEN}
             for i, item_id in enumerate(cs.ids)}
    items[cs.ids[1]] = {"score": None, "claim": LONG_CLAIM}
    sub = campaign.submissions.get()
    sub = services.submission_save_draft(
        actor=None, submission=sub, expected_version=sub.version, items=items,
        uploads={cs.ids[0]: [ContentFile(png_bytes(), name=f"{LONG_TOKEN}.png")]},
        declaration={"decl_phone": "0576-88000000", "decl_address": "台州市椒江区海门街道中山路1号",
                     "decl_situation": LONG_COMMENT, "decl_head": "张志宏"},
    )
    return services.submission_submit(actor=None, submission=sub, expected_version=sub.version), cs


def assert_columns_apart(rows: list[dict]) -> None:
    assert rows, "no item rows in the marks table"
    for row in rows:
        where = row["id"]
        assert row["item"]["right"] <= row["scorer"]["left"] + 0.5, f"{where}: the item column runs under the scorer's"
        assert all(row["item"]["right"] <= other["left"] + 0.5 for other in row["others"]), f"{where}: columns overlap"
        assert row["itemScroll"] <= row["itemClient"] + 1, f"{where}: the item text overflows its column"
        for drawn in row["inside"]:
            assert drawn["right"] <= row["scorer"]["left"] + 0.5, f"{where}: item text drawn over the scorer column"
        for field in row["inputs"]:
            assert row["scorer"]["left"] - 0.5 <= field["left"] and field["right"] <= row["scorer"]["right"] + 0.5, (
                f"{where}: a scorer input sticks out of its column")


def check_marks_table(tour, path: str, n_items: int) -> None:
    tour.goto(path)
    assert tour.page.viewport_size == {"width": 1280, "height": 800}
    rows = tour.page.get_by_test_id("marks").evaluate(ROW_BOXES)
    assert len(rows) == n_items
    tour.shot("marks-1280")
    assert_columns_apart(rows)
    # Nor does the page scroll sideways.
    assert tour.page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_long_item_text_stays_clear_of_the_scorer_column_at_1280px(open_tour, demo, settings, tmp_path):
    from jiceng.assessments import services

    settings.MEDIA_ROOT = tmp_path / "media"
    sub, cs = submitted_with_long_text(demo)
    county = open_tour("county", viewport=DESKTOP)
    county.login("county", demo.password)
    check_marks_table(county, f"/assessments/submissions/{sub.pk}/review/", len(cs.ids))

    # The audit form: the county's long comments are in their column too.
    county_items = {item_id: {"score": cs.items[i].points, "comment": LONG_TOKEN}
                    for i, item_id in enumerate(cs.ids) if item_id != cs.ids[1]}
    sub = services.review_save(actor=None, submission=sub, expected_version=sub.version, items=county_items,
                               claims={cs.ids[1]: (True, LONG_CLAIM)})
    sub = services.submission_forward(actor=None, submission=sub, expected_version=sub.version, opinion="同意上报。")
    city = open_tour("city", viewport=DESKTOP)
    city.login("city", demo.password)
    check_marks_table(city, f"/assessments/submissions/{sub.pk}/audit/", len(cs.ids))
