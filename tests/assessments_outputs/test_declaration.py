"""The declaration form (申报表, seed 000 附件2) as .docx and PDF, read back with python-docx and pypdf."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from jiceng.assessments.outputs import declaration
from jiceng.core.models import AuditEvent, EventType

from .conftest import fresh, submit

SEED_TITLE = "台州市自然资源和规划系统规范化基层所申报表"


def _docx(sub):
    return Document(io.BytesIO(declaration.declaration_docx(sub)))


def _cells(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_docx_is_laid_out_like_annex_2_with_the_office_data(county_a_published, region):
    sub = county_a_published["a1"]
    doc = _docx(sub)
    assert [p.text for p in doc.paragraphs[:2]] == ["附件2", SEED_TITLE]
    assert len(doc.tables) == 1
    rows = _cells(doc.tables[0])
    assert len(rows) == 6 and all(len(r) == 4 for r in rows)
    assert rows[0] == ["基层所名称", region.office_a1.name, "人数", str(sub.decl_staff_count)]
    assert rows[0][3] == "1"  # the region gives CA1 one active staff member, filled in from the org data
    assert rows[1][0] == "负责人姓名" and rows[1][1] == sub.decl_head and rows[1][1]
    assert rows[1][2:] == ["电话", "0576-88888888"]
    assert rows[2][0].replace(" ", "") == "地址" and rows[2][1] == "台州市椒江区测试路1号"
    assert rows[3][0] == "\n".join("规范化建设主要情况")
    assert rows[3][1].startswith("已完成办公场所改造")


def test_the_opinion_boxes_carry_the_stamp_mark_and_the_dates(county_a_published):
    rows = _cells(_docx(county_a_published["a1"]).tables[0])
    county_label, county_box = rows[4][0], rows[4][1]
    city_label, city_box = rows[5][0], rows[5][1]
    assert county_label == "县（市、区）自然资源和规划局考评意见"
    assert county_box.splitlines() == ["经考评，同意上报。", "（盖章）", "2021年10月10日"]
    assert city_label == "市自然资源和规划局审核意见"
    lines = city_box.splitlines()
    assert lines[0] == "抽查复核无异议。"
    assert lines[1].startswith("审核结果：总分99.5分，达标")
    assert lines[-2] == "（盖章）" and lines[-1].endswith("日") and "年" in lines[-1]


def test_before_review_the_boxes_are_blank_date_lines_and_the_form_says_draft(campaign, region):
    sub = campaign.submissions.get(unit=region.office_b1)
    doc = _docx(sub)
    assert "（草稿，未上报）" in [p.text for p in doc.paragraphs]
    rows = _cells(doc.tables[0])
    assert rows[4][1].splitlines() == ["", "（盖章）", "年      月     日"]
    assert rows[5][1].splitlines() == ["", "（盖章）", "年      月     日"]


def test_a_mobile_number_is_masked_and_a_landline_is_not(campaign, region, people):
    sub = submit(campaign, region.office_b1, people["other_county_head"], declaration={"decl_phone": "13812345678"})
    assert _cells(_docx(sub).tables[0])[1][3] == "138****5678"
    assert declaration.contact_phone("0576-88888888") == "0576-88888888"


@pytest.fixture
def pdf_of_a1(county_a_published):
    return PdfReader(io.BytesIO(declaration.declaration_pdf(fresh(county_a_published["a1"]))))


def test_the_pdf_text_has_the_chinese_form(pdf_of_a1, region):
    text = "".join(page.extract_text() for page in pdf_of_a1.pages)
    assert len(pdf_of_a1.pages) == 1
    # Narrow label cells wrap their text: compare without the line breaks.
    compact = re.sub(r"\s", "", text)
    for expected in (SEED_TITLE, "基层所名称", region.office_a1.name, "负责人姓名", "0576-88888888", "（盖章）",
                     "2021年10月10日", "县（市、区）自然资源和规划局考评意见", "市自然资源和规划局审核意见",
                     "规范化建设主要情况", "已完成办公场所改造", "审核结果：总分99.5分，达标"):
        assert expected in compact, expected
    assert compact.count("（盖章）") == 2


def test_the_pdf_embeds_the_noto_sans_sc_font_subsets(pdf_of_a1):
    embedded, named = [], []
    for page in pdf_of_a1.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            named.append(str(font["/BaseFont"]))
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"].get_object()
            if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                embedded.append(str(font["/BaseFont"]))
    assert named and sorted(embedded) == sorted(named), "every font of the PDF is embedded"
    assert all("Noto-Sans-SC" in name for name in named), named
    # A subset: the six-letter tag WeasyPrint gives embedded subsets.
    assert all(name[7] == "+" for name in named), named


def test_the_office_downloads_its_declaration_and_the_download_is_recorded(county_a_published, people, client_for):
    sub = county_a_published["a1"]
    client = client_for(people["office_head"])
    response = client.get(reverse("assessment_outputs:declaration_docx", args=[sub.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "attachment" in response["Content-Disposition"]
    assert Document(io.BytesIO(response.content)).tables[0].rows[0].cells[1].text == sub.decl_name
    event = AuditEvent.objects.filter(event_type=EventType.EXPORT).latest("seq")
    assert event.details["kind"] == "assessment.declaration" and event.actor_name == "office_head"
    pdf = client.get(reverse("assessment_outputs:declaration_pdf", args=[sub.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


def test_an_office_of_another_county_gets_404_for_the_declaration(county_a_published, people, client_for):
    client = client_for(people["other_county_head"])
    for name in ("declaration_docx", "declaration_pdf", "evidence_zip"):
        url = reverse(f"assessment_outputs:{name}", args=[county_a_published["a1"].pk])
        assert client.get(url).status_code == 404
    assert AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED, actor_name="other_county_head").count() == 3


def test_the_submission_pages_link_to_the_documents(county_a_published, people, client_for):
    sub = county_a_published["a1"]
    html = client_for(people["office_head"]).get(reverse("assessments:submission_detail", args=[sub.pk])).content
    for name in ("declaration_pdf", "declaration_docx", "evidence_zip"):
        assert reverse(f"assessment_outputs:{name}", args=[sub.pk]).encode() in html, name
