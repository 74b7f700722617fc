"""The first page an anonymous visitor sees: the Chinese log-in page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_anonymous_visitor_lands_on_the_login_page(open_tour, docs_shot):
    # A browser set to English on purpose: the platform is Chinese-first
    # whatever the browser asks for (English only through the footer switch).
    tour = open_tour(locale="en-US")
    response = tour.page.goto(tour.url("/"))
    tour.settle()
    assert response is not None and response.ok
    assert tour.path() == "/accounts/login/?next=/"
    assert tour.page.locator("html").get_attribute("lang") == "zh-hans"
    form = tour.page.get_by_test_id("login-form")
    assert form.locator("input[name=username]").is_visible()
    assert form.locator("input[name=password][type=password]").is_visible()
    assert form.locator("input[name=csrfmiddlewaretoken]").count() == 1
    assert "登录" in tour.page.locator("main h1").inner_text()
    # The menu is not shown to someone who has not logged in.
    assert tour.page.get_by_test_id("nav").count() == 0
    tour.shot("login", also=docs_shot("login"))


def test_login_page_speaks_chinese(tour):
    tour.goto("/accounts/login/")
    heading = tour.page.locator("main h1").inner_text()
    button = tour.page.get_by_test_id("login-form").locator("button[type=submit]").inner_text()
    assert "登录" in heading, heading
    assert button.strip() == "登录"
    assert "用户名" in tour.page.locator("label[for=id_username]").inner_text()
    # The Chinese is drawn with the self-hosted Noto Sans SC (the machine has no CJK font of its own).
    loaded = tour.page.evaluate(
        "() => [...document.fonts].filter(f => f.family.replace(/[\"']/g, '') === 'Noto Sans SC'"
        " && f.status === 'loaded').length"
    )
    assert loaded >= 1
    assert tour.page.evaluate("document.fonts.check('16px \"Noto Sans SC\"', '登录')")
    tour.shot("login-zh")


def test_wrong_password_is_refused_with_a_message(tour, demo):
    tour.login("city", "not-the-password")
    assert tour.path().startswith("/accounts/login/")
    assert tour.page.get_by_test_id("login-form").locator(".alert-danger").is_visible()
    assert tour.page.get_by_test_id("nav").count() == 0
    tour.shot("refused")
