"""The catalogue as an xlsx sheet: export, and an all-or-nothing import of new items and new versions.

One row per item. The materials are one cell, one material per line:
``名称|原件或复印件|份数|必需或选交`` (e.g. ``申请人身份证|原件|1|必需``); the fees likewise
``项目|依据|标准``, and 不收费 when the item charges nothing. A row whose code exists makes a new
version of that item when something changed (the reason column says why); a new code makes a new
item. Every row is checked before anything is written: one bad cell and nothing is saved, and the
errors name sheet row, column and reason.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from . import catalogue
from .models import HandlingLevel, ItemClass, ItemType, ServiceItem

SHEET = "政务服务事项"
YES, NO = "是", "否"
# header, element name, kind
COLUMNS = [
    ("事项编码", "code", "text"), ("事项名称", "name", "text"), ("事项类型", "item_type", "choice"),
    ("主管部门", "department", "text"), ("实施机关", "implementing_body", "text"),
    ("设定和实施依据", "legal_basis", "text"), ("受理条件", "conditions", "text"), ("办理流程", "procedure", "text"),
    ("法定时限（工作日）", "statutory_days", "int"), ("承诺时限（工作日）", "promised_days", "int"),
    ("收费", "fees", "fees"), ("办理地点", "place", "text"), ("办理时间", "hours", "text"),
    ("咨询电话", "phone", "text"), ("办理层级", "handling_level", "choice"), ("办结类别", "item_class", "choice"),
    ("马上办", "tag_immediate", "flag"), ("网上办", "tag_online", "flag"), ("就近办", "tag_nearby", "flag"),
    ("一次办", "tag_once", "flag"), ("村级代办", "agency_point", "flag"), ("网格帮办", "grid_help", "flag"),
    ("政银合作", "bank_partner", "flag"), ("跨乡通办", "cross_township", "flag"),
    ("申请材料", "materials", "materials"), ("变更理由", "reason", "text"),
]
CHOICES = {"item_type": ItemType, "handling_level": HandlingLevel, "item_class": ItemClass}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        return _("Row %(row)d %(column)s: %(message)s") % {"row": self.row, "column": self.column,
                                                             "message": self.message}


class CatalogueImportError(ValidationError):
    def __init__(self, errors: list[RowError]):
        super().__init__([str(e) for e in errors], code="import_errors")
        self.errors = errors


def _label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value))


def export_xlsx(items) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([c[0] for c in COLUMNS])
    for item in items:
        v = item.current
        row = []
        for _header, name, kind in COLUMNS:
            if name == "code":
                row.append(item.code)
            elif name == "reason":
                row.append("")
            elif name == "materials":
                row.append("\n".join(f"{m.name}|{'原件' if m.original else '复印件'}|{m.copies}|"
                                     f"{'必需' if m.required else '选交'}" for m in v.materials.all()))
            elif name == "fees":
                row.append("不收费" if v.no_fee else "\n".join(f"{f['item']}|{f['basis']}|{f['standard']}" for f in v.fees))
            elif kind == "choice":
                row.append(_label(CHOICES[name], getattr(v, name)))
            elif kind == "flag":
                row.append(YES if getattr(v, name) else NO)
            else:
                row.append(getattr(v, name))
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _parse(value, name, kind):
    text = "" if value is None else str(value).strip()
    if kind == "int":
        return text  # clean_elements checks it
    if kind == "flag":
        if text not in (YES, NO, ""):
            raise ValueError(_("write 是 or 否"))
        return text == YES
    if kind == "choice":
        by_label = {str(label): val for val, label in CHOICES[name].choices}
        return by_label.get(text, text)
    if kind == "fees":
        if text in ("", "不收费"):
            return []
        fees = []
        for line in text.splitlines():
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 3:
                raise ValueError(_("one fee per line: item|basis|standard"))
            fees.append({"item": parts[0], "basis": parts[1], "standard": parts[2]})
        return fees
    if kind == "materials":
        mats = []
        for line in text.splitlines():
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 4 or parts[1] not in ("原件", "复印件") or parts[3] not in ("必需", "选交") \
                    or not parts[2].isdigit():
                raise ValueError(_("one material per line: name|原件 or 复印件|copies|必需 or 选交"))
            mats.append({"name": parts[0], "original": parts[1] == "原件", "copies": int(parts[2]),
                         "required": parts[3] == "必需"})
        return mats
    return text


def import_xlsx(unit, content: bytes, *, actor) -> dict:
    """Create and revise the unit's items from the sheet, all or nothing; returns the counts."""
    try:
        ws = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
    except Exception:  # noqa: BLE001 - any unreadable file is the same refusal
        raise CatalogueImportError([RowError(0, "", _("This is not an xlsx workbook."))]) from None
    headers = [c[0] for c in COLUMNS]
    if not rows or [str(h or "").strip() for h in rows[0][:len(headers)]] != headers:
        raise CatalogueImportError([RowError(1, "", _("The header row must be the template's: %(h)s")
                                             % {"h": "、".join(headers)})])
    errors: list[RowError] = []
    parsed = []
    seen = set()
    for number, raw in enumerate(rows[1:], start=2):
        if all(v in (None, "") for v in raw):
            continue
        data = {}
        for (header, name, kind), value in zip(COLUMNS, raw, strict=False):
            try:
                data[name] = _parse(value, name, kind)
            except ValueError as exc:
                errors.append(RowError(number, header, str(exc)))
        code = data.get("code", "")
        if code in seen:
            errors.append(RowError(number, "事项编码", _("The code %(code)s is in the file twice.") % {"code": code}))
        seen.add(code)
        materials = data.pop("materials", [])
        reason = data.pop("reason", "") or _("catalogue import")
        data.pop("code", None)
        data["no_fee"] = not data.get("fees")
        existing = ServiceItem.objects.filter(code=code).first()
        if existing is not None and existing.unit_id != unit.pk:
            errors.append(RowError(number, "事项编码", _("The code %(code)s belongs to another unit.") % {"code": code}))
        for problem_field, lines in _check(data, materials, code, existing).items():
            header = next((c[0] for c in COLUMNS if c[1] == problem_field), problem_field)
            errors.extend(RowError(number, header, line) for line in lines)
        parsed.append((code, existing, data, materials, reason))
    if errors:
        raise CatalogueImportError(errors)
    created = revised = unchanged = 0
    with transaction.atomic():
        for code, existing, data, materials, reason in parsed:
            if existing is None:
                catalogue.create_item(unit, actor=actor, code=code, reason=reason, elements=data, materials=materials)
                created += 1
                continue
            try:
                catalogue.revise_item(existing, actor=actor, reason=reason, elements=data,
                                      materials=materials if materials != catalogue.version_materials_plain(
                                          existing.current) else None)
                revised += 1
            except ValidationError as exc:
                if "elements" in getattr(exc, "message_dict", {}):
                    unchanged += 1
                else:
                    raise
    return {"created": created, "revised": revised, "unchanged": unchanged}


def _check(data, materials, code, existing) -> dict:
    problems: dict[str, list[str]] = {}
    for clean, arg in ((catalogue.clean_elements, data), (catalogue.clean_materials, materials)):
        try:
            clean(arg)
        except ValidationError as exc:
            for key, lines in exc.message_dict.items():
                problems.setdefault(key, []).extend(lines)
    if existing is None and not catalogue.CODE.match(code or ""):
        problems.setdefault("code", []).append(_("3 to 40 letters, digits and hyphens."))
    return problems
