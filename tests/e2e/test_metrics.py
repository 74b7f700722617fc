"""The indicators dashboard in a browser, on a phone: ECharts (served by the project) draws under the CSP,
the page fits 390 px, and a figure opens the records behind it."""

from __future__ import annotations

import pytest

from .browser import PHONE

pytestmark = pytest.mark.e2e


def test_the_county_dashboard_draws_its_charts_on_a_phone(open_tour, demo):
    from jiceng.metrics import compute

    compute.compute_all()
    tour = open_tour(viewport=PHONE, mobile=True)
    tour.login("county", demo.password)
    tour.goto("/metrics/unit/331002/?indicator=org.educated_share")
    for chart in ("chart-target", "chart-trend", "chart-ranking"):
        tour.page.locator(f"[data-testid={chart}][data-drawn='1'] canvas").first.wait_for()
    assert tour.page.evaluate("typeof window.echarts === 'object'")
    assert any("echarts.min.js" in url for url in tour.watcher.requests)
    county = demo.unit("331002")
    children = county.get_children().count()
    assert children > 1
    assert tour.page.get_by_test_id("ranking-table").locator("tbody tr").count() == children
    # Nothing sticks out sideways (the ranking table scrolls in its own box).
    assert tour.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    tour.shot("metrics-dashboard")
    tour.click_and_load(tour.page.get_by_test_id("numerator-link"))
    assert tour.path().startswith("/metrics/records/")
    assert tour.page.get_by_test_id("records-table").locator("tbody tr").count() > 0
    assert not tour.watcher.problems, tour.watcher.problems
