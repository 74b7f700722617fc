"""Writing workbooks with openpyxl: import templates, exports, and refused files with their errors marked.

Every text cell goes through `text_cell`, which stores a value beginning with
=, +, -, @ (or a tab / carriage return) as text with Excel's quote prefix: the
spreadsheet shows it as typed and never evaluates it (formula injection), and
editing the cell keeps it text.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, BinaryIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .columns import Column
from .importer import ImportResult

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="DDEBF7")
REQUIRED_FILL = PatternFill("solid", start_color="FCE4D6")
ERROR_FILL = PatternFill("solid", start_color="FF9999")
EXAMPLE_FONT = Font(italic=True, color="808080")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
OPTIONS_SHEET = "选项"
ERRORS_SHEET = "错误清单"
# How often a background export reports its progress, in rows.
PROGRESS_EVERY = 1000


def needs_neutralising(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def cell(ws, value: Any, **style) -> WriteOnlyCell:
    """A write-only cell; dates get a date format, risky text is stored as quoted text."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        result = WriteOnlyCell(ws, value=value)
        result.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        result = WriteOnlyCell(ws, value=value)
        result.number_format = DATE_FORMAT
    elif isinstance(value, Decimal):
        result = WriteOnlyCell(ws, value=float(value))
    elif isinstance(value, str):
        result = WriteOnlyCell(ws, value=value)
        if needs_neutralising(value):
            result.data_type = "s"
            result.quotePrefix = True
    else:
        result = WriteOnlyCell(ws, value=value)
    for name, setting in style.items():
        setattr(result, name, setting)
    return result


def _header_cells(ws, columns: Sequence[Column], *, mark_required: bool = False) -> list[WriteOnlyCell]:
    cells = []
    for column in columns:
        header = cell(ws, column.header, font=HEADER_FONT)
        header.fill = REQUIRED_FILL if mark_required and column.required else HEADER_FILL
        if column.note:
            header.comment = Comment(str(column.note), "Jiceng")
        cells.append(header)
    return cells


