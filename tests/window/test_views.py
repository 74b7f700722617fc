"""The staff pages: intake, the steps, the printed notice and decision, figures and their export."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from jiceng.window.models import Case, State

from .conftest import ID_NUMBER
from .test_lifecycle import authorise

pytestmark = pytest.mark.django_db
FIXTURE_2027 = Path(__file__).parents[1] / "calendar" / "fixtures" / "schedule-2027.yaml"


@pytest.fixture(autouse=True)
def schedule_2027(db):
    """The pages run on today's date (December 2026): limits reach into 2027, whose schedule must be loaded."""
    from jiceng.calendar import parse_yaml
    from jiceng.core.workdays import schedule_load

    schedule_load(schedule=parse_yaml(FIXTURE_2027.read_text(encoding="utf-8")), operator="test")


def _pdf_text(content: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def test_the_whole_path_through_the_pages(client_for, centre, people, item):
    authorise(people, centre)
    c = client_for(people["window"])
    mats = list(item.current.materials.values_list("pk", flat=True))
    page = c.get("/window/intake/", {"item": item.pk})
    assert page.status_code == 200 and "宅基地申请表" in page.content.decode()
    bad = c.post("/window/intake/", {"item": item.pk, "applicant_kind": "person", "applicant_name": "马志强",
                                     "id_number": ID_NUMBER[:-1] + "1", "materials": mats[:2]})
    assert bad.status_code == 200 and "校验码" in bad.content.decode() and not Case.objects.exists()
    r = c.post("/window/intake/", {"item": item.pk, "applicant_kind": "person", "applicant_name": "马志强",
                                   "id_number": ID_NUMBER, "phone": "13800138000", "channel": "window",
                                   "materials": mats[:2]})
    case = Case.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/window/cases/{case.pk}/"
    detail = c.get(f"/window/cases/{case.pk}/").content.decode()
    assert ID_NUMBER not in detail and "138****8000" in detail and 'data-testid="step-notice"' in detail
    listing = c.get("/window/").content.decode()
    assert case.number in listing and ID_NUMBER not in listing
    c.post(f"/window/cases/{case.pk}/step/notice/", {"version": case.version, f"missing_{mats[2]}": "on",
                                                      f"problem_{mats[2]}": "未提交"})
    case.refresh_from_db()
    assert case.state == State.CORRECTING
    notice = case.notices.get()
    docx = Document(io.BytesIO(c.get(f"/window/notices/{notice.pk}.docx").content))
    assert "宅基地申请表" in "".join(cell.text for row in docx.tables[0].rows for cell in row.cells)
    assert "宅基地申请表" in _pdf_text(c.get(f"/window/notices/{notice.pk}.pdf").content)
    c.post(f"/window/cases/{case.pk}/step/return/", {"version": case.version})
    case.refresh_from_db()
    r = c.post(f"/window/cases/{case.pk}/step/accept/", {"version": case.version}, follow=True)
    case.refresh_from_db()
    assert case.state == State.ACCEPTED, [m.message for m in r.context["messages"]]
    client_for(people["back"]).post(f"/window/cases/{case.pk}/step/review/", {"version": case.version,
                                                                               "opinion": "符合条件"})
    case.refresh_from_db()
    chief = client_for(people["chief"])
    chief.post(f"/window/cases/{case.pk}/step/decide/", {"version": case.version, "outcome": "granted",
                                                          "text": "准予使用宅基地"})
    case.refresh_from_db()
    assert case.state == State.DECIDED
    text = _pdf_text(chief.get(f"/window/cases/{case.pk}/decision.pdf").content)
    assert "准予行政许可决定书" in text and "准予使用宅基地" in text
    c = client_for(people["window"])
    c.post(f"/window/cases/{case.pk}/step/deliver/", {"version": case.version})
    case.refresh_from_db()
    assert case.state == State.DELIVERED


def test_a_stale_step_is_refused_with_a_message(client_for, centre, people, item):
    c = client_for(people["window"])
    c.post("/window/intake/", {"item": item.pk, "applicant_kind": "person", "applicant_name": "马志强",
                               "id_number": ID_NUMBER})
    case = Case.objects.get()
    r = c.post(f"/window/cases/{case.pk}/step/accept/", {"version": case.version + 5}, follow=True)
    assert Case.objects.get().state == State.RECEIVED and "未保存" in r.content.decode()


def test_figures_page_and_export(client_for, centre, people, item):
    c = client_for(people["window"])
    c.post("/window/intake/", {"item": item.pk, "applicant_kind": "person", "applicant_name": "马志强",
                               "id_number": ID_NUMBER})
    head = client_for(people["head"])
    case = Case.objects.get()
    day = case.received_on.isoformat()
    page = head.get("/window/figures/", {"from": day, "to": day})
    assert page.status_code == 200 and 'data-figure="received">1<' in page.content.decode()
    wb = load_workbook(io.BytesIO(head.get("/window/figures/", {"from": day, "to": day, "format": "xlsx"}).content))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[2][0] == "甲镇便民服务中心" and rows[2][1] == 1
    listed = head.get("/window/", {"figure": "received", "from": day, "to": day}).content.decode()
    assert case.number in listed


def test_the_menu_and_the_inbox_of_the_window_roles(client_for, centre, people, item, users):
    case = None
    c = client_for(people["window"])
    c.post("/window/intake/", {"item": item.pk, "applicant_kind": "person", "applicant_name": "马志强",
                               "id_number": ID_NUMBER})
    case = Case.objects.get()
    home = c.get("/")
    assert ("服务窗口", "/window/") in [(str(i["label"]), i["url"]) for i in home.context["nav_items"]]
    from jiceng.window.inbox import items_for

    lines = items_for(people["window"])
    assert [line.url for line in lines] == [f"/window/cases/{case.pk}/"]
    assert items_for(people["back"]) == [] and items_for(users["office_staff"]) == []
    menu = client_for(users["office_staff"]).get("/").context["nav_items"]
    assert "/window/" not in [i["url"] for i in menu]
