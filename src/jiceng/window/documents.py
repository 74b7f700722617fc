"""The printable documents of a case: the one-time correction notice (补正告知书) and the decision (决定书).

Each as .docx (python-docx) and PDF (WeasyPrint, through the assessments' font-embedding renderer).
The decision's PDF carries the unit's approval seal (行政审批专用章), drawn as SVG from the unit's name.
"""

from __future__ import annotations

import io
from html import escape

from django.template.loader import render_to_string
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from jiceng.assessments.outputs.pdf import html_to_pdf

from .models import Outcome

BASIS_NOTICE = "《中华人民共和国行政许可法》第三十二条第一款第（四）项"


def seal_svg(unit_name: str) -> str:
    """A round red seal: the unit's name on the upper arc, a star, and 行政审批专用章 below."""
    name = escape(unit_name)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" width="4.2cm" height="4.2cm">'
        '<defs><path id="arc" d="M 30,100 A 70,70 0 1,1 170,100"/></defs>'
        '<circle cx="100" cy="100" r="92" fill="none" stroke="#d40000" stroke-width="6"/>'
        f'<text fill="#d40000" font-size="19" font-family="Noto Sans SC"><textPath href="#arc" startOffset="50%" '
        f'text-anchor="middle">{name}</textPath></text>'
        '<polygon fill="#d40000" points="100,62 109,89 138,89 115,106 123,134 100,117 77,134 85,106 62,89 91,89"/>'
        '<text x="100" y="162" fill="#d40000" font-size="17" text-anchor="middle" font-family="Noto Sans SC">'
        '行政审批专用章</text></svg>'
    )


def _doc(title: str):
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(12)
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(title)
    run.bold = True
    run.font.size = Pt(18)
    return doc


def _bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def notice_context(notice) -> dict:
    case = notice.case
    return {"notice": notice, "case": case, "unit": case.unit, "item": case.item_version,
            "basis": BASIS_NOTICE, "title": "补正材料一次性告知书"}


def notice_docx(notice) -> bytes:
    c = notice_context(notice)
    doc = _doc(c["title"])
    doc.add_paragraph(f"编号：{notice.number}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(f"{c['case'].applicant_name}：")
    doc.add_paragraph(
        f"你（单位）于{c['case'].received_on:%Y年%m月%d日}提出的“{c['item'].name}”申请（办件编号 {c['case'].number}），"
        f"经审查，申请材料不齐全或者不符合法定形式。根据{BASIS_NOTICE}的规定，现一次性告知需要补正的全部内容如下：")
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("序号", "材料名称", "需补正内容"), strict=True):
        cell.text = text
    for n, line in enumerate(notice.items, start=1):
        row = table.add_row().cells
        row[0].text, row[1].text, row[2].text = str(n), line["material"], line["problem"]
    doc.add_paragraph("请补齐上述材料后到原窗口提交。补正期间不计入办理时限。")
    doc.add_paragraph(f"{c['unit'].name}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(f"{notice.given_on:%Y年%m月%d日}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return _bytes(doc)


def notice_pdf(notice) -> bytes:
    return html_to_pdf(render_to_string("window/notice_pdf.html", notice_context(notice)))


def decision_context(case) -> dict:
    granted = case.outcome == Outcome.GRANTED
    return {"case": case, "unit": case.unit, "item": case.item_version, "granted": granted,
            "title": "准予行政许可决定书" if granted else "不予行政许可决定书", "seal": seal_svg(case.unit.name)}


def decision_docx(case) -> bytes:
    c = decision_context(case)
    doc = _doc(c["title"])
    doc.add_paragraph(f"编号：{case.number}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(f"{case.applicant_name}：")
    doc.add_paragraph(f"你（单位）于{case.received_on:%Y年%m月%d日}提出的“{c['item'].name}”申请，本机关于"
                      f"{case.accepted_on:%Y年%m月%d日}受理。经审查，决定如下：")
    doc.add_paragraph(case.decision_text)
    doc.add_paragraph(f"依据：{c['item'].legal_basis}")
    if not c["granted"]:
        doc.add_paragraph("如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。")
    doc.add_paragraph(f"{case.unit.name}（行政审批专用章）").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    seal = doc.paragraphs[-1].runs[0]
    seal.font.color.rgb = RGBColor(0xD4, 0, 0)
    doc.add_paragraph(f"{case.decided_at:%Y年%m月%d日}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return _bytes(doc)


def decision_pdf(case) -> bytes:
    return html_to_pdf(render_to_string("window/decision_pdf.html", decision_context(case)))