def _set_widths(ws, widths: Iterable[int]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def write_template(columns: Sequence[Column], sheet_name: str, stream: BinaryIO, *, validation_rows: int = 5000) -> None:
    """The import template: Chinese headers (required ones shaded), an example row, drop-downs for enumerations."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet_name
    options = workbook.create_sheet(OPTIONS_SHEET)
    options.sheet_state = "hidden"
    for index, column in enumerate(columns, start=1):
        header = ws.cell(row=1, column=index, value=column.header)
        header.font = HEADER_FONT
        header.fill = REQUIRED_FILL if column.required else HEADER_FILL
        note = str(column.note or "")
        if column.required:
            note = (_("Required.") + " " + note).strip()
        if note:
            header.comment = Comment(note, "Jiceng")
        value = column.example_cell()
        example = ws.cell(row=2, column=index, value=value if value != "" else None)
        example.font = EXAMPLE_FONT
        if column.is_date and value:
            example.number_format = DATE_FORMAT
        if isinstance(value, str) and value:
            example.data_type = "s"  # ID numbers and phones stay text
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        # Text columns stay text, so Excel cannot turn an ID number into 1.1E+17.
        if not column.is_date and not column.labels() and isinstance(value, str):
            ws.column_dimensions[letter].number_format = "@"
        labels = column.labels()
        if labels:
            options.cell(row=1, column=index, value=column.header)
            for offset, label in enumerate(labels, start=2):
                options.cell(row=offset, column=index, value=label)
            source = f"{quote_sheetname(OPTIONS_SHEET)}!${letter}$2:${letter}${len(labels) + 1}"
            rule = DataValidation(type="list", formula1=f"={source}", allow_blank=not column.required)
            rule.error = _("Choose a value from the list.")
            rule.errorTitle = column.header
            rule.showErrorMessage = True
            rule.add(f"{letter}2:{letter}{validation_rows + 1}")
            ws.add_data_validation(rule)
        elif column.is_date:
            rule = DataValidation(type="date", operator="greaterThan", formula1="1")
            rule.error = _("Enter a date, for example 2020-01-31.")
            rule.showErrorMessage = True
            rule.add(f"{letter}2:{letter}{validation_rows + 1}")
            ws.add_data_validation(rule)
    ws.freeze_panes = "A2"
    ws.cell(row=2, column=len(columns) + 2, value=_("Row 2 is an example: overwrite or delete it (left unchanged, it is skipped).")).font = EXAMPLE_FONT
    workbook.save(stream)


def write_export(
    stream: BinaryIO,
    *,
    sheet_name: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    exporter_name: str,
    title: str,
    exported_at: datetime | None = None,
    progress: Callable[[int], None] | None = None,
    progress_every: int | None = None,
) -> int:
    """A streamed (write-only) export: an exporter line, frozen Chinese headers, widths, dates as dates.

    `progress(rows_so_far)`, when given, is called every `progress_every`
    rows (PROGRESS_EVERY by default) and once at the end: a background
    export records it in one cheap UPDATE, where calling it per row would
    cost a query per row. Returns the number of data rows written.
    """
    every = progress_every or PROGRESS_EVERY
    exported_at = timezone.localtime(exported_at or timezone.now())
    stamp = exported_at.strftime("%Y-%m-%d %H:%M:%S")
    workbook = Workbook(write_only=True)
    workbook.properties.creator = exporter_name
    workbook.properties.lastModifiedBy = exporter_name
    workbook.properties.title = title
    workbook.properties.description = _("Exported by %(name)s at %(time)s") % {"name": exporter_name, "time": stamp}
    workbook.properties.created = exported_at.replace(tzinfo=None)
    ws = workbook.create_sheet(sheet_name)
    ws.freeze_panes = "A3"
    _set_widths(ws, (column.width for column in columns))
    ws.append(
        [
            cell(
                ws,
                _("%(title)s · exported by %(name)s at %(time)s · personal data masked")
                % {"title": title, "name": exporter_name, "time": stamp},
                font=Font(italic=True, color="595959"),
            )
        ]
    )
    ws.append(_header_cells(ws, columns))
    count = 0
    try:
        for values in rows:
            ws.append([cell(ws, value) for value in values])
            count += 1
            if progress is not None and count % every == 0:
                progress(count)
        if progress is not None and count % every:
            progress(count)
    except BaseException:
        # Close the rows first: a generator stopped by an error would otherwise
        # keep whatever it reads from (a database cursor) alive as long as the
        # error's traceback is referenced.
        close = getattr(rows, "close", None)
        if close is not None:
            with contextlib.suppress(Exception):  # the row's own error is the one to report
                close()
        _abandon(workbook)
        raise
    workbook.save(stream)
    return count


class _Discard(io.RawIOBase):
    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return len(data)


def _abandon(workbook: Workbook) -> None:
    """Close a write-only workbook whose rows failed, so its sheets' temporary files go now.

    openpyxl writes each write-only sheet to a temporary file that only
    `save()` removes (or the process's exit: a long-running task worker would
    collect them); saving to a sink that keeps nothing is the public way.
    """
    try:
        workbook.save(_Discard())
    except Exception:  # noqa: BLE001  (the row's own error is the one to report)
        pass


def write_errors(result: ImportResult, columns: Sequence[Column], stream: BinaryIO) -> None:
    """The refused file as read, each faulty cell filled red with the reason as a comment, plus a list of all errors."""
    by_cell: dict[tuple[int, int], list[str]] = {}
    by_row: dict[int, list[str]] = {}
    for error in result.errors:
        if error.row and error.col_index is not None:
            by_cell.setdefault((error.row, error.col_index), []).append(error.message)
        elif error.row:
            by_row.setdefault(error.row, []).append(f"{error.column}: {error.message}" if error.column else error.message)
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet(ERRORS_SHEET)
    summary.freeze_panes = "A2"
    _set_widths(summary, (16, 8, 16, 70))
    summary.append([cell(summary, text, font=HEADER_FONT, fill=HEADER_FILL) for text in ("工作表", "行", "列", "原因")])
    for error in result.errors:
        summary.append([cell(summary, error.sheet), cell(summary, error.row or None), cell(summary, error.column), cell(summary, error.message)])
    if result.grid:
        ws = workbook.create_sheet(result.sheet_name or "Sheet1")
        ws.freeze_panes = f"A{result.header_row + 1}"
        width = max(len(row) for row in result.grid)
        _set_widths(ws, [16] * width)
        for row_index, cells in enumerate(result.grid, start=1):
            out = []
            for col_index in range(width):
                value = cells[col_index] if col_index < len(cells) else ""
                written = cell(ws, None if value == "" else value)
                if row_index == result.header_row:
                    written.font = HEADER_FONT
                messages = by_cell.get((row_index, col_index))
                if messages:
                    written.fill = ERROR_FILL
                    written.comment = Comment("\n".join(messages), "Jiceng")
                out.append(written)
            row_messages = by_row.get(row_index)
            if row_messages:
                note = cell(ws, "；".join(row_messages), fill=ERROR_FILL)
                out.append(note)
            ws.append(out)
    workbook.save(stream)

