"""The notice (通报) publishing the list of standardized offices of a campaign, as .docx.

Seed 000 第二十条: offices that reach the standard are commended by a notice
of the city bureau and awarded the plaque; 第二十二条: a plaque is taken back
(摘牌) when a veto event happens. The notice lists the awarded offices by
county with their totals, then the revoked awards with their dates, and ends
with the issuing bureau and the date. The figures are those of the published
list (outputs.published): nothing unpublished, no personal data.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH

from jiceng.rubrics import SchemeError

from .. import schemes
from . import docxkit
from .declaration import date_text
from .published import PublishedList

PLAQUES = {"taizhou-office-2021": "台州市自然资源和规划系统规范化基层所"}
REVOKE_TEXT = {
    "taizhou-office-2021": "以下基层所在考评期内发生《考核暂行办法》第十六条规定的情形，依照第二十二条予以摘牌：",
}
ADDRESSEES = "各县（市、区）自然资源和规划局（分局）："


def plaque_of(campaign) -> str:
    return PLAQUES.get(campaign.scheme_id, "规范化基层所")


def _source_document(campaign) -> str:
    try:
        source = schemes.campaign_scheme(campaign).definition.source
    except SchemeError:
        return ""
    return getattr(source, "document", "") if source else ""


def title_of(campaign) -> str:
    return f"关于公布{campaign.name}结果的通报"


def notice_docx(listing: PublishedList, issued_on: date | None = None) -> bytes:
    campaign = listing.campaign
    issued_on = issued_on or timezone.localdate()
    document = docxkit.new_document()
    docxkit.title(document, title_of(campaign))
    docxkit.paragraph(document, ADDRESSEES)
    basis = _source_document(campaign)
    basis_text = f"根据{basis}，" if basis else ""
    docxkit.paragraph(
        document,
        f"{basis_text}经基层所自评、县（市、区）局考评、市局审核，"
        f"{len(listing.awarded)}个基层所达到规范化建设标准。现予以通报表扬，"
        f"并授予“{plaque_of(campaign)}”牌子。名单如下：",
        first_line_indent=True,
    )
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for index, text in enumerate(("序号", "县（市、区）", "基层所", "总分", "等级")):
        docxkit.set_cell(table.rows[0].cells[index], text, bold=True)
    number = 0
    for _county, entries in listing.by_county:
        for entry in entries:
            number += 1
            cells = table.add_row().cells
            for index, text in enumerate((str(number), entry.county, entry.office, str(entry.total), entry.grade)):
                docxkit.set_cell(cells[index], text)
    docxkit.column_widths(table, [1.5, 4.5, 5.0, 2.2, 2.6])
    if not listing.awarded:
        docxkit.paragraph(document, "（本次无达标基层所。）", align=WD_ALIGN_PARAGRAPH.CENTER)

    if listing.revoked:
        docxkit.paragraph(
            document,
            REVOKE_TEXT.get(campaign.scheme_id, "以下基层所发生一票否决情形，予以摘牌："),
            first_line_indent=True,
        )
        revoked = document.add_table(rows=1, cols=4)
        revoked.style = "Table Grid"
        for index, text in enumerate(("序号", "县（市、区）", "基层所", "摘牌日期")):
            docxkit.set_cell(revoked.rows[0].cells[index], text, bold=True)
        for n, entry in enumerate(listing.revoked, start=1):
            cells = revoked.add_row().cells
            for index, text in enumerate((str(n), entry.county, entry.office, date_text(entry.revoked_on))):
                docxkit.set_cell(cells[index], text)
        docxkit.column_widths(revoked, [1.5, 4.5, 5.0, 4.8])

    docxkit.paragraph(document, "")
    docxkit.paragraph(document, campaign.unit.name, align=WD_ALIGN_PARAGRAPH.RIGHT)
    docxkit.paragraph(document, date_text(issued_on), align=WD_ALIGN_PARAGRAPH.RIGHT)
    return docxkit.to_bytes(document)


def file_name(campaign) -> str:
    return f"通报-{campaign.name}.docx"
