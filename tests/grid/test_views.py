"""The pages: the worker's home, the log through the offline queue (sent twice, stored once), residents and
their audited export, the public notice and its poster."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from jiceng.core.models import AuditEvent, EventType
from jiceng.grid.models import LogEntry
from jiceng.grid.services import residents as rs

pytestmark = pytest.mark.django_db
KEY = "5e0c0d3a-8a8f-4c55-9f0e-2f3b1c9d7a10"


def test_home_lists_due_and_overdue(gw, client_for):
    text = client_for(gw.user_a).get(reverse("grid:home")).content.decode()
    assert "赵一" in text and "孙三" not in text  # another grid's resident is not listed


def test_queue_sends_twice_one_entry(gw, client_for):
    client = client_for(gw.user_a)
    data = {"grid": gw.grid_a.pk, "kind": "visit", "resident": gw.elderly.pk, "found": "身体好"}
    headers = {"HTTP_X_OFFLINE_KEY": KEY, "HTTP_X_OFFLINE_QUEUE": "1"}
    first = client.post(reverse("grid:log_entry"), data, **headers)
    again = client.post(reverse("grid:log_entry"), data, **headers)
    assert (first.status_code, again.status_code) == (201, 409)
    assert LogEntry.objects.filter(client_id=KEY).count() == 1
    refused = client.post(reverse("grid:log_entry"), {**data, "resident": gw.other_resident.pk},
                          HTTP_X_OFFLINE_KEY="5e0c0d3a-8a8f-4c55-9f0e-2f3b1c9d7a11", HTTP_X_OFFLINE_QUEUE="1")
    assert refused.status_code == 400 and LogEntry.objects.count() == 1


def test_resident_list_is_masked_and_detail_audited(gw, client_for):
    client = client_for(gw.user_a)
    text = client.get(reverse("grid:resident_list")).content.decode()
    assert "138****0001" in text and "13800000001" not in text
    assert gw.elderly.id_number not in text
    before = AuditEvent.objects.filter(event_type=rs.VIEW_EVENT).count()
    assert client.get(reverse("grid:resident_detail", args=[gw.elderly.pk])).status_code == 200
    assert AuditEvent.objects.filter(event_type=rs.VIEW_EVENT).count() == before + 1
    assert client_for(gw.user_b).get(reverse("grid:resident_detail", args=[gw.elderly.pk])).status_code == 404


def test_export_is_recorded_and_names_its_exporter(gw, client_for):
    gw.director.full_name = "周主任"
    gw.director.save()
    response = client_for(gw.director).get(reverse("grid:resident_export"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming
                                    else response.content))
    sheet = book.active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert "周主任" in str(rows[0][0])
    names = [r[3] for r in rows[2:]]
    assert sorted(names) == ["孙三", "赵一", "赵二", "钱三"]  # 刑满释放 (钱二) needs grid.sensitive
    assert "138****0001" in [r[5] for r in rows[2:]]
    event = AuditEvent.objects.filter(event_type=EventType.EXPORT).order_by("-seq").first()
    assert event.actor_id == gw.director.pk and event.details["rows"] == 4


def test_public_notice_and_poster(gw, client):
    from jiceng.grid.services import grids as gs

    square = {"type": "Polygon", "coordinates": [[[106.3, 38.1], [106.31, 38.1], [106.31, 38.11], [106.3, 38.11],
                                                  [106.3, 38.1]]]}
    gs.save_profile(actor=gw.admin, unit=gw.grid_a, area="rural", boundary=square, duties="巡查走访、代办服务")
    page = client.get(reverse("grid_public:notice", args=[gw.grid_a.code]))
    text = page.content.decode()
    assert page.status_code == 200 and "王网格" in text and "13900001111" in text and "<polygon" in text
    assert "赵一" not in text  # no resident data on a public page
    poster = client.get(reverse("grid_public:poster", args=[gw.grid_a.code]))
    assert poster["Content-Type"] == "application/pdf"
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(poster.content)).pages)
    assert "王网格" in pdf_text and "13900001111" in pdf_text
    assert client.get(reverse("grid_public:notice", args=["NOPE"])).status_code == 404


def test_sign_off_page_and_lock(gw, client_for):
    from datetime import date

    from jiceng.grid.services import work

    today = date.today()
    entry, _ = work.record_entry(actor=gw.user_a, unit=gw.grid_a, day=today, kind="patrol", found="正常")
    response = client_for(gw.director).post(reverse("grid:sign_off", args=[gw.worker_a.pk]),
                                            {"kind": "week", "day": today.isoformat()})
    assert response.status_code == 302
    page = client_for(gw.director).get(response["Location"]).content.decode()
    assert "已锁定" in page or "locked" in page
