"""Exports of the list pages: what the page shows, masked, traceable, audited, injection-safe."""

from __future__ import annotations

import datetime
import hashlib
import io
import zipfile

import pytest
from openpyxl import load_workbook
from tabular_helpers import english_messages  # noqa: F401

from factories import make_staff
from jiceng.core.models import AuditEvent, EventType


@pytest.fixture
def people(region):
    from jiceng.core import pii

    body = "33100219800101001"
    valid = body + pii.id_check_digit(body)
    return {
        "head": make_staff(
            region.office_a1,
            name="王所长",
            post="head",
            id_number=valid,
            phone="13812345678",
            birth_date=datetime.date(1980, 1, 1),
            post_start=datetime.date(2018, 3, 1),
        ),
        "plain": make_staff(region.office_a2, name="李职工", post="staff"),
        "other_county": make_staff(region.office_b1, name="乙县的人", post="head"),
    }


def download(response) -> bytes:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return b"".join(response.streaming_content)


def rows_of(ws):
    return [[cell.value for cell in row] for row in ws.iter_rows()]


def test_the_staff_export_is_the_filtered_list_masked_and_traceable(users, client_for, people):
    client = client_for(users["county_reviewer"])
    content = download(client.get("/org/staff/export/", {"post": "head"}))
    workbook = load_workbook(io.BytesIO(content))
    ws = workbook["人员"]
    rows = rows_of(ws)
    assert "county_reviewer" in rows[0][0]  # the exporter line
    assert rows[1][:5] == ["单位编码", "单位名称", "姓名", "性别", "身份证号"]
    names = [row[2] for row in rows[2:]]
    assert "王所长" in names
    assert "李职工" not in names  # filtered out (post=staff)
    assert "乙县的人" not in names  # out of scope
    head = next(row for row in rows[2:] if row[2] == "王所长")
    assert head[4] == "331002********001" + people["head"].id_number[-1]
    assert head[12] == "138****5678"
    assert people["head"].id_number not in content.decode("latin-1")
    # Frozen header, widths, dates as dates, exporter in the document properties.
    assert ws.freeze_panes == "A3"
    assert ws.column_dimensions["B"].width == 20
    birth = ws.cell(row=2 + names.index("王所长") + 1, column=6)
    assert birth.is_date and birth.value == datetime.datetime(1980, 1, 1)
    assert workbook.properties.creator == "county_reviewer"
    # One export record, carrying the file's own hash.
    event = AuditEvent.objects.filter(event_type=EventType.EXPORT).get()
    assert event.actor_name == "county_reviewer"
    assert event.details["sha256"] == hashlib.sha256(content).hexdigest()
    assert event.details["filters"] == {"post": "head"}
    assert event.details["rows"] == len(names)


def test_formula_injection_cells_are_stored_as_text(users, client_for, region):
    for name in ("=1+2", "+SUM(A1)", "-3+3", "@cmd"):
        make_staff(region.office_a1, name=name)
    content = download(client_for(users["county_reviewer"]).get("/org/staff/export/"))
    ws = load_workbook(io.BytesIO(content))["人员"]
    cells = {cell.value: cell for cell in ws["C"][2:]}
    for name in ("=1+2", "+SUM(A1)", "-3+3", "@cmd"):
        cell = cells[name]
        assert cell.data_type == "s", name
        assert cell.quotePrefix, name
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


def test_a_large_export_runs_in_the_background_and_is_downloaded_from_its_page(
    users, client_for, people, settings, tmp_path
):
    # More on background exports: tests/core/test_export_jobs.py.
    settings.EXPORT_STREAM_THRESHOLD = 1
    settings.DATA_DIR = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = client_for(users["city_admin"])
    response = client.get("/org/staff/export/")
    assert response.status_code == 302 and response["Location"].startswith("/exports/")
    download_url = response["Location"] + "download/"
    assert download_url in client.get(response["Location"]).content.decode()
    content = download(client.get(download_url))
    assert len(rows_of(load_workbook(io.BytesIO(content))["人员"])) == 2 + 7  # the fixture's four people plus three
    event = AuditEvent.objects.filter(event_type=EventType.EXPORT).get()
    assert event.details["background"] is True
    assert event.details["sha256"] == hashlib.sha256(content).hexdigest()


def test_a_small_export_is_recorded_as_served_at_once(users, client_for, people):
    download(client_for(users["county_reviewer"]).get("/org/staff/export/"))
    assert AuditEvent.objects.filter(event_type=EventType.EXPORT).get().details["background"] is False


def test_the_unit_export_lists_the_visible_tree(users, client_for, region):
    content = download(client_for(users["county_reviewer"]).get("/org/units/export/"))
    rows = rows_of(load_workbook(io.BytesIO(content))["单位"])
    codes = [row[0] for row in rows[2:]]
    assert codes == ["CA", "CA1", "CA2", "CAT", "CATV", "CATVG"]
    by_code = {row[0]: row for row in rows[2:]}
    assert by_code["CA"][3] is None  # the city above is not the reviewer's to see
    assert by_code["CATV"][3] == "CAT"
    assert rows[1][-1] == "在岗人数"
    assert by_code["CA1"][-1] == 1
    assert AuditEvent.objects.filter(event_type=EventType.EXPORT, details__kind="units").exists()


def test_the_audit_export_follows_the_list_filters(users, client_for, people):
    client = client_for(users["audit_admin"])
    content = download(client.get("/audit/export/", {"event_type": "record.create"}))
    ws = load_workbook(io.BytesIO(content))["审计记录"]
    rows = rows_of(ws)
    assert rows[1][:3] == ["序号", "时间", "事件"]
    assert len(rows) - 2 == AuditEvent.objects.filter(event_type="record.create").count()
    assert isinstance(rows[2][1], datetime.datetime)
    # Personal data reached the trail masked, so the export is masked too.
    assert people["head"].id_number not in content.decode("latin-1")


def test_the_audit_export_needs_the_audit_capability(users, client_for, region):
    response = client_for(users["county_reviewer"]).get("/audit/export/")
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(event_type=EventType.EXPORT).exists()


def test_the_list_pages_link_to_their_export(users, client_for, region):
    client = client_for(users["county_reviewer"])
    page = client.get("/org/staff/", {"post": "head"}).content.decode()
    assert "/org/staff/export/?post=head" in page
    assert "/org/units/export/" in client.get("/org/units/").content.decode()
    assert "/audit/export/" in client_for(users["audit_admin"]).get("/audit/").content.decode()


def test_the_staff_export_makes_the_same_queries_for_3_or_30_people(users, client_for, region):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(users["county_reviewer"])

    def queries_for_export() -> int:
        with CaptureQueriesContext(connection) as captured:
            download(client.get("/org/staff/export/"))
        return len(captured.captured_queries)

    queries_for_export()  # the first request of a session writes its idle stamp (at most once a minute)
    few = queries_for_export()
    for index in range(27):
        make_staff(region.office_a2 if index % 2 else region.office_a1, establishment_unit=region.office_a1)
    assert queries_for_export() == few
