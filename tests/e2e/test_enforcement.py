"""The enforcement path on a 390-px phone: clue → stop order → case filed → notice → decision → published on
time → closed, each step through the case page; screenshots of every step in var/screenshots/."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from .browser import PHONE

pytestmark = pytest.mark.e2e


def _no_sideways_scroll(tour):
    assert tour.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), tour.path()


def _step(tour, name, **fields):
    form = tour.page.get_by_test_id(f"step-{name}")
    for field, value in fields.items():
        target = form.locator(f"[name={field}]")
        if target.evaluate("e => e.tagName") == "SELECT":
            target.select_option(value)
        else:
            target.fill(value)
    tour.click_and_load(form.locator("button[type=submit]"))
    _no_sideways_scroll(tour)
    tour.shot(name)


def _draft(tour, kind):
    tour.click_and_load(tour.page.get_by_test_id(f"draft-{kind}"))


def test_clue_to_closed_case_on_a_phone(open_tour, demo):
    from tests.enforcement.builders import certify

    from jiceng.accounts.models import User
    from jiceng.enforcement.models import Case, CaseState

    certify(User.objects.get(username="head"), demo.unit("331002S01"))
    # The 90-day decision clock of a case filed in December runs into 2027: its holiday schedule must be loaded
    # (without it the filing is refused, naming the year).
    from pathlib import Path

    from jiceng.calendar import parse_yaml
    from jiceng.core import workdays

    fixture = Path(__file__).parents[1] / "calendar" / "fixtures" / "schedule-2027.yaml"
    workdays.schedule_load(schedule=parse_yaml(fixture.read_text(encoding="utf-8")), operator="测试")
    tour = open_tour(viewport=PHONE, mobile=True)
    # Drawing up a document renders its PDF (WeasyPrint) in the request: slower than a plain page on a shared machine.
    tour.page.set_default_timeout(60_000)
    tour.page.set_default_navigation_timeout(60_000)
    tour.login("head", demo.password)
    tour.goto("/enforcement/clues/new/")
    _no_sideways_scroll(tour)
    form = tour.page.get_by_test_id("clue-form")
    form.locator("[name=unit]").select_option(str(demo.unit("331002S01").pk))
    form.locator("[name=source]").select_option("patrol")
    form.locator("[name=description]").fill("东山村农田内新建砖混房屋一处")
    form.locator("[name=place]").fill("东山村3组")
    form.locator("[name=location]").fill('{"type": "Point", "coordinates": [121.44, 28.69]}')
    tour.shot("clue-form")
    tour.click_and_load(form.locator("button[type=submit]"))
    assert "/enforcement/clues/" in tour.path()
    tour.shot("clue")
    opener = tour.page.get_by_test_id("case-open")
    opener.locator("[name=title]").fill("东山村农田违法建房")
    opener.locator("[name=party]").fill("张某海")
    tour.click_and_load(opener.locator("button[type=submit]"))
    assert "/enforcement/cases/" in tour.path()
    today = timezone.localdate()
    back = {n: (today - timedelta(days=n)).isoformat() for n in (20, 18, 15)}
    _step(tour, "check", checked_on=back[20], check_findings="占用耕地约300平方米建房，情况属实")
    _draft(tour, "stop_order")
    _step(tour, "stop_order")
    _draft(tour, "filing")
    _step(tour, "file", filed_on=back[20])
    _step(tour, "investigate", investigation_summary="未经批准擅自占用耕地建房")
    _draft(tour, "notice")
    _step(tour, "notify", notified_on=back[15])
    _draft(tour, "decision")
    _step(tour, "decide")
    assert tour.page.get_by_test_id("case-state").inner_text() == "已作出决定"
    _step(tour, "serve")
    tour.click_and_load(tour.page.get_by_test_id("publish"))
    assert "按时" in tour.page.get_by_test_id("publication").inner_text()
    tour.shot("published")
    _step(tour, "execute", execution="rectified")
    _draft(tour, "closing")
    _step(tour, "close", closing_summary="已拆除，建议结案")
    assert tour.page.get_by_test_id("case-state").inner_text() == "已办结"
    case = Case.objects.get()
    assert case.state == CaseState.CLOSED and case.documents.count() == 5 and case.publication_met
    tour.goto("/disclosure/")
    assert "张某" in tour.page.get_by_test_id("disclosures").inner_text()
    assert "张某海" not in tour.page.content()
    tour.shot("disclosure")
