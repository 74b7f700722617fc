"""Each demo role logs in through the form and sees its own menu, units and staff, and nothing else.

Expectations are written from the demo region (org/demo.py): 椒江 (331002) and
黄岩 (331003) are sibling counties; 海门中心所 (331002S01) and 洪家所 (331002S02)
are sibling offices in 椒江; 东山村第1网格 and 东山村第2网格 are sibling grids.
Menu entries are compared by their link targets, which do not depend on the
language.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

HOME, UNITS, STAFF = "/", "/org/units/", "/org/staff/"
ACCOUNTS, ROLES, AUDIT = "/accounts/users/", "/accounts/roles/", "/audit/"

HUANGYAN = "331003"
HUANGYAN_OFFICE = "331003S01"  # 城区中心所
JIAOJIANG = "331002"
HAIMEN = "331002S01"  # 海门中心所
HONGJIA = "331002S02"  # 洪家所
GRID = "331002007201G1"
SIBLING_GRID = "331002007201G2"


GATED = [UNITS, STAFF, ACCOUNTS, ROLES, AUDIT]


def gated_menu(tour) -> list[str]:
    """The menu entries that depend on the role (entries every account has are left out)."""
    paths = tour.nav_paths()
    assert paths[0] == HOME
    return [path for path in paths if path in GATED]


def log_in(tour, demo, username):
    tour.login(username, demo.password)
    assert tour.path() == HOME, f"{username} did not land on the home page: {tour.path()}"
    assert demo.accounts[username].full_name in tour.page.locator("main h1").inner_text()


def tree_names(tour) -> list[str]:
    return tour.page.get_by_test_id("unit-tree").locator("li > a").all_inner_texts()


def expand(tour, name: str) -> None:
    """Click the caret in front of `name` and wait for the htmx answer to be swapped in."""
    item = tour.page.get_by_test_id("unit-tree").locator("li", has=tour.page.locator(f"> a:text-is('{name}')"))
    with tour.page.expect_response(lambda r: "/children/" in r.url) as answer:
        item.locator("> button").click()
    assert answer.value.request.headers.get("hx-request") == "true"
    item.locator("> .children li").first.wait_for()


def shows_404(tour, path: str) -> None:
    tour.goto(path, status=404)
    assert tour.page.get_by_test_id("error-404").is_visible()
    tour.shot("404", full_page=False)


def test_city_admin(tour, demo, docs_shot):
    log_in(tour, demo, "city")
    assert gated_menu(tour) == [UNITS, STAFF]
    offices = tour.column("office-standards", 0)
    assert len(offices) == 20  # every office of the four counties
    # 路桥中心所 is short-staffed in the demo: its row counts failed standards.
    row = tour.page.get_by_test_id("office-standards").locator("tr", has_text="路桥中心所")
    assert row.locator(".std-fail").count() == 1
    tour.shot("home", also=docs_shot("home-city"))

    tour.click_and_load(tour.page.get_by_role("link", name="路桥中心所"))
    card = tour.page.get_by_test_id("standards-card")
    assert card.locator("tr.std-fail").count() >= 1
    assert card.locator("tr.std-pass").count() >= 1
    tour.shot("office", also=docs_shot("office-unit"))

    # The whole city is his: another county's office opens.
    tour.goto(demo.unit_path(HUANGYAN_OFFICE))
    assert "城区中心所" in tour.page.locator("main h1").inner_text()
    tour.goto(UNITS)
    assert tree_names(tour) == ["台州市自然资源和规划局"]
    tour.shot("tree")


def test_county_reviewer_sees_only_his_county(tour, demo):
    log_in(tour, demo, "county")
    assert gated_menu(tour) == [UNITS, STAFF]
    huangyan = demo.unit_names_under(HUANGYAN)
    jiaojiang = demo.unit_names_under(JIAOJIANG)

    tour.goto(UNITS)
    assert tree_names(tour) == ["椒江分局"]
    expand(tour, "椒江分局")
    names = tree_names(tour)
    assert {"海门中心所", "洪家所", "章安街道"} <= set(names)
    assert not set(names) & huangyan
    tour.shot("tree")

    tour.goto(STAFF)
    units = tour.column("staff-table", 1)
    assert units and set(units) <= jiaojiang
    # Searching for a 黄岩 office finds nobody, where the city administrator would.
    search = tour.page.locator("#id_q")
    search.fill("城区")
    with tour.page.expect_response(lambda r: r.url.startswith(tour.url(STAFF))):
        search.press("Enter")
    table = tour.page.get_by_test_id("staff-table")
    table.locator("td[colspan]").wait_for()  # the "no staff" row
    assert table.locator("tbody tr").count() == 1
    tour.shot("staff-search-huangyan")

    shows_404(tour, demo.unit_path(HUANGYAN_OFFICE))


def test_other_county_reviewer_is_fenced_the_other_way(tour, demo):
    log_in(tour, demo, "county2")
    tour.goto(UNITS)
    assert tree_names(tour) == ["黄岩分局"]
    tour.goto(demo.unit_path(HUANGYAN_OFFICE))
    shows_404(tour, demo.unit_path(HAIMEN))


def test_office_head_edits_his_office(tour, demo):
    log_in(tour, demo, "head")
    assert gated_menu(tour) == [UNITS, STAFF]
    tour.goto(UNITS)
    assert tree_names(tour) == ["海门中心所"]
    tour.click_and_load(tour.page.get_by_test_id("unit-tree").get_by_role("link", name="海门中心所"))
    assert tour.page.get_by_test_id("standards-card").is_visible()
    assert set(tour.column("staff-table", 1)) == {"海门中心所"}
    tour.shot("office")

    tour.click_and_load(tour.page.get_by_test_id("unit-edit"))
    assert tour.path() == demo.unit_path(HAIMEN) + "edit/"
    assert tour.page.locator("form #id_floor_area").is_visible()
    tour.shot("edit")

    shows_404(tour, demo.unit_path(HONGJIA))
    shows_404(tour, demo.unit_path(HUANGYAN_OFFICE))


def test_office_staff_reads_but_cannot_edit(tour, demo):
    log_in(tour, demo, "staff")
    tour.goto(demo.unit_path(HAIMEN))
    assert tour.page.get_by_test_id("standards-card").is_visible()
    assert tour.page.get_by_test_id("unit-edit").count() == 0
    tour.shot("office")
    shows_404(tour, demo.unit_path(HAIMEN) + "edit/")
    shows_404(tour, demo.unit_path(HUANGYAN_OFFICE))


def test_window_staff_sees_his_service_centre(tour, demo):
    log_in(tour, demo, "window")
    assert gated_menu(tour) == [UNITS, STAFF]
    tour.goto(UNITS)
    assert tree_names(tour) == ["章安街道民生服务中心"]
    tour.goto(STAFF)
    assert set(tour.column("staff-table", 1)) == {"章安街道民生服务中心"}
    tour.shot("staff")
    shows_404(tour, demo.unit_path(HAIMEN))


def test_grid_worker_sees_only_his_grid(tour, demo):
    log_in(tour, demo, "grid")
    assert gated_menu(tour) == [UNITS, STAFF]
    tour.goto(UNITS)
    assert tree_names(tour) == ["东山村第1网格"]
    tour.shot("tree")
    tour.goto(STAFF)
    assert tour.column("staff-table", 1) == ["东山村第1网格"]
    shows_404(tour, demo.unit_path(SIBLING_GRID))
    shows_404(tour, demo.unit_path(HUANGYAN_OFFICE))


def test_system_admin_manages_accounts_not_units(tour, demo):
    log_in(tour, demo, "sysadmin")
    assert gated_menu(tour) == [ACCOUNTS]
    tour.click_and_load(tour.page.get_by_test_id("nav").locator(f"a[href='{ACCOUNTS}']"))
    listed = set(tour.page.locator("main table tbody tr td:first-child").all_inner_texts())
    assert set(demo.accounts) <= listed
    tour.shot("accounts")
    shows_404(tour, demo.unit_path(HUANGYAN_OFFICE))


def test_security_admin_assigns_roles(tour, demo):
    log_in(tour, demo, "secadmin")
    assert gated_menu(tour) == [ROLES]
    tour.click_and_load(tour.page.get_by_test_id("nav").locator(f"a[href='{ROLES}']"))
    assert tour.page.locator("main table tbody tr").count() == len(demo.accounts)
    assert tour.page.locator("form #id_role").is_visible()
    tour.shot("roles")
    # Accounts belong to the system administrator (三员分立): a 403, not the page.
    tour.goto(ACCOUNTS, status=403)
    assert tour.page.get_by_test_id("error-403").is_visible()
    shows_404(tour, demo.unit_path(HUANGYAN_OFFICE))


def test_audit_admin_reads_the_earlier_logins(open_tour, demo):
    before = open_tour("others")
    log_in(before, demo, "city")
    before.logout()
    before.login("county", "wrong-password")
    log_in(before, demo, "county")
    before.logout()

    tour = open_tour("auditor")
    log_in(tour, demo, "auditor")
    assert gated_menu(tour) == [AUDIT]
    tour.click_and_load(tour.page.get_by_test_id("nav").locator(f"a[href='{AUDIT}']"))
    tour.page.locator("#f-type").select_option("auth.login")
    tour.click_and_load(tour.page.locator("main form button[type=submit]"))
    assert "event_type=auth.login" in tour.path()
    actors = tour.column("audit-table", 4)
    # Newest first: the auditor himself, then county, then city.
    assert actors == ["auditor", "county", "city"]
    assert set(tour.column("audit-table", 5)) == {"127.0.0.1"}
    tour.shot("logins")

    tour.page.locator("#f-type").select_option("auth.login_failed")
    tour.click_and_load(tour.page.locator("main form button[type=submit]"))
    assert tour.column("audit-table", 4) == ["county"]
    tour.shot("failed-logins")
    shows_404(tour, demo.unit_path(HUANGYAN_OFFICE))
