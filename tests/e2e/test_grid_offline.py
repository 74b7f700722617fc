"""A grid worker on a 390-px phone logs a visit with no signal; back online it arrives once; the community
director signs the week and the township's grid administrator grades the quarter. Screenshots in var/screenshots/.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .browser import PHONE

pytestmark = pytest.mark.e2e


def _offline_noise(problem: str) -> bool:
    return problem.startswith(("request failed:", "console error: Failed to load resource"))


def test_visit_offline_then_sign_off_then_quarter_grade(open_tour, demo):
    from jiceng.core import demo as demo_registry
    from jiceng.grid.models import Grade, GridWorker, LogEntry, Signoff
    from jiceng.grid.rules import quarter_of

    demo_registry.build(["grid"])
    worker = GridWorker.objects.get(user__username="grid")
    before = LogEntry.objects.filter(worker=worker).count()

    phone = open_tour("worker", viewport=PHONE, mobile=True)
    page, context = phone.page, phone.context
    try:
        phone.login("grid", demo.password)
        phone.goto("/grid/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        phone.shot("worker-home")
        phone.goto("/grid/log/")
        status = page.get_by_test_id("queue-status")
        offline_from = len(phone.watcher.problems)
        context.set_offline(True)
        form = page.locator("#log-form")
        form.locator("[name=kind]").select_option("visit")
        form.locator("[name=resident]").select_option(index=1)
        form.locator("[name=found]").fill("离线走访：老人身体良好")
        form.locator("button[type=submit]").click()
        expect(status).to_have_attribute("data-waiting", "1")
        phone.shot("offline-waiting")
        assert LogEntry.objects.filter(worker=worker).count() == before

        context.set_offline(False)
        expect(status).to_have_attribute("data-waiting", "0", timeout=30_000)
        page.evaluate("window.JicengOffline.flush()")
        page.wait_for_timeout(1000)
        offline_to = len(phone.watcher.problems)
        phone.shot("sent")
    finally:
        context.set_offline(False)
    window = phone.watcher.problems[offline_from:offline_to]
    phone.watcher.problems[offline_from:offline_to] = [p for p in window if not _offline_noise(p)]
    entries = LogEntry.objects.filter(worker=worker, found="离线走访：老人身体良好")
    assert entries.count() == 1 and entries.get().client_id is not None

    director = open_tour("director", viewport=PHONE, mobile=True)
    director.login("director", demo.password)
    director.goto(f"/grid/workers/{worker.pk}/log/")
    assert "离线走访" in director.page.content()
    director.click_and_load(director.page.get_by_test_id("sign-week"))
    expect(director.page.get_by_test_id("signed")).to_be_visible()
    assert director.page.evaluate("document.documentElement.scrollWidth") <= 390
    director.shot("week-signed")
    assert Signoff.objects.filter(worker=worker, kind="week", start__lte=entries.get().day,
                                  end__gte=entries.get().day).exists()

    township = type(worker.unit).objects.get_ancestors(worker.unit).get(kind="township")
    admin = open_tour("township", viewport=PHONE, mobile=True)
    admin.login("gridadmin", demo.password)
    admin.goto(f"/grid/townships/{township.pk}/grade/")
    admin.click_and_load(admin.page.get_by_test_id("grade"))
    expect(admin.page.get_by_test_id("grades")).to_be_visible()
    admin.shot("quarter-graded")
    period = quarter_of(entries.get().day)
    assert Grade.objects.filter(kind="quarter", period=period, worker=worker).exists()
