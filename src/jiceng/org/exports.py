"""What the staff list and the unit tree export: Chinese headers, personal data masked.

The unit export uses the unit import's columns, so an exported file can be
edited and imported back to update the units' facts. The staff export masks
ID numbers and phones, so it cannot (by design) be imported back.

Both are registered exports (core/tabular/exporting.py): the builders take
the user and the list's filters and go through the same scoped selectors as
the list pages, so a large export running later in the task worker rebuilds
its query from them, scoped to the user as they are then. Each names the
subtrees it reads (`scope`): a finished file is handed over only while its
owner still sees them.
"""

from __future__ import annotations

from django.db.models import Count, Q

from jiceng.core.pii import mask_id_number, mask_phone
from jiceng.core.scoping import VIEW
from jiceng.core.tabular import Column, date_column
from jiceng.core.tabular.columns import NO, YES
from jiceng.core.tabular.exporting import ExportSpec, export_response, register_export

from . import selectors
from .importers import UnitImport
from .models import Unit


def _yes_no(value: bool) -> str:
    return YES if value else NO


STAFF_COLUMNS = [
    Column("单位编码", "unit", export=lambda s: s.unit.code, width=12),
    Column("单位名称", "unit_name", export=lambda s: s.unit.name, width=20),
    Column("姓名", "name", export=lambda s: s.name, width=10),
    Column("性别", "gender", export=lambda s: str(s.get_gender_display()), width=6),
    Column("身份证号", "id_number", export=lambda s: mask_id_number(s.id_number), width=22),
    date_column("出生日期", "birth_date", export=lambda s: s.birth_date),
    Column("学历", "education", export=lambda s: str(s.get_education_display()), width=16),
    Column("政治面貌", "political_status", export=lambda s: str(s.get_political_status_display()), width=14),
    Column("用工类型", "employment_type", export=lambda s: str(s.get_employment_type_display()), width=14),
    Column(
        "编制所在单位",
        "establishment_unit",
        export=lambda s: s.establishment_unit.name if s.establishment_unit_id else "",
        width=20,
    ),
    Column("岗位", "post", export=lambda s: str(s.get_post_display()), width=12),
    date_column("任职时间", "post_start", export=lambda s: s.post_start),
    Column("手机号", "phone", export=lambda s: mask_phone(s.phone), width=14),
    Column("在岗", "active", export=lambda s: _yes_no(s.active), width=6),
]


@register_export("staff")
def build_staff_export(user, filters: dict) -> ExportSpec:
    """The staff list as shown (same selector, same filters), one row per person."""
    return ExportSpec(
        title="人员名单",
        sheet_name="人员",
        columns=STAFF_COLUMNS,
        queryset=selectors.staff_list(user, filters=filters),
        scope=user.scope_paths(VIEW),
    )


def staff_export(request, filters: dict):
    return export_response(request, kind="staff", filters=filters)


_UNIT_EXPORT = {
    "code": lambda u, parents: u.code,
    "name": lambda u, parents: u.name,
    "kind": lambda u, parents: str(u.get_kind_display()),
    "parent_code": lambda u, parents: parents.get(u.path[: -Unit.steplen], ""),
    "office_type": lambda u, parents: str(u.get_office_type_display()) if u.office_type else "",
    "establishment_level": lambda u, parents: str(u.get_establishment_level_display()) if u.establishment_level else "",
}
UNIT_COLUMNS = [*UnitImport.columns, Column("在岗人数", "staff_count", width=10)]


def _unit_cell(unit: Unit, column: Column, parents: dict[str, str]):
    if column.field in _UNIT_EXPORT:
        return _UNIT_EXPORT[column.field](unit, parents)
    value = getattr(unit, column.field)
    return _yes_no(value) if isinstance(value, bool) else value


@register_export("units")
def build_unit_export(user, filters: dict) -> ExportSpec:
    """Every unit the user can see, in tree order, with its facts and the number of active staff."""
    units = Unit.objects.visible_to(user).annotate(staff_count=Count("staff", filter=Q(staff__active=True))).order_by("path")
    parents: dict[str, str] = {}

    def row_of(unit: Unit) -> list:
        if not parents:
            # Read once, when the first row is written (not when a large export is only being queued).
            # A parent outside the user's view stays blank: its code is not theirs to see.
            parents.update(Unit.objects.visible_to(user).values_list("path", "code"))
        return [_unit_cell(unit, column, parents) for column in UNIT_COLUMNS]

    return ExportSpec(
        title="单位名录",
        sheet_name=UnitImport.sheet_name,
        columns=UNIT_COLUMNS,
        queryset=units,
        row_of=row_of,
        scope=user.scope_paths(VIEW),
    )


def unit_export(request):
    return export_response(request, kind="units")
