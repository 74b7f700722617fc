"""The public catalogue and guides: no log-in, phone first, the PDF with its QR code."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from jiceng.window import catalogue

pytestmark = pytest.mark.django_db


def test_guide_index_search_by_name_and_tag(client, item, instant_item):
    page = client.get("/guide/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "农村村民宅基地审批" in text and "不动产登记资料查询" in text
    text = client.get("/guide/", {"q": "宅基地"}).content.decode()
    assert "农村村民宅基地审批" in text and "不动产登记资料查询" not in text
    text = client.get("/guide/", {"tag": "immediate"}).content.decode()
    assert "不动产登记资料查询" in text and "农村村民宅基地审批" not in text


def test_guide_detail_shows_elements_materials_and_current_version(client, item, people):
    catalogue.revise_item(item, actor=people["head"], reason="压缩承诺时限", elements={"promised_days": 10})
    page = client.get(f"/guide/{item.code}/")
    assert page.status_code == 200
    text = page.content.decode()
    for part in ("《土地管理法》第六十二条", "自然资源所", "甲镇人民政府", "宅基地申请表", "<svg", "0954-1234567"):
        assert part in text, part
    assert "<td>10</td>" in text  # the revised promise


def test_unknown_code_is_404(client, item):
    assert client.get("/guide/NO-SUCH-CODE/").status_code == 404
    assert client.get("/guide/NO-SUCH-CODE/pdf/").status_code == 404


def test_guide_pdf_reads_back_with_the_url(client, item):
    response = client.get(f"/guide/{item.code}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "农村村民宅基地审批" in text and f"/guide/{item.code}/" in text and "户口簿" in text
