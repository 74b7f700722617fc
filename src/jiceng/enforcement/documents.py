"""The case's documents in the usual official layout: docx (python-docx) and PDF (WeasyPrint), numbered per unit.

    case_document_generate(actor=..., case=case, kind=DocumentKind.DECISION)

The text of each document is built here from the case (`content`); the same content becomes a Word file
(title centred in bold, the number under it, the body, the issuing unit and date at the right) and a PDF
(the same layout through the assessments' PDF renderer, with the Chinese font embedded). The number is
taken from the unit's counter for the kind and year in the same transaction as the files, so numbers
have no gaps: 〔2026〕3号.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.attachments import attachment_add, check
from jiceng.core.models import EventType

from .access import require
from .capabilities import CASE_WORK
from .models import Case, CaseDocument, DocumentKind
from .numbers import next_number, official

PREFIX = {
    DocumentKind.STOP_ORDER: "责停字",
    DocumentKind.FILING: "立审字",
    DocumentKind.NOTICE: "罚告字",
    DocumentKind.DECISION: "罚决字",
    DocumentKind.CLOSING: "结字",
}
TITLE = {
    DocumentKind.STOP_ORDER: "责令停止违法行为通知书",
    DocumentKind.FILING: "立案审批表",
    DocumentKind.NOTICE: "行政处罚告知书",
    DocumentKind.DECISION: "行政处罚决定书",
    DocumentKind.CLOSING: "结案报告",
}


@dataclass
class Content:
    unit: str
    title: str
    number: str
    addressee: str
    paragraphs: list[str]
    date: str


def _cn_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def content(case: Case, kind: str, number: str, day) -> Content:
    place = case.place or _("the place recorded in the case")
    facts = case.check_findings or case.title
    p: list[str]
    if kind == DocumentKind.STOP_ORDER:
        p = [f"经查，你（单位）在{place}的行为：{facts}。",
             "该行为涉嫌违反《中华人民共和国土地管理法》等法律法规的规定。根据《中华人民共和国土地管理法》第六十八条"
             "的规定，现责令你（单位）立即停止上述违法行为，听候处理。"]
    elif kind == DocumentKind.FILING:
        p = [f"案由：{case.title}", f"当事人：{case.party}", f"违法地点：{place}",
             f"发现日期：{_cn_date(case.found_on)}；初查情况：{facts}",
             "承办人意见：建议立案查处。" + ("（公开立案）" if case.public_filing else ""),
             "负责人审批意见：同意立案。"]
    elif kind == DocumentKind.NOTICE:
        p = [f"经调查，你（单位）{case.investigation_summary or facts}。",
             f"拟作出如下行政处罚：{case.penalty_text or '—'}；罚款人民币{case.fine}元。",
             "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）有权在收到本告知书之日起五个"
             "工作日内进行陈述和申辩。" + ("依据第六十三条、第六十四条，你（单位）有权在收到本告知书之日起五个工作日内"
                                         "要求听证。" if case.hearing_qualifies else ""),
             "逾期未提出的，视为放弃上述权利。"]
    elif kind == DocumentKind.DECISION:
        p = [f"当事人：{case.party}", f"经查，{case.investigation_summary or facts}。",
             f"依据相关法律法规，决定如下：{case.penalty_text or '—'}；罚款人民币{case.fine}元。",
             "罚款自收到本决定书之日起十五日内缴纳；逾期不缴纳的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超过"
             "罚款本数（《中华人民共和国行政处罚法》第七十二条）。",
             "如不服本决定，可在收到本决定书之日起六十日内申请行政复议，或者六个月内依法提起行政诉讼。"]
    else:
        p = [f"案由：{case.title}", f"当事人：{case.party}",
             f"处罚决定：{case.penalty_text or '—'}；罚款人民币{case.fine}元。",
             f"执行情况：{case.get_execution_display() or '—'}" + (f"，已缴纳{case.paid_amount}元" if case.paid_amount else ""),
             f"结案意见：{case.closing_summary or '建议结案。'}"]
    return Content(unit=case.unit.name, title=TITLE[kind], number=number, addressee=case.party + "：",
                   paragraphs=p, date=_cn_date(day))


def to_docx(c: Content) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "FangSong", Pt(16)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    for text, size, bold in ((c.unit, 18, True), (c.title, 22, True)):
        para = doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = para.add_run(text)
        run.bold, run.font.size = bold, Pt(size)
    number = doc.add_paragraph(c.number)
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(c.addressee)
    for text in c.paragraphs:
        para = doc.add_paragraph(text)
        para.paragraph_format.first_line_indent = Pt(32)
    for text in (c.unit, c.date):
        para = doc.add_paragraph(text)
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def to_pdf(c: Content) -> bytes:
    from jiceng.assessments.outputs.pdf import html_to_pdf

    return html_to_pdf(render_to_string("enforcement/document_pdf.html", {"c": c}))


def case_document_generate(*, actor, case: Case, kind: str, pdf: bool = True) -> CaseDocument:
    """Number and generate the document `kind` for `case` now, kept with the case as docx (and PDF)."""
    from .workflows import DRAFTABLE

    require(actor, CASE_WORK, case.unit)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Unknown document %(kind)s.") % {"kind": kind}})
    if case.state not in DRAFTABLE[kind]:
        raise ValidationError(_("The %(document)s cannot be drawn up while the case is “%(state)s”.") % {
            "document": DocumentKind(kind).label, "state": case.get_state_display()})
    day = timezone.localdate()
    with transaction.atomic():
        serial = next_number(case.unit, f"doc.{kind}", day.year)
        number = official(serial, day.year, prefix=PREFIX[kind])
        c = content(case, kind, number, day)
        files = {"docx": to_docx(c)}
        if pdf:
            files["pdf"] = to_pdf(c)
        stored = {}
        for ext, data in files.items():
            checked = check(ContentFile(data, name=f"{c.title}{number}.{ext}"), field="kind", allowed=(ext,))
            stored[ext] = attachment_add(actor=actor, unit=case.unit, checked=checked,
                                         purpose=f"enforcement.{kind}", subject=case)
        document = CaseDocument.objects.create(unit=case.unit, case=case, kind=kind, year=day.year, serial=serial,
                                               number=number, docx=stored["docx"], pdf=stored.get("pdf"))
        audit.record(EventType.CREATE, actor=actor, subject=case, after={"document": kind, "number": number})
    return document
