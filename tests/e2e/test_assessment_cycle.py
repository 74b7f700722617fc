"""One office's assessment from first draft to published result, driven through the pages by each person in turn.

The office head fills every item and the declaration form, attaches a photo
and submits; the county returns it with a reason; the office reads the
reason, fixes the item and resubmits; the county scores and forwards with its
opinion; the city audits and publishes; the office sees 达标 and downloads its
declaration PDF. Screenshots of every step go to var/screenshots/cycle-*.png.
"""

from __future__ import annotations

import io
import struct
import zlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.e2e

OFFICE = "331002S01"  # 海门中心所, the demo account "head"'s office, reviewed by 椒江分局 ("county")
PHOTO_ITEM = "2.2"  # 统一标识: the item a photo of the office's sign stands for
FIXED_ITEM = "3.7"
RETURN_REASON = "3.7项台帐未说明汛期地质灾害巡查记录，请补充说明后重新上报。"
FIX_COMMENT = "已补充2021年汛期地质灾害巡查记录12份，台帐按月更新。"
FIX_REASON = "按分局意见补充3.7项巡查台帐说明。"
OPINION = "经考评，该所达到规范化建设要求，同意上报。"
AUDIT_OPINION = "复核无异议。"
SITUATION = "所内人员配备到位，办公用房人均面积达标，统一悬挂市局形象标识，各项制度上墙，台帐按月更新。"


