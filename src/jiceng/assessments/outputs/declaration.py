"""The declaration form (申报表, seed 000 附件2) of one submission, as .docx and as PDF.

Both follow the layout of 附件2: a four-column table with the office name and
staff count, the head and the phone, the address, a tall box for the main
situation of the standardization work (its label written one character per
line), then the county bureau's opinion box and the city bureau's review box,
each with its stamp mark (盖章) and date line at the bottom right.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH

from jiceng.core.pii import clean_mobile, mask_phone

from ..models import Status, Submission
from . import docxkit, pdf

# The seed's own title for its scheme; other schemes get one made from their title.
TITLES = {"taizhou-office-2021": "台州市自然资源和规划系统规范化基层所申报表"}
SITUATION_LABEL = "规范化建设主要情况"
COUNTY_LABEL = "县（市、区）自然资源和规划局考评意见"
CITY_LABEL = "市自然资源和规划局审核意见"
STAMP = "（盖章）"


def date_text(value: date | None) -> str:
    """'2021年10月12日', or the blank date line of the paper form."""
    if value is None:
        return "年      月     日"
    return f"{value.year}年{value.month}月{value.day}日"


def contact_phone(value: str) -> str:
    """An office landline as entered; a personal mobile number masked (personal data, masked by default)."""
    try:
        clean_mobile(value)
    except ValidationError:
        return value
    return mask_phone(value)


@dataclass
class Declaration:
    """What the form shows, taken from the submission (and the published result for the city's box)."""

    title: str
    name: str
    staff_count: str
    head: str
    phone: str
    address: str
    situation: str
    county_opinion: str
    county_date: date | None
    city_opinion: str
    city_date: date | None
    draft: bool

    @property
    def county_date_text(self) -> str:
        return date_text(self.county_date)

    @property
    def city_date_text(self) -> str:
        return date_text(self.city_date)

    @property
    def situation_label_vertical(self) -> str:
        return "\n".join(SITUATION_LABEL)


def declaration_of(sub: Submission) -> Declaration:
    campaign = sub.campaign
    title = TITLES.get(campaign.scheme_id) or f"{campaign.scheme_title}申报表"
    city_lines = [sub.audit_opinion] if sub.audit_opinion else []
    city_date = timezone.localdate(sub.audited_at) if sub.audited_at else None
    result = getattr(sub, "result", None) if sub.status == Status.PUBLISHED else None
    if result is not None:
        city_lines.append(f"审核结果：总分{_number(result.total)}分，{result.grade}。")
        if result.revoked_at:
            city_lines.append(f"{date_text(timezone.localdate(result.revoked_at))}摘牌：{result.revoke_reason}")
        city_date = city_date or timezone.localdate(result.published_at)
    return Declaration(
        title=title,
        name=sub.decl_name,
        staff_count="" if sub.decl_staff_count is None else str(sub.decl_staff_count),
        head=sub.decl_head,
        phone=contact_phone(sub.decl_phone),
        address=sub.decl_address,
        situation=sub.decl_situation,
        county_opinion=sub.county_opinion,
        county_date=sub.opinion_date if sub.county_opinion else None,
        city_opinion="\n".join(city_lines),
        city_date=city_date,
        draft=sub.status in (Status.DRAFT, Status.RETURNED),
    )


def _number(value) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def file_stem(sub: Submission) -> str:
    return f"申报表-{sub.unit.name}"


# --- .docx --------------------------------------------------------------------------------------------

WIDTHS = [3.2, 6.0, 2.6, 4.0]


def declaration_docx(sub: Submission) -> bytes:
    form = declaration_of(sub)
    document = docxkit.new_document()
    docxkit.paragraph(document, "附件2", font=docxkit.TITLE_FONT)
    docxkit.title(document, form.title)
    if form.draft:
        docxkit.paragraph(document, "（草稿，未上报）", align=WD_ALIGN_PARAGRAPH.CENTER, size=10)

    table = document.add_table(rows=6, cols=4)
    table.style = "Table Grid"
    rows = table.rows
    center = WD_ALIGN_PARAGRAPH.CENTER
    docxkit.set_cell(rows[0].cells[0], "基层所名称")
    docxkit.set_cell(rows[0].cells[1], form.name)
    docxkit.set_cell(rows[0].cells[2], "人数")
    docxkit.set_cell(rows[0].cells[3], form.staff_count)
    docxkit.set_cell(rows[1].cells[0], "负责人姓名")
    docxkit.set_cell(rows[1].cells[1], form.head)
    docxkit.set_cell(rows[1].cells[2], "电话")
    docxkit.set_cell(rows[1].cells[3], form.phone)
    for index in (0, 1):
        docxkit.row_height(rows[index], 1.2)

    docxkit.set_cell(rows[2].cells[0], "地        址")
    address = rows[2].cells[1].merge(rows[2].cells[3])
    docxkit.set_cell(address, form.address, align=WD_ALIGN_PARAGRAPH.LEFT)
    docxkit.row_height(rows[2], 1.2)

    docxkit.set_cell(rows[3].cells[0], form.situation_label_vertical)
    situation = rows[3].cells[1].merge(rows[3].cells[3])
    docxkit.set_cell(situation, form.situation, align=WD_ALIGN_PARAGRAPH.LEFT, valign=WD_CELL_VERTICAL_ALIGNMENT.TOP)
    docxkit.row_height(rows[3], 11)

    for row, label, opinion, when in (
        (rows[4], COUNTY_LABEL, form.county_opinion, form.county_date_text),
        (rows[5], CITY_LABEL, form.city_opinion, form.city_date_text),
    ):
        docxkit.set_cell(row.cells[0], label)
        box = row.cells[1].merge(row.cells[3])
        docxkit.set_cell(box, opinion, align=WD_ALIGN_PARAGRAPH.LEFT, valign=WD_CELL_VERTICAL_ALIGNMENT.TOP)
        docxkit.add_line(box, STAMP)
        docxkit.add_line(box, when)
        docxkit.row_height(row, 4.5)
    docxkit.column_widths(table, WIDTHS)
    for row in rows:
        row.cells[0].paragraphs[0].alignment = center
    return docxkit.to_bytes(document)


# --- PDF ----------------------------------------------------------------------------------------------


def declaration_pdf(sub: Submission) -> bytes:
    return pdf.render_pdf("assessments/outputs/declaration_pdf.html", {"form": declaration_of(sub)})
