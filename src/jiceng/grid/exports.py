"""The resident register's export: masked, scoped, sensitive categories only with grid.sensitive, audited by
core's export pipeline (which writes the exporter's name and time into the file and the audit trail)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from jiceng.core.pii import mask_id_number, mask_phone
from jiceng.core.scoping import subtree_paths
from jiceng.core.tabular import Column
from jiceng.core.tabular.exporting import ExportSpec, register_export

from . import selectors
from .capabilities import EXPORT
from .models import Category

LABELS = dict(Category.choices)

COLUMNS = [
    Column("网格编码", "unit", export=lambda r: r.unit.code, width=12),
    Column("网格", "unit_name", export=lambda r: r.unit.name, width=16),
    Column("户址", "address", export=lambda r: r.household.address, width=22),
    Column("姓名", "name", export=lambda r: r.name, width=10),
    Column("身份证号", "id_number", export=lambda r: mask_id_number(r.id_number), width=22),
    Column("手机号", "phone", export=lambda r: mask_phone(r.phone), width=14),
    Column("类别", "categories", export=lambda r: "、".join(str(LABELS[c.category]) for c in r.categories.all()),
           width=24),
]


@register_export("grid_residents_list")
def build(user, filters) -> ExportSpec:
    if not user.has_capability(EXPORT):
        raise PermissionDenied
    qs = (selectors.residents(user).filter(pk__in=selectors.residents(user, EXPORT).values("pk"))
          .select_related("unit", "household").prefetch_related("categories").order_by("unit__code", "pk"))
    return ExportSpec(title="网格居民名册", sheet_name="居民", columns=COLUMNS, queryset=qs,
                      scope=subtree_paths(user, EXPORT))
