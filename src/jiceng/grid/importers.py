"""The resident register's import sheet (core.tabular): all or nothing, row errors, ID numbers validated.

A row is one resident: the grid's code, the household's address (households are created as needed), the
name, the ID number (the natural key: re-importing updates name and phone), the phone and the categories
of 第十一条 as their Chinese labels separated by "、". Rows may only name grids where the importer holds
grid.manage; the scope is re-checked inside the transaction.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiceng.core import pii
from jiceng.core.imports import ImportSpec, common_unit, unit_code, unit_model
from jiceng.core.tabular import Column, Importer
from jiceng.core.tabular.columns import id_number, mobile, text, zh_label

from .capabilities import MANAGE
from .models import SENSITIVE_CATEGORIES, Category, Household, Resident, ResidentCategory


def _categories(value, importer=None) -> list[str]:
    raw = text(200)(value) if value not in (None, "") else ""
    labels = {zh_label(label): code for code, label in Category.choices}
    found = []
    for part in [p.strip() for p in raw.replace(",", "、").replace("，", "、").split("、") if p.strip()]:
        code = labels.get(part)
        if code is None:
            raise ValidationError(_("Unknown category %(name)s."), params={"name": part})
        found.append(code)
    return sorted(set(found))


def _manage_index(user) -> dict[str, tuple[int, str, str]]:
    units = unit_model().objects.filter(kind="grid")
    if user is not None:
        units = units.restrict(user, MANAGE)
    return {code: (pk, path, kind) for code, pk, path, kind in units.values_list("code", "pk", "path", "kind")}


class ResidentImport(Importer):
    model = Resident
    kind = "grid_residents"
    sheet_name = "居民"
    natural_key = ("id_number",)
    columns = [
        Column("网格编码", "unit_id", parse=unit_code("grid_units"), required=True, example="CATVG", width=12,
               note=gettext_lazy("The code of the grid the resident lives in.")),
        Column("户址", "address", parse=text(200), required=True, example="甲村一组12号", width=22),
        Column("户主", "head_name", parse=text(50), default="", example="张三", width=10),
        Column("姓名", "name", parse=text(50), required=True, example="张三", width=10),
        Column("身份证号", "id_number", parse=id_number(), required=True, example="11010519491231002X", width=22),
        Column("手机号", "phone", parse=mobile(), default="", example="13812345678", width=14),
        Column("类别", "categories", parse=_categories, default=[], example="独居老人", width=24,
               note=gettext_lazy("Categories separated by 、 (第十一条).")),
    ]

    def prepare(self) -> None:
        self.grid_units = _manage_index(self.actor)
        self._grid_pks = {pk for pk, _p, _k in self.grid_units.values()}

    def fetch_existing(self, keys):
        hashes = {pii.lookup_hash(key[0]): key for key in keys}
        return {hashes[r.id_number_hash]: r for r in Resident.objects.filter(id_number_hash__in=list(hashes))}

    def may_update(self, instance) -> bool:
        return instance.unit_id in self._grid_pks

    def updatable_fields(self, values):
        return ["name", "phone"]

    def duplicate_message(self) -> str:
        return _("This ID number is already registered in a grid you cannot manage.")

    def create_all(self, instances: list[Resident]) -> None:
        rows = self._rows
        wanted = {(r["unit_id"], r["address"]): r.get("head_name", "") for r in rows}
        have = {(h.unit_id, h.address): h for h in Household.objects.filter(
            unit_id__in={u for u, _a in wanted}, address__in={a for _u, a in wanted})}
        new = [Household(unit_id=u, address=a, head_name=head) for (u, a), head in wanted.items() if (u, a) not in have]
        for h in Household.objects.bulk_create(new, batch_size=self.batch_size):
            have[(h.unit_id, h.address)] = h
        for resident, values in zip(instances, rows, strict=True):
            resident.household_id = have[(values["unit_id"], values["address"])].pk
            resident.sensitive = bool(SENSITIVE_CATEGORIES & set(values["categories"]))
        Resident.objects.bulk_create(instances, batch_size=self.batch_size)
        ResidentCategory.objects.bulk_create(
            [ResidentCategory(resident_id=r.pk, category=c) for r, v in zip(instances, rows, strict=True)
             for c in v["categories"]], batch_size=self.batch_size)

    def build(self, values: dict[str, Any]):
        self.__dict__.setdefault("_rows", []).append(values)
        return Resident(unit_id=values["unit_id"], name=values["name"], id_number=values["id_number"],
                        phone=values["phone"] or "")

    def check_after_write(self, created, updated) -> None:
        allowed = {pk for pk, _p, _k in _manage_index(self.actor).values()}
        if any(r.unit_id not in allowed for r in [*created, *updated]):
            raise PermissionDenied(_("Your scope changed during the import; nothing was saved."))

    def audit_unit(self, created, updated):
        used = {r.unit_id for r in [*created, *updated]}
        return common_unit(sorted(path for pk, path, _k in self.grid_units.values() if pk in used))


class ResidentImportSpec(ImportSpec):
    def may_open(self, user) -> bool:
        return bool(_manage_index(user))