def png_bytes() -> bytes:
    """A real 8x8 PNG (a green square), small enough to type out, valid enough for the content sniffer."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x19\x87\x54" * 8 for _ in range(8))
    header = struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


class Shots:
    """Numbered screenshots of the whole cycle, across the people taking part: cycle-01-…, cycle-02-…"""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, tour, step: str) -> None:
        self.count += 1
        tour.page.screenshot(path=str(tour.shots_dir / f"cycle-{self.count:02d}-{step}.png"), full_page=True)


def small_campaign(demo):
    """A campaign over the head's office alone, every unit audited, built through the service like the city's."""
    from factories import open_deadlines
    from jiceng.accounts.models import User
    from jiceng.assessments import services

    return services.campaign_create(
        actor=User.objects.get(username="city"),
        organiser=demo.unit("331000"),
        name="2021年度海门中心所规范化建设考核",
        scheme_id="taizhou-office-2021",
        units=[demo.unit(OFFICE)],
        audit_mode="all",
        period_start=date(2021, 5, 10),
        period_end=date(2022, 4, 30),
        **open_deadlines(),  # deadlines are enforced against today's date
        seed=20210510,
    )


def fill_scores_to_max(form) -> int:
    """Type each item's maximum (the input's own max attribute) into its score box; returns how many."""
    boxes = form.locator("input[name^=score_]")
    count = boxes.count()
    for i in range(count):
        box = boxes.nth(i)
        box.fill(box.get_attribute("max"))
    return count


def flash(tour) -> str:
    return " ".join(tour.page.locator("main .alert, .alert[role=alert]").all_inner_texts())


def test_one_office_goes_through_the_whole_cycle(open_tour, demo, settings, tmp_path):
    from jiceng.assessments import schemes
    from jiceng.assessments.models import Evidence, Level, Status

    settings.MEDIA_ROOT = tmp_path / "media"  # the live server runs in this process: evidence lands here
    campaign = small_campaign(demo)
    sub = campaign.submissions.get()
    cs = schemes.campaign_scheme(campaign)
    maxima = {item_id: Decimal(cs.items[i].points) for i, item_id in enumerate(cs.ids)}
    shot = Shots()
    self_url = f"/assessments/submissions/{sub.pk}/self/"
    detail_url = f"/assessments/submissions/{sub.pk}/"

    # --- the office fills and submits, with a photo --------------------------------------------------
    office = open_tour("office")
    office.login("head", demo.password)
    office.goto(f"/assessments/{campaign.pk}/")
    office.click_and_load(office.page.get_by_test_id("submissions").get_by_role("link", name="海门中心所"))
    assert office.path() == detail_url
    office.click_and_load(office.page.locator(f"nav a[href='{self_url}']"))
    assert office.path() == self_url
    form = office.page.get_by_test_id("self-form")
    assert office.page.get_by_test_id("missing").is_visible()  # nothing filled in yet
    shot(office, "office-empty-form")

    assert fill_scores_to_max(form) == len(cs.ids)
    form.locator("[name=decl_name]").fill("海门中心所")
    form.locator("[name=decl_staff_count]").fill("6")
    form.locator("[name=decl_head]").fill("张志宏")
    form.locator("[name=decl_phone]").fill("0576-88000000")
    form.locator("[name=decl_address]").fill("台州市椒江区海门街道中山路1号")
    form.locator("[name=decl_situation]").fill(SITUATION)
    form.locator(f"[name='file_{PHOTO_ITEM}']").set_input_files(
        files=[{"name": "所牌照片.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    shot(office, "office-filled")
    office.click_and_load(form.locator("button[name=submit]"))
    assert office.path() == detail_url, flash(office)
    sub.refresh_from_db()
    assert sub.status == Status.SUBMITTED
    photo = Evidence.objects.get(submission=sub)
    assert (photo.item_id, photo.original_name) == (PHOTO_ITEM, "所牌照片.png")
    assert photo.file.read() == png_bytes()
    # The photo is listed against its item on the submission's own page.
    row = office.page.get_by_test_id("marks").locator(f"tr[id='item-{PHOTO_ITEM}']")
    assert "所牌照片.png" in row.inner_text()
    shot(office, "office-submitted")

    # --- the county returns it with a reason ---------------------------------------------------------
    county = open_tour("county")
    county.login("county", demo.password)
    county.goto(f"/assessments/{campaign.pk}/queue/review/")
    queue = county.page.get_by_test_id("queue")
    assert queue.locator("tbody tr").count() == 1 and "海门中心所" in queue.inner_text()
    shot(county, "county-queue")
    county.click_and_load(queue.get_by_role("link"))
    review = county.page.get_by_test_id("review-form")
    review.locator("[name=return_reason]").fill(RETURN_REASON)
    shot(county, "county-returning")
    county.click_and_load(review.locator("button[name=action][value=return]"))
    sub.refresh_from_db()
    assert sub.status == Status.RETURNED, flash(county)
    assert sub.return_reason == RETURN_REASON
    shot(county, "county-returned")

    # --- the office reads the reason, fixes the item and resubmits -------------------------------------
    office = open_tour("office-again")
    office.login("head", demo.password)
    office.goto(detail_url)
    assert RETURN_REASON in office.page.get_by_test_id("return-reason").inner_text()
    shot(office, "office-sees-return")
    office.goto(self_url)
    assert RETURN_REASON in office.page.get_by_test_id("return-reason").inner_text()
    form = office.page.get_by_test_id("self-form")
    # What was entered before the return is still there.
    assert Decimal(form.locator(f"[name='score_{FIXED_ITEM}']").input_value()) == maxima[FIXED_ITEM]
    form.locator(f"[name='comment_{FIXED_ITEM}']").fill(FIX_COMMENT)
    form.locator("[name=reason]").fill(FIX_REASON)
    shot(office, "office-fixing")
    office.click_and_load(form.locator("button[name=submit]"))
    assert office.path() == detail_url, flash(office)
    sub.refresh_from_db()
    assert sub.status == Status.SUBMITTED
    assert sub.marks.get(level=Level.SELF, item_id=FIXED_ITEM).comment == FIX_COMMENT
    shot(office, "office-resubmitted")

    # --- the county scores every item and forwards with its opinion -----------------------------------
    county = open_tour("county-again")
    county.login("county", demo.password)
    county.goto(f"/assessments/submissions/{sub.pk}/review/")
    review = county.page.get_by_test_id("review-form")
    assert FIX_COMMENT in county.page.get_by_test_id("marks").inner_text()
    assert fill_scores_to_max(review) == len(cs.ids)
    review.locator("[name=opinion]").fill(OPINION)
    review.locator("[name=opinion_date]").fill("2021-10-12")
    shot(county, "county-forwarding")
    county.click_and_load(review.locator("button[name=action][value=forward]"))
    sub.refresh_from_db()
    assert sub.status == Status.REVIEWED, flash(county)
    assert (sub.county_opinion, sub.opinion_date) == (OPINION, date(2021, 10, 12))
    assert sub.needs_audit  # audit mode "every unit"
    shot(county, "county-forwarded")

    # --- the city audits and publishes -------------------------------------------------------------------
    city = open_tour("city")
    city.login("city", demo.password)
    city.goto(f"/assessments/{campaign.pk}/queue/audit/")
    queue = city.page.get_by_test_id("queue")
    assert "海门中心所" in queue.inner_text()
    shot(city, "city-audit-queue")
    city.click_and_load(queue.get_by_role("link"))
    audit_form = city.page.get_by_test_id("audit-form")
    assert OPINION in city.page.locator("main").inner_text()
    audit_form.locator("[name=opinion]").fill(AUDIT_OPINION)
    shot(city, "city-auditing")
    city.click_and_load(audit_form.locator("button[name=action][value=close]"))
    sub.refresh_from_db()
    assert sub.status == Status.AUDITED, flash(city)
    shot(city, "city-audited")

    city.goto(f"/assessments/{campaign.pk}/")
    progress = city.page.get_by_test_id("progress")
    county_row = progress.locator("tbody tr", has_text="椒江分局")
    city.click_and_load(county_row.get_by_test_id("publish-county"))
    # The confirmation step lists what will be published; nothing is published before it is confirmed.
    assert "海门中心所" in city.page.locator("main").inner_text()
    sub.refresh_from_db()
    assert sub.status == Status.AUDITED
    city.click_and_load(city.page.get_by_test_id("publish-confirm").locator("button[type=submit]"))
    sub.refresh_from_db()
    assert sub.status == Status.PUBLISHED, flash(city)
    assert (sub.result.passed, sub.result.grade, sub.result.total) == (True, "达标", sum(maxima.values()))
    published_row = city.page.get_by_test_id("submissions").locator("tbody tr", has_text="海门中心所")
    assert "达标" in published_row.get_by_test_id("result").inner_text()
    shot(city, "city-published")

    # --- the office sees 达标 and downloads its declaration PDF ----------------------------------------
    office = open_tour("office-result")
    office.login("head", demo.password)
    office.goto(detail_url)
    assert office.page.get_by_test_id("result").inner_text() == "达标"
    result_text = office.page.get_by_test_id("final-result").inner_text()
    assert "达标" in result_text and str(int(sum(maxima.values()))) in result_text
    assert AUDIT_OPINION in office.page.locator("main").inner_text()
    shot(office, "office-sees-result")

    # The submission header links the declaration; `download` on the link lets the
    # browser save it instead of navigating to (and aborting) the PDF response.
    with office.page.expect_download() as started:
        office.page.get_by_test_id("declaration-pdf").click()
    download = started.value
    assert download.failure() is None
    assert download.suggested_filename.endswith(".pdf") and "海门中心所" in download.suggested_filename
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    for expected in (
        "台州市自然资源和规划系统规范化基层所申报表",
        "海门中心所",
        OPINION,
        AUDIT_OPINION,
        "达标",
    ):
        assert expected in text, expected
    shot(office, "office-downloaded")
