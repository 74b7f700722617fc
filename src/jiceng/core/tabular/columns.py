"""Declared spreadsheet columns and the parsers that turn a cell into a value or a reason.

A parser is `parse(value, importer) -> python value`; it raises ValidationError
whose message says why the cell was refused. The importer is passed so that a
parser can use what the importer prefetched (the units in the user's scope).
Cells arrive as python-calamine gives them: str, int, float, bool, date,
datetime, or "" for an empty cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jiceng.core import pii

Parser = Callable[[Any, Any], Any]

YES, NO = "是", "否"


def is_blank(value) -> bool:
    if type(value) is str:
        return not value or value.isspace()
    return value is None


def _as_text(value) -> str:
    """A cell as text; whole-number floats lose their '.0' (Excel stores 13800138000 as a float)."""
    if type(value) is str:
        return value.strip()
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()


def text(max_length: int | None = None) -> Parser:
    def parse(value, importer=None):
        result = _as_text(value)
        if max_length is not None and len(result) > max_length:
            raise ValidationError(
                _("At most %(limit)d characters (this has %(count)d)."),
                params={"limit": max_length, "count": len(result)},
            )
        return result

    return parse


def integer(minimum: int | None = 0, maximum: int | None = None) -> Parser:
    def parse(value, importer=None):
        if isinstance(value, bool):
            raise ValidationError(_("Not a whole number."))
        if isinstance(value, float):
            if not value.is_integer():
                raise ValidationError(_("Not a whole number."))
            number = int(value)
        else:
            try:
                number = int(_as_text(value))
            except ValueError:
                raise ValidationError(_("Not a whole number.")) from None
        if minimum is not None and number < minimum:
            raise ValidationError(_("Must be at least %(limit)d."), params={"limit": minimum})
        if maximum is not None and number > maximum:
            raise ValidationError(_("Must be at most %(limit)d."), params={"limit": maximum})
        return number

    return parse


def decimal(places: int = 1, max_digits: int = 8) -> Parser:
    def parse(value, importer=None):
        try:
            number = Decimal(str(value).strip()) if not isinstance(value, bool) else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValidationError(_("Not a number."))
        number = round(number, places)
        if number < 0 or len(number.as_tuple().digits) > max_digits:
            raise ValidationError(_("Out of range."))
        return number

    return parse


_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def a_date() -> Parser:
    """A real date cell, or text such as 2020-01-31, 2020/1/31, 2020.1.31, 2020年1月31日, 20200131."""

    def parse(value, importer=None):
        if isinstance(value, datetime):
            if value.time() != time(0):
                raise ValidationError(_("A date without a time is expected."))
            return value.date()
        if isinstance(value, date):
            return value
        textual = _as_text(value)
        match = _DATE_TEXT.fullmatch(textual)
        if match is None and re.fullmatch(r"\d{8}", textual):
            match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", textual)
        try:
            if match is None:
                raise ValueError
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise ValidationError(_("Not a date: %(value)s."), params={"value": textual[:30]}) from None

    return parse


def boolean() -> Parser:
    truthy = {YES, "y", "yes", "true", "1", "有", "√"}
    falsy = {NO, "n", "no", "false", "0", "无", "×"}

    def parse(value, importer=None):
        if isinstance(value, bool):
            return value
        textual = _as_text(value).lower()
        if textual in truthy:
            return True
        if textual in falsy:
            return False
        raise ValidationError(_("Must be %(yes)s or %(no)s."), params={"yes": YES, "no": NO})

    return parse


def zh_label(label) -> str:
    """A choice label as the Chinese interface shows it (the template's language)."""
    with translation.override("zh-hans"):
        return str(label)


def choice(choices) -> Parser:
    """One of an enumeration, written as its Chinese label (its English label or stored code also work)."""
    pairs = list(choices.choices if hasattr(choices, "choices") else choices)

    def lookup() -> dict[str, str]:
        table: dict[str, str] = {}
        for code, label in pairs:
            table[str(code).lower()] = code
            with translation.override("en"):
                table[str(label).lower()] = code
            table[zh_label(label).lower()] = code
        return table

    cache: dict[str, dict[str, str]] = {}

    def parse(value, importer=None):
        table = cache.get("t") or cache.setdefault("t", lookup())
        code = table.get(value) if type(value) is str else None
        if code is None:
            code = table.get(_as_text(value).lower())
        if code is None:
            raise ValidationError(
                _("%(value)s is not one of: %(allowed)s."),
                params={"value": _as_text(value)[:30], "allowed": "、".join(zh_label(label) for _c, label in pairs)},
            )
        return code

    parse.labels = lambda: [zh_label(label) for _c, label in pairs]
    return parse


def id_number() -> Parser:
    def parse(value, importer=None):
        if isinstance(value, float | int) and not isinstance(value, bool) and value >= 1e15:
            # Excel keeps 15 significant digits: the last ones of an 18-digit number are already gone.
            raise ValidationError(_("Stored as a number, so Excel lost its last digits; format the column as text."))
        return pii.clean_id_number(value if isinstance(value, str) else _as_text(value))

    return parse


def mobile() -> Parser:
    def parse(value, importer=None):
        return pii.clean_mobile(value if isinstance(value, str) else _as_text(value))

    return parse


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its Chinese header, where its value goes, and how a cell is read.

    `field` names the key of the parsed row (usually the model field). `choices`
    lists the labels a data-validation drop-down offers in the template.
    `export` turns a record into the exported cell; `mask` says the export
    shows the value masked (personal data).
    """

    header: str
    field: str
    parse: Parser = dc_field(default_factory=text)
    required: bool = False
    default: Any = None
    example: Any = ""
    width: int = 14
    note: str = ""
    choices: Sequence[str] | Callable[[], Sequence[str]] | None = None
    export: Callable[[Any], Any] | None = None
    is_date: bool = False

    def example_cell(self) -> Any:
        """The template's example value (an enumeration's example is given as its code, shown as its label)."""
        return self.example() if callable(self.example) else self.example

    def labels(self) -> list[str]:
        if self.choices is not None:
            return list(self.choices() if callable(self.choices) else self.choices)
        if hasattr(self.parse, "labels"):
            return self.parse.labels()
        return []


def enum_column(header: str, field_name: str, choices, **kwargs) -> Column:
    """A column whose cells are an enumeration's Chinese labels; `example` is given as a code."""
    labels = dict(choices.choices)
    code = kwargs.pop("example", "")
    example = (lambda: zh_label(labels[code])) if code else ""
    return Column(header, field_name, parse=choice(choices), width=kwargs.pop("width", 16), example=example, **kwargs)


def bool_column(header: str, field_name: str, **kwargs) -> Column:
    return Column(header, field_name, parse=boolean(), choices=(YES, NO), width=kwargs.pop("width", 10), **kwargs)


def date_column(header: str, field_name: str, **kwargs) -> Column:
    return Column(header, field_name, parse=a_date(), is_date=True, width=kwargs.pop("width", 12), **kwargs)
