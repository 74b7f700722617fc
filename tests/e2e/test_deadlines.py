"""A missed self-evaluation deadline in the browser: the office sees why it cannot submit, the city extends
the deadline (延期) from the submission page, the office reads it in its inbox and submits.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.e2e

OFFICE = "331002S01"  # 海门中心所, the demo account "head"'s office
REASON = "所长参加省厅集中培训，经研究同意延期三天。"


def late_draft(demo):
    """A campaign over the head's office whose self-evaluation deadline was yesterday; the draft is complete."""
    from jiceng.accounts.models import User
    from jiceng.assessments import schemes, services
    from jiceng.assessments.deadlines import local_today

    today = local_today()
    campaign = services.campaign_create(
        actor=User.objects.get(username="city"), organiser=demo.unit("331000"), name="延期演示考核",
        scheme_id="taizhou-office-2021", units=[demo.unit(OFFICE)], audit_mode="all", seed=1,
        period_start=date(2021, 5, 10), period_end=date(2022, 4, 30), self_deadline=today - timedelta(days=1),
        review_deadline=today + timedelta(days=10), audit_deadline=today + timedelta(days=20),
    )
    cs = schemes.campaign_scheme(campaign)
    sub = campaign.submissions.get()
    return services.submission_save_draft(
        actor=None, submission=sub, expected_version=sub.version,
        items={item_id: {"score": cs.items[i].points} for i, item_id in enumerate(cs.ids)},
        declaration={"decl_phone": "0576-88000000", "decl_address": "台州市椒江区海门街道中山路1号",
                     "decl_situation": "制度上墙，台帐齐全。", "decl_head": "张志宏"},
    ), today


def test_a_late_office_gets_an_extension_from_the_city_and_submits(open_tour, demo):
    from jiceng.assessments.models import Status

    sub, today = late_draft(demo)
    self_url = f"/assessments/submissions/{sub.pk}/self/"
    yesterday, new_date = today - timedelta(days=1), today + timedelta(days=3)

    office = open_tour("office")
    office.login("head", demo.password)
    office.goto(self_url)
    assert f"{yesterday:%Y-%m-%d}" in office.page.get_by_test_id("deadline").inner_text()
    submit = office.page.get_by_test_id("self-form").locator("button[name=submit]")
    assert submit.is_disabled()
    assert f"{yesterday:%Y-%m-%d}" in office.page.get_by_test_id("submit-closed").inner_text()
    assert office.page.get_by_test_id("overdue").is_visible()
    office.shot("closed")

    city = open_tour("city")
    city.login("city", demo.password)
    city.goto(f"/assessments/submissions/{sub.pk}/")
    extend = city.page.get_by_test_id("extend")
    extend.locator("summary").click()
    extend.locator("[name=extended_to]").fill(f"{new_date:%Y-%m-%d}")
    extend.locator("[name=reason]").fill(REASON)
    city.shot("extending")
    city.click_and_load(extend.locator("button[type=submit]"))
    sub.refresh_from_db()
    assert sub.self_deadline_extended_to == new_date
    assert REASON in city.page.get_by_test_id("submission-deadline").inner_text()
    city.shot("extended")

    office = open_tour("office-again")
    office.login("head", demo.password)
    office.goto("/inbox/")
    assert REASON in office.page.locator("main").inner_text()
    office.goto(self_url)
    assert f"{new_date:%Y-%m-%d}" in office.page.get_by_test_id("deadline").inner_text()
    assert office.page.get_by_test_id("overdue").count() == 0
    submit = office.page.get_by_test_id("self-form").locator("button[name=submit]")
    assert submit.is_enabled()
    office.click_and_load(submit)
    sub.refresh_from_db()
    assert sub.status == Status.SUBMITTED
    office.shot("submitted")
