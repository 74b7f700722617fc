"""What the audit trail exports: the list's records with its filters, for holders of the audit capability."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from jiceng.core.capabilities import READ_AUDIT

from .audit_chain import head_text
from .tabular import Column
from .tabular.exporting import ExportSpec, register_export


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


AUDIT_COLUMNS = [
    Column("序号", "seq", export=lambda e: e.seq, width=8),
    Column("时间", "created_at", export=lambda e: e.created_at, width=20, is_date=True),
    Column("事件", "event_type", export=lambda e: str(e.get_event_type_display()), width=14),
    Column("结果", "outcome", export=lambda e: str(e.get_outcome_display()), width=8),
    Column("操作人", "actor_name", export=lambda e: e.actor_name, width=16),
    Column("地址", "ip", export=lambda e: e.ip or "", width=15),
    Column("单位", "unit_name", export=lambda e: e.unit_name, width=20),
    Column("对象", "object_repr", export=lambda e: e.object_repr, width=20),
    Column("变更前", "before", export=lambda e: _json(e.before), width=40),
    Column("变更后", "after", export=lambda e: _json(e.after), width=40),
    Column("原因", "reason", export=lambda e: e.reason, width=24),
    Column("详情", "details", export=lambda e: _json(e.details), width=40),
]


@register_export("audit")
def build_audit_export(user, filters: dict) -> ExportSpec:
    """The audit list as filtered; the capability is checked again here, as a background job runs later."""
    from .views import audit_events_matching

    if not user.has_capability(READ_AUDIT):
        raise PermissionDenied
    return ExportSpec(
        title="审计记录",
        sheet_name="审计记录",
        columns=AUDIT_COLUMNS,
        queryset=audit_events_matching(filters),
        # The signed chain heads when the file is written: `jiceng audit verify-head`
        # later shows whether the database still holds the trail the report was drawn from.
        note=_("chain heads: %(heads)s") % {"heads": head_text()},
    )
