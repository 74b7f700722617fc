"""core.lists, the list helper, on the staff list and the unit register: filter, sort, pages, export, scope."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from factories import make_staff
from querycount import assert_flat, grow_offices


def _page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.context["list"]


def _names(listing_page, column="name"):
    index = [h.key for h in listing_page.headers].index(column)
    return [cells[index][0] for _obj, cells in listing_page.rows]


def _workbook_rows(response, sheet):
    assert response.status_code == 200, response.status_code
    content = b"".join(response.streaming_content)
    ws = load_workbook(io.BytesIO(content))[sheet]
    return [[cell.value for cell in row] for row in ws.iter_rows()]


@pytest.fixture
def people(region):
    return [
        make_staff(region.office_a1, name="测甲", post="head", education="postgraduate"),
        make_staff(region.office_a1, name="测丙", post="staff", education="bachelor"),
        make_staff(region.office_a2, name="测乙", post="staff", education="junior_college"),
        make_staff(region.office_b1, name="测外", post="head"),
    ]


def test_the_staff_list_filters_and_never_shows_an_out_of_scope_row(users, client_for, people):
    client = client_for(users["county_reviewer"])
    page = _page(client, reverse("org:staff_list"), q="测")
    assert set(_names(page)) == {"测甲", "测丙", "测乙"}
    assert "测外" not in client.get(reverse("org:staff_list")).content.decode()
    page = _page(client, reverse("org:staff_list"), post="head", q="测")
    assert _names(page) == ["测甲"]
    assert page.filters == {"post": "head", "q": "测"}


def test_an_invalid_filter_is_named_and_ignored_and_the_rest_still_filters(users, client_for, people):
    client = client_for(users["county_reviewer"])
    response = client.get(reverse("org:staff_list"), {"post": "no-such-post", "education": "postgraduate", "q": "测"})
    assert response.status_code == 200
    page = response.context["list"]
    assert _names(page) == ["测甲"]
    assert len(page.messages) == 1 and "no-such-post" in page.messages[0]
    assert page.messages[0] in response.content.decode()


@pytest.mark.parametrize("param, expected", [("name", ["测丙", "测乙", "测甲"]), ("-name", ["测甲", "测乙", "测丙"])])
def test_the_staff_list_sorts_on_a_declared_column_both_ways(users, client_for, people, param, expected):
    client = client_for(users["county_reviewer"])
    page = _page(client, reverse("org:staff_list"), sort=param, q="测")
    # The database's order of these names (code points): 丙 < 乙 < 甲.
    assert _names(page) == expected
    header = next(h for h in page.headers if h.key == "name")
    assert header.active and header.descending == param.startswith("-")


@pytest.mark.parametrize("bad", ["salary", "-salary", "phone", "id_number", "unit__path"])
def test_an_unknown_or_unsortable_key_is_ignored_with_a_message_never_a_500(users, client_for, people, bad):
    client = client_for(users["county_reviewer"])
    default = _names(_page(client, reverse("org:staff_list")))
    response = client.get(reverse("org:staff_list"), {"sort": bad})
    assert response.status_code == 200
    page = response.context["list"]
    assert _names(page) == default
    assert any(bad in message for message in page.messages)
    assert not page.sort.key


def test_pages_cover_every_row_once(users, client_for, region, settings):
    for i in range(30):
        make_staff(region.office_a1, name=f"人{i:02d}")
    client = client_for(users["county_reviewer"])
    seen = []
    first = _page(client, reverse("org:staff_list"), sort="name")
    assert first.page.paginator.num_pages == 2
    for number in (1, 2):
        seen += _names(_page(client, reverse("org:staff_list"), sort="name", page=number))
    assert len(seen) == first.page.paginator.count == len(set(seen)) > 30
    assert set(seen) >= {f"人{i:02d}" for i in range(30)}
    assert seen == sorted(seen)
    # A page number past the end or not a number gives the nearest page, not an error.
    assert _page(client, reverse("org:staff_list"), page=99).page.number == 2
    assert _page(client, reverse("org:staff_list"), page="x").page.number == 1
    # The page links keep the sort and the filters.
    assert "sort=name" in first.querystring


def test_the_staff_export_has_the_pages_columns_and_its_filtered_rows_in_its_order(users, client_for, people):
    client = client_for(users["county_reviewer"])
    params = {"education": "bachelor", "sort": "-name", "q": "测"}
    make_staff(people[0].unit, name="测丁", education="bachelor")
    page = _page(client, reverse("org:staff_list"), **params)
    link = escape(f"/org/staff/export/?{page.export_querystring}")
    assert link in client.get(reverse("org:staff_list"), params).content.decode()
    rows = _workbook_rows(client.get(f"/org/staff/export/?{page.export_querystring}"), "人员")
    assert rows[1] == [h.label for h in page.headers]
    shown = [[value for value, _link in cells] for _obj, cells in page.rows]
    assert [row for row in rows[2:]] == [[_as_cell(v) for v in row] for row in shown]
    assert [row[2] for row in rows[2:]] == ["测丙", "测丁"]  # descending code points: 丙 > 丁


def _as_cell(value):
    """A page value as openpyxl reads it back: blanks as None, dates as datetimes."""
    import datetime

    if value in ("", None):
        return None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return datetime.datetime.combine(value, datetime.time())
    return value


def test_the_unit_register_filters_sorts_and_exports_what_it_shows(users, client_for, region):
    client = client_for(users["county_reviewer"])
    url = reverse("org:unit_tree")
    page = _page(client, url, view="list")
    codes = _names(page, "code")
    assert codes == ["CA", "CA1", "CA2", "CAT", "CATV", "CATVG"]  # county A's subtree, in tree order
    assert region.office_b1.code not in codes and region.city.code not in codes
    page = _page(client, url, view="list", kind="office", sort="-code")
    assert _names(page, "code") == ["CA2", "CA1"]
    # Sort and page links stay on the register.
    assert all("view=list" in h.querystring for h in page.headers)
    rows = _workbook_rows(client.get(f"/org/units/export/?{page.export_querystring}"), "单位")
    assert rows[1] == [h.label for h in page.headers]
    assert [row[0] for row in rows[2:]] == ["CA2", "CA1"]
    shown = [[_as_cell(value) for value, _link in cells] for _obj, cells in page.rows]
    assert rows[2:] == shown


def test_the_unit_register_refuses_an_unknown_sort_with_a_message(users, client_for, region):
    client = client_for(users["county_reviewer"])
    response = client.get(reverse("org:unit_tree"), {"view": "list", "sort": "secret"})
    assert response.status_code == 200
    assert response.context["list"].messages and "secret" in response.content.decode()


def test_the_export_job_rebuilds_the_sorted_filtered_list_from_its_stored_filters(users, people):
    from jiceng.core.tabular.exporting import build_export

    spec = build_export("staff", users["county_reviewer"], {"post": "staff", "sort": "-name", "q": "测"})
    assert [s.name for s in spec.queryset] == ["测乙", "测丙"]
    # An out-of-scope user gets none of them; an unknown sort stored in a job is ignored, not an error.
    assert not build_export("staff", users["other_county_head"], {"post": "staff"}).queryset.filter(
        unit=people[0].unit).exists()
    assert build_export("staff", users["county_reviewer"], {"sort": "nope", "q": "测"}).queryset.count() == 3


@pytest.mark.parametrize("params", [{}, {"sort": "name"}, {"sort": "-unit", "post": "head"}])
def test_the_staff_list_costs_the_same_queries_with_more_offices(users, client_for, region, params):
    client = client_for(users["county_reviewer"])
    assert_flat(lambda: client.get(reverse("org:staff_list"), params), lambda k: grow_offices(region.county_a, k),
                label=f"staff list {params}")


@pytest.mark.parametrize("params", [{"view": "list"}, {"view": "list", "sort": "staff_count"}])
def test_the_unit_register_costs_the_same_queries_with_more_offices(users, client_for, region, params):
    client = client_for(users["county_reviewer"])
    assert_flat(lambda: client.get(reverse("org:unit_tree"), params), lambda k: grow_offices(region.county_a, k),
                label=f"unit register {params}")
