"""The interactive pages (the htmx tree and staff filter, on a phone too) and a CSP-clean tour of every page."""

from __future__ import annotations

import pytest

from .browser import PHONE

pytestmark = pytest.mark.e2e


def caret_of(tour, name: str):
    tree = tour.page.get_by_test_id("unit-tree")
    return tree.locator("li", has=tour.page.locator(f"> a:text-is('{name}')")).locator("> button")


def children_of(tour, name: str) -> list[str]:
    tree = tour.page.get_by_test_id("unit-tree")
    item = tree.locator("li", has=tour.page.locator(f"> a:text-is('{name}')"))
    return item.locator("> .children > ul > li > a").all_inner_texts()


def test_unit_tree_expands_with_htmx(tour, demo):
    tour.login("city", demo.password)
    tour.goto("/org/units/")
    # A mark on the window survives only if the page is not reloaded.
    tour.page.evaluate("window.__samePage = true")
    assert children_of(tour, "台州市自然资源和规划局") == []
    tour.shot("closed")

    caret_of(tour, "台州市自然资源和规划局").click()
    tour.page.get_by_test_id("unit-tree").get_by_role("link", name="黄岩分局").wait_for()
    assert children_of(tour, "台州市自然资源和规划局") == ["椒江分局", "黄岩分局", "路桥分局", "临海市自然资源和规划局"]

    with tour.page.expect_response(lambda r: "/children/" in r.url) as answer:
        caret_of(tour, "椒江分局").click()
    assert answer.value.request.headers.get("hx-request") == "true"
    assert "<html" not in answer.value.text()  # a fragment, not a page
    tour.page.get_by_test_id("unit-tree").get_by_role("link", name="海门中心所").wait_for()
    assert children_of(tour, "椒江分局")[:5] == ["海门中心所", "洪家所", "下陈所", "章安所", "前所所"]
    assert "章安街道" in children_of(tour, "椒江分局")
    assert children_of(tour, "黄岩分局") == []  # only the clicked branch opened
    assert tour.page.evaluate("window.__samePage") is True
    assert tour.path() == "/org/units/"
    assert caret_of(tour, "椒江分局").get_attribute("aria-expanded") == "true"
    tour.shot("open")

    # The same caret folds the branch away, without asking the server.
    requests = []
    tour.page.on("request", lambda r: requests.append(r.url) if "/children/" in r.url else None)
    caret_of(tour, "椒江分局").click()
    tour.page.wait_for_function(
        "() => !document.querySelector('[data-testid=unit-tree]').innerText.includes('海门中心所')"
    )
    assert children_of(tour, "椒江分局") == []
    assert caret_of(tour, "椒江分局").get_attribute("aria-expanded") == "false"
    assert requests == []
    assert "黄岩分局" in children_of(tour, "台州市自然资源和规划局")  # the parent stays open
    tour.shot("folded")


def test_staff_list_filters_on_a_phone(open_tour, demo):
    tour = open_tour(viewport=PHONE, mobile=True)
    tour.login("county", demo.password)
    tour.goto("/org/staff/")
    table = tour.page.get_by_test_id("staff-table")
    # The page shows the export's columns (core.lists): find the post column by its header.
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    post = next(i for i, h in enumerate(headers) if h.startswith("岗位"))
    unit = next(i for i, h in enumerate(headers) if h.startswith("单位名称"))
    posts_before = set(tour.column("staff-table", post))
    assert len(posts_before) > 1
    tour.shot("all")

    select = tour.page.locator("#id_post")
    label = select.locator("option[value=head]").inner_text()
    with tour.page.expect_response(lambda r: "post=head" in r.url) as answer:
        select.select_option("head")
    assert answer.value.request.headers.get("hx-request") == "true"
    table.locator("tbody tr").first.wait_for()
    tour.page.wait_for_function(
        "([label, n]) => [...document.querySelectorAll(`[data-testid=staff-table] tbody td:nth-child(${n})`)]"
        ".every(td => td.innerText.trim() === label)",
        arg=[label, post + 1],
    )
    units = tour.column("staff-table", unit)
    assert set(tour.column("staff-table", post)) == {label}
    # One head per office of 椒江 (five offices).
    assert sorted(units) == sorted(["海门中心所", "洪家所", "下陈所", "章安所", "前所所"])
    assert "post=head" in tour.path()  # hx-push-url: the filtered list can be bookmarked
    # Nothing sticks out sideways on a phone (wide tables scroll inside their own box).
    assert tour.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    tour.shot("heads")

    # The collapsed menu opens with the toggler (Bootstrap's script runs under the CSP).
    nav = tour.page.get_by_test_id("nav")
    assert not nav.is_visible()
    tour.page.locator(".navbar-toggler").click()
    tour.page.locator(".navbar-collapse.collapse.show").wait_for()  # the slide-down has finished
    assert nav.is_visible()
    tour.shot("menu")


# Pages a role can reach from its menu, plus the ones reached from those pages.
TOUR = {
    "city": ["/org/units/", "/org/staff/", "/org/staff/new/", "/accounts/password/"],
    "sysadmin": ["/accounts/users/", "/accounts/users/new/"],
    "secadmin": ["/accounts/roles/"],
    "auditor": ["/audit/"],
}


def test_csp_holds_on_every_page(open_tour, demo):
    """Every page of every kind of role: no CSP violation, no failed or foreign request, no script error.

    The fixture fails the test on any problem the watcher saw; here we also
    check that the watcher saw the page's assets load, so a tour that loaded
    nothing cannot pass.
    """
    for username, extra in TOUR.items():
        tour = open_tour(username)
        tour.login(username, demo.password)
        for path in dict.fromkeys(tour.nav_paths() + extra):
            tour.goto(path)
            tour.shot(path.strip("/").replace("/", "-") or "home", full_page=False)
        if username == "city":
            office = demo.unit_path("331002S01")
            tour.goto(office + "edit/")
            tour.shot("unit-edit", full_page=False)
            tour.goto(office)
            tour.click_and_load(tour.page.get_by_test_id("staff-table").locator("tbody a").first)
            assert tour.path().startswith("/org/staff/")
            tour.shot("staff-detail", full_page=False)
            tour.goto("/org/units/")
            tour.page.locator("[data-testid=unit-tree] li > button").first.click()
            tour.page.get_by_test_id("unit-tree").get_by_role("link", name="椒江分局").wait_for()
            tour.shot("tree", full_page=False)
            tour.goto("/org/units/999999/", status=404)
            tour.shot("404", full_page=False)
        if username == "secadmin":
            tour.goto("/audit/", status=403)
            tour.shot("403", full_page=False)
        assert tour.page.evaluate("typeof window.htmx === 'object' && typeof window.bootstrap === 'object'")
        loaded = tour.watcher.requests
        for asset in ("bootstrap.min.css", "bootstrap.bundle.min.js", "htmx.min.js", "site.js", "site.css"):
            assert any(asset in url for url in loaded), f"{asset} was never requested"
        assert any(url.endswith(".woff2") for url in loaded), "no web font was loaded"
        assert not tour.watcher.problems, tour.watcher.problems


def test_overdue_ledger_page_fits_a_phone(open_tour, demo):
    tour = open_tour(viewport=PHONE, mobile=True)
    tour.login("county", demo.password)
    tour.goto("/audit/ledgers/overdue/")
    assert tour.page.locator("h1").inner_text().strip() == "逾期台账"
    assert tour.page.get_by_test_id("export-link").is_visible()
    # Filters and the table stay inside the screen (a wide table scrolls in its own box).
    assert tour.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    tour.shot("overdue")
