"""The indicators metrics declares itself: the office standards card's figures (org.standards, seed 000 附件1).

Snapshots (no date field): the staff and facilities as they are, kept by year for the year holding today.
Only offices and their active staff count, as on the card; a county's figure is the ratio of its offices' sums.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import indicators as m

QUALIFIED_EDUCATION = ("postgraduate", "bachelor", "junior_college")  # org.standards.QUALIFIED_EDUCATION
OFFICE_STAFF = Q(active=True, unit__kind="office")


def declare() -> None:
    common = dict(app="metrics", grain=m.YEAR, model="org.Staff", unit_field="unit", date_field=None)
    m.register(m.Indicator(
        id="org.staff_count", name=_("Office staff"), unit=m.COUNT, numerator=m.Count(filter=OFFICE_STAFF),
        source="000 附件1 项目一 1", **common))
    m.register(m.Indicator(
        id="org.educated_share", name=_("Staff with junior college (大专) or above"), unit=m.PERCENT,
        numerator=m.Count(filter=OFFICE_STAFF & Q(education__in=QUALIFIED_EDUCATION)),
        denominator=m.Count(filter=OFFICE_STAFF), factor=100, target=60, source="000 附件1 项目一 2", **common))
    m.register(m.Indicator(
        id="org.area_per_person", name=_("Office floor area per person"), unit=m.M2_PER_PERSON,
        numerator=m.Sum("floor_area", Q(kind="office"), model="org.Unit", unit_field=""),
        denominator=m.Count(filter=OFFICE_STAFF), target=6, source="000 附件1 项目二 1", **common))
    m.register(m.Indicator(
        id="org.computers_per_person", name=_("Computers per person"), unit=m.PER_PERSON,
        numerator=m.Sum("computers", Q(kind="office"), model="org.Unit", unit_field=""),
        denominator=m.Count(filter=OFFICE_STAFF), target=1, source="000 附件1 项目二 2", **common))
