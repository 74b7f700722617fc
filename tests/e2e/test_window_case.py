"""A window case at 390 px: intake with a material missing → the one-time notice printed → the applicant
returns → accepted → reviewed by the back office → decided by the chief representative → delivered.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from .browser import PHONE

pytestmark = pytest.mark.e2e

CENTRE = "331002007C"  # 章安街道民生服务中心, where the demo account "window" works
FIXTURE_2027 = Path(__file__).parents[1] / "calendar" / "fixtures" / "schedule-2027.yaml"


def _setup(demo):
    from jiceng.accounts import services as accounts
    from jiceng.calendar import parse_yaml
    from jiceng.core.workdays import schedule_load
    from jiceng.window import catalogue
    from jiceng.window.models import Authorisation

    # Limits counted in December 2026 reach into 2027 (a test schedule, not the real notice).
    schedule_load(schedule=parse_yaml(FIXTURE_2027.read_text(encoding="utf-8")), operator="e2e")
    centre = demo.unit(CENTRE)
    people = {}
    for username, role in (("w_head", "centre_head"), ("w_back", "back_office_reviewer"),
                           ("w_chief", "chief_representative")):
        user = accounts.user_create(actor=None, username=username, full_name=username, password=demo.password,
                                    must_change_password=False)
        accounts.membership_grant(actor=None, user=user, unit=centre, role=role)
        people[username] = user
    Authorisation.objects.create(unit=centre, user=people["w_chief"], department="自然资源所", document="章政发〔2026〕3号",
                                 powers=["decide", "seal"], valid_from=date(2026, 1, 1), recorded_by=people["w_head"])
    return catalogue.create_item(
        centre, actor=people["w_head"], code="E2E-ZJD-001", reason="e2e",
        elements={"name": "农村村民宅基地审批", "item_type": "licence", "department": "自然资源所",
                  "implementing_body": "章安街道办事处", "legal_basis": "《土地管理法》第六十二条",
                  "statutory_days": 20, "promised_days": 15},
        materials=[{"name": "申请人身份证", "original": True}, {"name": "户口簿"}, {"name": "宅基地申请表", "copies": 2}])


def _no_sideways_scroll(tour):
    assert tour.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), tour.path()


def _step(tour, testid):
    tour.click_and_load(tour.page.get_by_test_id(testid))


def test_a_case_from_intake_to_delivery_on_a_phone(open_tour, demo):
    from jiceng.window.models import Case

    window = open_tour("window", viewport=PHONE, mobile=True)
    window.login("window", demo.password)
    item = _setup(demo)
    window.goto(f"/window/intake/?item={item.pk}")
    form = window.page.get_by_test_id("intake-form")
    form.locator("[name=applicant_name]").fill("马志强")
    form.locator("[name=id_number]").fill("11010519491231002X")
    form.locator("[name=phone]").fill("13800138000")
    boxes = form.locator("input[name=materials]")
    boxes.nth(0).check()
    boxes.nth(1).check()  # the application form (宅基地申请表) is missing
    _no_sideways_scroll(window)
    window.shot("intake")
    _step(window, "intake-submit")
    case = Case.objects.get()
    assert window.path() == f"/window/cases/{case.pk}/"
    _no_sideways_scroll(window)
    window.shot("received")
    _step(window, "step-notice")
    assert window.page.get_by_test_id("case-state").inner_text() == "补正中"
    pdf = window.page.get_by_test_id("notice-pdf").get_attribute("href")
    response = window.page.request.get(window.url(pdf))
    assert response.status == 200 and response.body()[:4] == b"%PDF"
    window.shot("noticed")
    _step(window, "step-return")
    _step(window, "step-accept")
    assert window.page.get_by_test_id("case-state").inner_text() == "已受理"
    assert "受理" in window.page.get_by_test_id("deadline").inner_text()
    window.shot("accepted")

    back = open_tour("back", viewport=PHONE, mobile=True)
    back.login("w_back", demo.password)
    back.goto(f"/window/cases/{case.pk}/")
    back.page.locator("#opinion").fill("材料齐全，符合条件")
    _step(back, "step-review")
    assert back.page.get_by_test_id("case-state").inner_text() == "已审查"
    back.shot("reviewed")

    chief = open_tour("chief", viewport=PHONE, mobile=True)
    chief.login("w_chief", demo.password)
    chief.goto(f"/window/cases/{case.pk}/")
    chief.page.locator("#text").fill("准予使用宅基地")
    _step(chief, "step-decide")
    assert chief.page.get_by_test_id("case-state").inner_text() == "已决定"
    _no_sideways_scroll(chief)
    chief.shot("decided")

    window = open_tour("window-again", viewport=PHONE, mobile=True)
    window.login("window", demo.password)
    window.goto(f"/window/cases/{case.pk}/")
    _step(window, "step-deliver")
    assert window.page.get_by_test_id("case-state").inner_text() == "已送达"
    window.shot("delivered")
    assert Case.objects.get().state == "delivered"

    public = open_tour("public", viewport=PHONE, mobile=True)
    public.goto("/guide/?q=宅基地")
    assert "农村村民宅基地审批" in public.page.get_by_test_id("guide-items").inner_text()
    _no_sideways_scroll(public)
    public.goto(f"/guide/{item.code}/")
    assert "宅基地申请表" in public.page.get_by_test_id("guide-materials").inner_text()
    _no_sideways_scroll(public)
    public.shot("guide")
