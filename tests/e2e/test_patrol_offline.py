"""A patrol on a 390-px phone with no signal: the inspector agrees to the location, records a track and a
finding offline, the page shows what waits; back online the finding arrives once and is a clue, and the map
shows its point. Screenshots in var/screenshots/.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .browser import PHONE

pytestmark = pytest.mark.e2e

OFFICE = "331002S01"  # 海门中心所: the demo account "staff" records its patrols
A = {"latitude": 28.6801, "longitude": 121.4402}
B = {"latitude": 28.6815, "longitude": 121.4420}


def _patrol(demo):
    from django.utils import timezone

    from jiceng.accounts.models import User
    from jiceng.patrols import services

    return services.patrol_create(actor=User.objects.get(username="staff"), unit=demo.unit(OFFICE),
                                  patrol_date=timezone.localdate(), inspectors="李佳怡、张志宏", route="海门街道沿江")


def _offline_noise(problem: str) -> bool:
    # What Chromium reports while the test holds the browser offline: the queue's tries that could not go
    # out, and a font file of a glyph first needed offline. Only that window is forgiven.
    return problem.startswith(("request failed:", "console error: Failed to load resource"))


def test_a_patrol_recorded_offline_arrives_once_and_becomes_a_clue_on_the_map(open_tour, demo):
    from jiceng.enforcement.models import Clue
    from jiceng.patrols.models import Finding, TrackSegment

    patrol = _patrol(demo)
    phone = open_tour("phone", viewport=PHONE, mobile=True)
    context, page = phone.context, phone.page
    context.grant_permissions(["geolocation"], origin=phone.base_url)
    context.set_geolocation(A)
    try:
        phone.login("staff", demo.password)
        phone.goto(f"/patrols/{patrol.pk}/")
        status = page.get_by_test_id("offline-status")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.get_by_test_id("track-start").is_disabled()  # nothing is read before the inspector agrees
        phone.shot("patrol-page")

        offline_from = len(phone.watcher.problems)
        context.set_offline(True)
        page.get_by_test_id("track-consent").check()
        page.get_by_test_id("track-start").click()
        expect(page.get_by_test_id("track-state")).to_contain_text("1")
        context.set_geolocation(B)
        expect(page.get_by_test_id("track-state")).to_contain_text("2")
        page.get_by_test_id("track-end").click()
        expect(status).to_have_attribute("data-waiting", "1")

        form = page.get_by_test_id("finding-form")
        form.locator("[name=description]").fill("沿江村口有人在耕地上开挖地基")
        form.locator("[name=place]").fill("沿江村口")
        page.get_by_test_id("finding-here").click()
        expect(form.locator("[name=lat]")).not_to_have_value("")
        assert form.locator("[name=as_clue]").is_checked()
        page.get_by_test_id("finding-save").click()
        expect(status).to_have_attribute("data-waiting", "2")
        assert "2" in status.inner_text()
        phone.shot("offline-two-waiting")
        assert not Finding.objects.exists() and not TrackSegment.objects.exists()

        context.set_offline(False)  # the browser fires "online": the queue sends
        expect(status).to_have_attribute("data-waiting", "0", timeout=30_000)
        page.evaluate("window.JicengOffline.flush()")  # a second sending finds nothing left to send
        page.wait_for_timeout(1000)
        offline_to = len(phone.watcher.problems)  # the tries started offline end (aborted) as the network returns
        phone.shot("sent")
    finally:
        context.set_offline(False)
        context.clear_permissions()
    window = phone.watcher.problems[offline_from:offline_to]
    phone.watcher.problems[offline_from:offline_to] = [p for p in window if not _offline_noise(p)]

    finding = Finding.objects.get()
    assert finding.patrol_id == patrol.pk and finding.location["coordinates"] == [B["longitude"], B["latitude"]]
    clue = Clue.objects.get()
    assert clue.source == "patrol" and finding.clue_id == str(clue.pk)
    [segment] = TrackSegment.objects.all()
    assert segment.geometry["coordinates"] == [[A["longitude"], A["latitude"]], [B["longitude"], B["latitude"]]]

    phone.goto(f"/patrols/{patrol.pk}/")
    assert page.get_by_test_id("finding-clue").count() == 1

    phone.goto(f"/patrols/map/{demo.unit(OFFICE).pk}/")
    expect(page.get_by_test_id("map-count")).to_have_attribute("data-count", "2")  # the point and the track
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator(".leaflet-overlay-pane canvas").count() >= 1  # the markers and the track, drawn
    phone.shot("map")
