"""The unit and staff import sheets, declared on core.tabular's one mechanism.

Natural keys: a unit is its code (unique across the tree); a person is their
ID number (through its keyed hash: the stored value is encrypted), so the ID
number is required in the staff sheet. Names repeat and people change units;
the ID number is the one identity that stays.

Scope (core.imports): a row may only name a unit the importer can edit; any
other code, in the tree or not, is the same "unknown unit" (no hint that it
exists). Both kinds are registered in OrgConfig.ready().
`actor=None` is the command line (the whole tree, audited as "system").
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiceng.core import pii
from jiceng.core.imports import UnitScopedImport, common_unit, unit_code, unit_index
from jiceng.core.scoping import EDIT
from jiceng.core.tabular import Column, Importer, bool_column, date_column, enum_column
from jiceng.core.tabular.columns import decimal, id_number, integer, mobile, text
from jiceng.org.capabilities import STRUCTURE

from .models import (
    ALLOWED_CHILDREN,
    Education,
    EmploymentType,
    EstablishmentLevel,
    Gender,
    OfficeType,
    PoliticalStatus,
    Post,
    Staff,
    Unit,
    UnitKind,
)
from .services import UNIT_FACT_FIELDS, identity_changes_refused

_LOOKUP_CHUNK = 900  # below SQLite's bound-parameter limit on old builds


class StaffImport(UnitScopedImport):
    """Staff rows; one person per ID number."""

    model = Staff
    kind = "staff"
    sheet_name = "人员"
    natural_key = ("id_number",)
    columns = [
        Column("单位编码", "unit_id", parse=unit_code("edit_units"), required=True, example="331002S01",
               note=gettext_lazy("The code of the unit the person works in.")),
        Column("姓名", "name", parse=text(50), required=True, example="张三", width=10),
        enum_column("性别", "gender", Gender, required=True, example=Gender.MALE, width=8),
        Column("身份证号", "id_number", parse=id_number(), required=True, example="11010519491231002X", width=22,
               note=gettext_lazy("18 characters; the last may be X. Identifies the person: re-importing updates.")),
        date_column("出生日期", "birth_date", example=date(1949, 12, 31),
                    note=gettext_lazy("Left empty, it is taken from the ID number.")),
        enum_column("学历", "education", Education, required=True, example=Education.BACHELOR),
        enum_column("政治面貌", "political_status", PoliticalStatus, default=PoliticalStatus.MASSES, example=PoliticalStatus.CPC_MEMBER),
        enum_column("用工类型", "employment_type", EmploymentType, required=True, example=EmploymentType.ON_ESTABLISHMENT),
        Column("编制所在单位编码", "establishment_unit_id", parse=unit_code("view_units"), example="331002S01", width=16,
               note=gettext_lazy("Only when the person occupies a post of another unit's establishment.")),
        enum_column("岗位", "post", Post, required=True, example=Post.HEAD),
        date_column("任职时间", "post_start", example=date(2018, 3, 1)),
        Column("手机号", "phone", parse=mobile(), default="", example="13812345678", width=14),
        bool_column("在岗", "active", default=True, example="是"),
    ]

    def clean_row(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        born = pii.birth_date_of(values["id_number"])
        if values["birth_date"] is None:
            values["birth_date"] = born
        elif values["birth_date"] != born:
            return [("birth_date", _("Does not match the birth date in the ID number (%(date)s).") % {"date": born.isoformat()})]
        return []

    def fetch_existing(self, keys: list[tuple]) -> dict[tuple, Staff]:
        by_hash = {pii.lookup_hash(key[0]): key for key in keys}
        hashes = list(by_hash)
        found: dict[tuple, Staff] = {}
        # The ID number is the key itself and never changes here: left encrypted, not decrypted 100,000 times.
        existing = Staff.objects.defer("id_number").order_by("pk")
        for start in range(0, len(hashes), _LOOKUP_CHUNK):
            for staff in existing.filter(id_number_hash__in=hashes[start : start + _LOOKUP_CHUNK]):
                found.setdefault(by_hash[staff.id_number_hash], staff)
        return found

    def duplicate_message(self) -> str:
        return _("This ID number is already registered in a unit you cannot edit.")


def _blank_as_stored(instance, changes: dict[str, Any]) -> dict[str, Any]:
    """An empty cell and an empty stored value ('' or None) are the same fact, not a change."""
    return {
        name: value
        for name, value in changes.items()
        if not (value in (None, "") and getattr(instance, name) in (None, ""))
    }


class UnitImport(Importer):
    """Unit rows; a unit is its code. New units are placed under their parent's code."""

    model = Unit
    kind = "units"
    sheet_name = "单位"
    natural_key = ("code",)
    columns = [
        Column("单位编码", "code", parse=text(32), required=True, example="331002S09"),
        Column("单位名称", "name", parse=text(100), required=True, example="示例镇中心所", width=20),
        enum_column("单位类型", "kind", UnitKind, required=True, example=UnitKind.OFFICE),
        Column("上级单位编码", "parent_code", parse=text(32), default="", example="331002",
               note=gettext_lazy("Required for a new unit; an existing unit cannot be moved by import.")),
        enum_column("所类型", "office_type", OfficeType, default="", example=OfficeType.CENTRAL),
        enum_column("机构规格", "establishment_level", EstablishmentLevel, default="", example=EstablishmentLevel.SECTION_CHIEF),
        Column("核定编制数", "authorised_posts", parse=integer(0, 10000), example=8),
        Column("办公用房面积（平方米）", "floor_area", parse=decimal(1, 8), example=120, width=18),
        bool_column("会议室", "has_meeting_room", default=False, example="是"),
        bool_column("信访接待室", "has_petition_room", default=False, example="是"),
        Column("车辆数", "vehicles", parse=integer(0, 1000), default=0, example=1, width=8),
        bool_column("复印机", "has_copier", default=False, example="是"),
        bool_column("传真机", "has_fax", default=False, example="是"),
        bool_column("照相机", "has_camera", default=False, example="是"),
        Column("电脑数", "computers", parse=integer(0, 10000), default=0, example=8, width=8),
        bool_column("联网", "networked", default=False, example="是"),
        Column("地址", "address", parse=text(200), default="", example="示例镇人民路1号", width=24),
        Column("电话", "phone", parse=text(32), default="", example="0576-88123456"),
    ]

    def prepare(self) -> None:
        self.edit_units = unit_index(self.actor, EDIT)

    def updatable_fields(self, values):
        return [name for name in UNIT_FACT_FIELDS if name in values]

    def build(self, values: dict[str, Any]) -> Unit:
        unit = Unit(**{k: v for k, v in values.items() if k != "parent_code"})
        unit.parent_code = values["parent_code"]
        return unit

    def fetch_existing(self, keys: list[tuple]) -> dict[tuple, Unit]:
        codes = [key[0] for key in keys]
        found: dict[tuple, Unit] = {}
        for start in range(0, len(codes), _LOOKUP_CHUNK):
            for unit in Unit.objects.filter(code__in=codes[start : start + _LOOKUP_CHUNK]):
                found[(unit.code,)] = unit
        # Each unit's current parent code, to refuse a move; read unscoped, never shown.
        parent_paths = {unit.path[: -Unit.steplen] for unit in found.values() if unit.depth > 1}
        parent_codes = dict(Unit.objects.filter(path__in=parent_paths).values_list("path", "code"))
        for unit in found.values():
            unit.parent_code = parent_codes.get(unit.path[: -Unit.steplen], "")
        return found

    def may_update(self, instance: Unit) -> bool:
        return instance.code in self.edit_units

    def duplicate_message(self) -> str:
        return _("This code is already used by a unit you cannot edit.")

    def row_conflicts(self, instance: Unit, values: dict[str, Any]) -> list[tuple[str, str]]:
        problems = []
        if values["kind"] != instance.kind:
            problems.append(("kind", _("The kind of an existing unit cannot be changed by import.")))
        if values["parent_code"] and values["parent_code"] != instance.parent_code:
            problems.append(("parent_code", _("An existing unit cannot be moved by import.")))
        # The same rule as the form: only the city changes a unit's name, type, level and posts.
        changes = {name: values[name] for name in self.updatable_fields(values)}
        problems.extend(identity_changes_refused(self.actor, instance, _blank_as_stored(instance, changes)).items())
        return problems

    def validate_creates(self, creates):
        """Parents exist (in scope, or new in this file, in any order) and allow the new kind."""
        new_by_code = {unit.code: (item, unit) for item, unit in creates}
        failures = []
        for item, unit in creates:
            problems = []
            if self.actor is not None and not self.actor.has_capability(STRUCTURE):
                problems.append(("code", _("Your role does not allow creating units.")))
            parent_code = unit.parent_code
            if not parent_code:
                if self.actor is not None or unit.kind != UnitKind.CITY:
                    problems.append(("parent_code", _("A new unit needs the code of its parent unit.")))
            else:
                parent_kind = (
                    self.edit_units[parent_code][2]
                    if parent_code in self.edit_units
                    else new_by_code[parent_code][1].kind
                    if parent_code in new_by_code
                    else None
                )
                if parent_kind is None:
                    problems.append(("parent_code", _("Unknown unit code %(code)s.") % {"code": parent_code}))
                elif unit.kind not in ALLOWED_CHILDREN.get(parent_kind, set()):
                    problems.append(
                        (
                            "kind",
                            _("A %(child)s cannot be placed under a %(parent)s.")
                            % {"child": UnitKind(unit.kind).label, "parent": UnitKind(parent_kind).label},
                        )
                    )
            if not problems and self._in_a_circle(unit, new_by_code):
                problems.append(("parent_code", _("The parent codes of the new units go round in a circle.")))
            if problems:
                failures.append((item, problems))
        return failures

    @staticmethod
    def _in_a_circle(unit: Unit, new_by_code) -> bool:
        seen = {unit.code}
        code = unit.parent_code
        while code in new_by_code:
            if code in seen:
                return True
            seen.add(code)
            code = new_by_code[code][1].parent_code
        return False

    def create_all(self, instances: list[Unit]) -> None:
        # Parents before children (the tree's paths are given by treebeard one node at a time);
        # units are few, so one insert each is fine.
        placed: dict[str, Unit] = {}
        existing_parents = {
            unit.code: unit
            for unit in Unit.objects.filter(code__in={u.parent_code for u in instances if u.parent_code})
        }
        pending = list(instances)
        while pending:
            progressed: set[int] = set()
            for unit in pending:
                parent = placed.get(unit.parent_code) or existing_parents.get(unit.parent_code)
                if unit.parent_code and parent is None:
                    continue
                unit.full_clean(exclude=["path", "depth", "numchild", "code"])
                saved = Unit.objects.add_child(parent, instance=unit) if parent else Unit.objects.add_root(instance=unit)
                placed[unit.code] = saved
                progressed.add(id(unit))
            if not progressed:  # validate_creates refuses circles; this only guards the loop
                raise ValidationError(_("The parent codes of the new units go round in a circle."))
            pending = [unit for unit in pending if id(unit) not in progressed]

    def audit_unit(self, created, updated):
        return common_unit(sorted(unit.path for unit in [*created, *updated]))
