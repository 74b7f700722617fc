"""好差评 in the browser: the applicant rates 不满意 from the case's link on a 390-px phone, a rectification
appears on the centre head's to-do, the call-back is recorded and the rectification is closed.
"""

from __future__ import annotations

from datetime import date

import pytest

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


def _delivered_case(demo):
    from factories import PASSWORD, make_user
    from jiceng.core.workdays import calendar
    from jiceng.ratings import services
    from jiceng.staffing.services import local_today
    from ratings.cases import authorise, finish, make_item, received

    centre = demo.unit("331002007C")
    people = {"window": make_user("e2e_clerk", "window_staff", centre, full_name="章安 窗口 许丽"),
              "back": make_user("e2e_back", "back_office_reviewer", centre),
              "chief": make_user("e2e_chief", "chief_representative", centre),
              "head": make_user("e2e_head", "centre_head", centre, full_name="章安 中心主任 袁海涛")}
    authorise(centre, people["chief"], people["head"])
    item = make_item(centre, people["head"], code="331002007C-E2E-1")
    # Received on 2 November 2026, so that its statutory clock ends within the loaded 2026 schedule.
    day = min(date(2026, 11, 2), local_today())
    assert calendar().is_workday(day)
    case = finish(received(centre, people, item, day=day), people, day=day)
    _, token = services.issue_invite(actor=people["window"], case=case, channel="onsite")
    return case, token, PASSWORD


def test_a_poor_rating_is_called_back_and_closed(open_tour, demo):
    from jiceng.ratings.models import Rectification

    case, token, password = _delivered_case(demo)

    applicant = open_tour("applicant", viewport=PHONE, mobile=True)
    applicant.goto(f"/rate/{token}/")
    page = applicant.page
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    for key in ("overall", "efficiency", "skill", "attitude"):
        page.locator(f"input[name={key}][value='2']").check()
    page.locator("#comment").fill("窗口排队时间太长")
    applicant.shot("form")
    applicant.click_and_load(page.get_by_test_id("submit"))
    assert "不满意" in page.get_by_test_id("rated").inner_text()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    applicant.shot("thanks")
    # The same link a second time: refused.
    applicant.goto(f"/rate/{token}/")
    assert page.get_by_test_id("refused").is_visible()

    row = Rectification.objects.get(rating__case=case)
    head = open_tour("head")
    head.login("e2e_head", password)
    head.goto("/inbox/")
    item = head.page.locator("[data-kind='ratings.rectification']")
    assert case.number in item.inner_text()
    head.shot("todo")
    head.click_and_load(item.get_by_role("button").first)
    assert head.path() == f"/ratings/rectifications/{row.pk}/"
    form = head.page.locator("form[data-step=call_back]")
    form.locator("textarea").fill("已电话回访申请人，致歉并说明增开窗口安排")
    head.click_and_load(form.locator("button[type=submit]"))
    assert "已回访" in head.page.get_by_test_id("state").inner_text()
    head.shot("called-back")
    form = head.page.locator("form[data-step=fix]")
    form.locator("textarea").fill("高峰时段增开B岗窗口，设置取号提示")
    head.click_and_load(form.locator("button[type=submit]"))
    assert "已整改" in head.page.get_by_test_id("state").inner_text()
    head.shot("closed")
    row.refresh_from_db()
    assert row.state == "fixed" and row.called_back_at is not None and row.closed_at is not None
