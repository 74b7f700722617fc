"""What the staff list and the unit tree export: Chinese headers, personal data masked.

The unit export uses the unit import's columns, so an exported file can be
edited and imported back to update the units' facts. The staff export masks
ID numbers and phones, so it cannot (by design) be imported back.

Both are list pages of core.lists (the page shows exactly the exported columns)
and registered exports (core/tabular/exporting.py): the builders take
the user and the list's filters and go through the same scoped selectors as
the list pages, so a large export running later in the task worker rebuilds
its query from them, scoped to the user as they are then. Each names the
subtrees it reads (`scope`): a finished file is handed over only while its
owner still sees them.
"""

from __future__ import annotations

from django.urls import reverse

from jiceng.core.capabilities import VIEW
from jiceng.core.lists import ListColumn, Listing, register_listing
from jiceng.core.pii import mask_id_number, mask_phone
from jiceng.core.scoping import subtree_paths
from jiceng.core.tabular import Column, date_column
from jiceng.core.tabular.columns import NO, YES
from jiceng.core.tabular.exporting import export_response

from . import selectors
from .forms import StaffFilterForm, UnitFilterForm
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


# The staff list page and its export (core.lists): the page shows exactly these columns.
STAFF_SORTS = {
    "unit": ("unit__code",), "unit_name": ("unit__name",), "name": ("name",), "gender": ("gender",),
    "birth_date": ("birth_date",), "education": ("education",), "political_status": ("political_status",),
    "employment_type": ("employment_type",), "establishment_unit": ("establishment_unit__name",),
    "post": ("post",), "post_start": ("post_start",), "active": ("active",),
}


def _staff_link(staff) -> str:
    return reverse("org:staff_detail", args=[staff.pk])


STAFF_LIST = register_listing(Listing(
    kind="staff",
    title="人员名单",
    sheet_name="人员",
    columns=[ListColumn(c, sort=STAFF_SORTS.get(c.field), link=_staff_link if c.field == "name" else None)
             for c in STAFF_COLUMNS],
    rows=lambda user, filters: selectors.staff_list(user, filters=filters),
    filter_form=StaffFilterForm,
    scope=lambda user: subtree_paths(user, VIEW),
))
build_staff_export = STAFF_LIST.export_spec


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


def _unit_row_of(user):
    parents: dict[str, str] = {}

    def row_of(unit: Unit) -> list:
        if not parents:
            # Read once, when the first row is written (not when a large export is only being queued).
            # A parent outside the user's view stays blank: its code is not theirs to see.
            parents.update(Unit.objects.restrict(user, VIEW).values_list("path", "code"))
        return [_unit_cell(unit, column, parents) for column in UNIT_COLUMNS]

    return row_of


def _unit_link(unit) -> str:
    return reverse("org:unit_detail", args=[unit.pk])


UNIT_SORTS = {"code": ("code",), "name": ("name",), "kind": ("kind",), "parent_code": ("path",),
              "office_type": ("office_type",), "authorised_posts": ("authorised_posts",),
              "floor_area": ("floor_area",), "vehicles": ("vehicles",), "computers": ("computers",),
              "staff_count": ("staff_count",)}

# The unit register (单位名录), as the list view of the unit page and its export: every unit the user can see,
# in tree order, with its facts and the number of active staff; the columns are the unit import's, so an
# exported file can be edited and imported back.
UNIT_LIST = register_listing(Listing(
    kind="units",
    title="单位名录",
    sheet_name=UnitImport.sheet_name,
    columns=[ListColumn(c, sort=UNIT_SORTS.get(c.field), link=_unit_link if c.field == "name" else None)
             for c in UNIT_COLUMNS],
    rows=lambda user, filters: selectors.unit_list(user, filters=filters),
    filter_form=UnitFilterForm,
    row_of_for=_unit_row_of,
    scope=lambda user: subtree_paths(user, VIEW),
))
build_unit_export = UNIT_LIST.export_spec


def unit_export(request, filters: dict | None = None):
    return export_response(request, kind="units", filters=filters)
