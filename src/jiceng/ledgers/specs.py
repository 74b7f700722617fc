"""Each office ledger declared once: its model, fields (with the sheet's Chinese headers), filters, workflow,
deadline and natural key. The pages, the list and its xlsx export, and the import are built from it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import deadlines, workflows
from .models import (
    DutyReport,
    DutyRoster,
    Filing,
    HazardPatrol,
    HazardPoint,
    HousingApproval,
    LandSupervision,
    Petition,
)


@dataclass(frozen=True)
class Spec:
    kind: str
    model: type[models.Model]
    label: Any
    fields: tuple[tuple[str, str], ...]  # (model field, Chinese header) in form and sheet order
    filters: tuple[str, ...] = ()  # fields to filter on (choices and booleans)
    date_field: str = ""  # the date a period filter applies to
    natural_key: tuple[str, ...] = ()  # besides the unit: what makes a row the same row in an import
    workflow: Any = None
    rule: Any = None  # the deadline rule started on `opened_on`
    field_work: bool = False  # a phone page
    sheet: str = ""  # the Chinese sheet name of the export and the import

    @property
    def is_ledger_row(self) -> bool:
        return hasattr(self.model, "open_states") and hasattr(self.model, "deadline_data")

    @property
    def list_url(self) -> str:
        from django.urls import reverse

        return reverse(f"ledgers:{self.kind}_list")

    @property
    def create_url(self) -> str:
        from django.urls import reverse

        return reverse(f"ledgers:{self.kind}_create")

    @property
    def import_url(self) -> str:
        from django.urls import reverse

        return reverse(f"ledgers:import_ledgers_{self.kind}")

    def field(self, name: str) -> models.Field:
        return self.model._meta.get_field(name)


SPECS: dict[str, Spec] = {}


def register(spec: Spec) -> Spec:
    SPECS[spec.kind] = spec
    return spec


def get(kind: str) -> Spec:
    return SPECS[kind]


register(Spec(
    sheet="信访台账", kind="petitions", model=Petition, label=_("Petitions"),
    fields=(("number", "编号"), ("opened_on", "登记日期"), ("channel", "来源渠道"), ("superior_assigned", "上级交办"),
            ("category", "类别"), ("petitioner", "信访人"), ("subject", "信访事项")),
    filters=("state", "channel", "category", "superior_assigned"), date_field="opened_on", natural_key=("number",),
    workflow=workflows.PETITION, rule=deadlines.PETITION,
))
register(Spec(
    sheet="值班台账", kind="duty", model=DutyRoster, label=_("Duty roster and logs"),
    fields=(("kind", "值班类型"), ("duty_date", "值班日期"), ("leader", "带班领导"), ("staff", "值班人员"),
            ("phone", "值班电话"), ("log", "值班记录")),
    filters=("kind",), date_field="duty_date", natural_key=("kind", "duty_date"),
))
register(Spec(
    sheet="速报与重大事项报告", kind="reports", model=DutyReport, label=_("Urgent and major-matter reports"),
    fields=(("kind", "报告类型"), ("occurred_at", "发生时间"), ("reported_at", "报告时间"), ("reported_to", "报告对象"),
            ("subject", "事项"), ("content", "内容")),
    filters=("kind",),
))
register(Spec(
    sheet="地质灾害隐患点", kind="hazards", model=HazardPoint, label=_("Geohazard points"),
    fields=(("code", "编号"), ("name", "名称"), ("hazard_type", "类型"), ("location", "位置(GeoJSON)"),
            ("households", "威胁户数"), ("people", "威胁人数"), ("monitor", "监测人"), ("monitor_phone", "监测人电话"),
            ("active", "仍为隐患")),
    filters=("hazard_type", "active"), natural_key=("code",), field_work=True,
))
register(Spec(
    sheet="汛期地质灾害巡查", kind="hazard_patrols", model=HazardPatrol, label=_("Flood-season hazard patrols"),
    fields=(("point", "隐患点"), ("patrol_date", "巡查日期"), ("inspector", "巡查人"), ("status", "状态"), ("notes", "情况")),
    filters=("status",), date_field="patrol_date", field_work=True,
))
register(Spec(
    sheet="个人建房审批", kind="housing", model=HousingApproval, label=_("House-building applications"),
    fields=(("opened_on", "申请日期"), ("applicant", "申请人"), ("village", "村组"), ("site", "建房地点"),
            ("land_area", "用地面积(㎡)"), ("floor_area", "建筑面积(㎡)")),
    filters=("state",), date_field="opened_on", natural_key=("applicant", "opened_on"), workflow=workflows.HOUSING,
))
register(Spec(
    sheet="建设用地批后监管", kind="land", model=LandSupervision, label=_("Construction-land supervision"),
    fields=(("parcel", "地块"), ("holder", "用地单位"), ("contract_on", "合同签订日期"), ("agreed_start", "约定开工日期"),
            ("info_published_on", "信息公示日期"), ("start_declared_on", "开工申报日期"),
            ("completion_accepted_on", "竣工验收日期"), ("idle", "闲置土地"), ("notes", "备注")),
    filters=("idle",), natural_key=("parcel",),
))
register(Spec(
    sheet="报件备案", kind="filings", model=Filing, label=_("Filings"),
    fields=(("opened_on", "收件日期"), ("title", "名称"), ("filing_type", "类型"), ("submitted_by", "报件单位/人")),
    filters=("state",), date_field="opened_on", natural_key=("title", "opened_on"), workflow=workflows.FILING,
    rule=deadlines.FILING,
))
