"""The office standards card: staffing and facility rules of the seeds, computed from data.

Pure Python (no Django) so the rules can be tested on plain values. Labels
and rules are English message ids marked with `gettext_noop`; the view
translates them (zh-hans by default) and fills in the parameters.

Sources:
- seed 000 (台州 基层所规范化建设指导意见 三、工作目标 and 附件1):
  staff ≥ 5 for a central office, ≥ 3 for a township office (附件1 项目一 1);
  ≥ 60 % of staff with junior college (大专) or above, 100 % of heads and
  deputies (附件1 项目一 2); ≥ 6 m² of office floor area per person and a
  meeting room and petition reception room (附件1 项目二 1); copier, fax,
  camera and a vehicle, one computer per person networked to the county
  (附件1 项目二 2).
- seed 003 (无锡 调研报告): the share of staff on establishment and in post
  (在编在岗), reported at 46 % and 54 % for two offices; the seed sets no
  threshold, so the card shows it for information only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

PASS = "pass"
FAIL = "fail"
INFO = "info"

CENTRAL = "central"
TOWNSHIP = "township"

QUALIFIED_EDUCATION = frozenset({"postgraduate", "bachelor", "junior_college"})
LEADING_POSTS = frozenset({"head", "deputy_head"})
ON_ESTABLISHMENT = "on_establishment"

MIN_STAFF = {CENTRAL: 5, TOWNSHIP: 3}
MIN_EDUCATED_SHARE = Fraction(60, 100)
MIN_AREA_PER_PERSON = Decimal(6)


def gettext_noop(message: str) -> str:
    """Marks a message id for extraction (makemessages) without translating it here."""
    return message


@dataclass(frozen=True)
class StaffFacts:
    education: str
    post: str
    employment_type: str


@dataclass(frozen=True)
class OfficeFacts:
    office_type: str
    staff: Sequence[StaffFacts]
    floor_area: Decimal | None = None
    has_meeting_room: bool = False
    has_petition_room: bool = False
    vehicles: int = 0
    has_copier: bool = False
    has_fax: bool = False
    has_camera: bool = False
    computers: int = 0
    networked: bool = False


@dataclass(frozen=True)
class StandardLine:
    key: str
    label: str
    figure: str
    rule: str
    source: str
    status: str
    params: dict = field(default_factory=dict)


def _percent(part: int, whole: int) -> str:
    if whole == 0:
        return "—"
    return f"{round(Fraction(part, whole) * 100)}%"


def _status(ok: bool) -> str:
    return PASS if ok else FAIL


def standards_card(facts: OfficeFacts) -> list[StandardLine]:
    """Every line of the card, in the order of the seed's rubric."""
    return [
        _staff_count(facts),
        _education_share(facts),
        _leaders_education(facts),
        _area_per_person(facts),
        _rooms(facts),
        _equipment(facts),
        _computers(facts),
        _on_establishment_share(facts),
    ]


def _staff_count(facts: OfficeFacts) -> StandardLine:
    minimum = MIN_STAFF.get(facts.office_type, MIN_STAFF[TOWNSHIP])
    count = len(facts.staff)
    rule = (
        gettext_noop("At least %(min)s staff for a central office")
        if facts.office_type == CENTRAL
        else gettext_noop("At least %(min)s staff for a township office")
    )
    return StandardLine(
        key="staff_count",
        label=gettext_noop("Staff"),
        figure=str(count),
        rule=rule,
        params={"min": minimum},
        source="000 附件1 项目一 1",
        status=_status(count >= minimum),
    )


def _education_share(facts: OfficeFacts) -> StandardLine:
    total = len(facts.staff)
    educated = sum(1 for s in facts.staff if s.education in QUALIFIED_EDUCATION)
    ok = total > 0 and Fraction(educated, total) >= MIN_EDUCATED_SHARE
    return StandardLine(
        key="education_share",
        label=gettext_noop("Staff with junior college or above"),
        figure=f"{educated}/{total} ({_percent(educated, total)})",
        rule=gettext_noop("At least %(share)s%% of staff"),
        params={"share": 60},
        source="000 附件1 项目一 2",
        status=_status(ok),
    )


def _leaders_education(facts: OfficeFacts) -> StandardLine:
    leaders = [s for s in facts.staff if s.post in LEADING_POSTS]
    educated = sum(1 for s in leaders if s.education in QUALIFIED_EDUCATION)
    ok = bool(leaders) and educated == len(leaders)
    return StandardLine(
        key="leaders_education",
        label=gettext_noop("Heads and deputies with junior college or above"),
        figure=f"{educated}/{len(leaders)}",
        rule=gettext_noop("All heads and deputies (and the office has a head)"),
        source="000 附件1 项目一 2",
        status=_status(ok),
    )


def _area_per_person(facts: OfficeFacts) -> StandardLine:
    count = len(facts.staff)
    if facts.floor_area is None or count == 0:
        figure, ok = "—", False
    else:
        per_person = Decimal(facts.floor_area) / count
        figure, ok = f"{per_person.quantize(Decimal('0.1'))} m²", per_person >= MIN_AREA_PER_PERSON
    return StandardLine(
        key="area_per_person",
        label=gettext_noop("Office floor area per person"),
        figure=figure,
        rule=gettext_noop("At least %(min)s m² per person"),
        params={"min": MIN_AREA_PER_PERSON},
        source="000 附件1 项目二 1",
        status=_status(ok),
    )


def _rooms(facts: OfficeFacts) -> StandardLine:
    have = [facts.has_meeting_room, facts.has_petition_room]
    return StandardLine(
        key="rooms",
        label=gettext_noop("Meeting room and petition reception room"),
        figure=f"{sum(have)}/2",
        rule=gettext_noop("Both rooms present"),
        source="000 附件1 项目二 1",
        status=_status(all(have)),
    )


def _equipment(facts: OfficeFacts) -> StandardLine:
    have = [facts.vehicles > 0, facts.has_copier, facts.has_fax, facts.has_camera]
    return StandardLine(
        key="equipment",
        label=gettext_noop("Vehicle, copier, fax and camera"),
        figure=f"{sum(have)}/4",
        rule=gettext_noop("A work vehicle, a copier, a fax and a digital camera"),
        source="000 附件1 项目二 2",
        status=_status(all(have)),
    )


def _computers(facts: OfficeFacts) -> StandardLine:
    count = len(facts.staff)
    ok = count > 0 and facts.computers >= count and facts.networked
    return StandardLine(
        key="computers",
        label=gettext_noop("Computers per person, networked to the county"),
        figure=f"{facts.computers}/{count}",
        rule=gettext_noop("One computer per person and a network link to the county bureau"),
        source="000 附件1 项目二 2",
        status=_status(ok),
    )


def _on_establishment_share(facts: OfficeFacts) -> StandardLine:
    total = len(facts.staff)
    on = sum(1 for s in facts.staff if s.employment_type == ON_ESTABLISHMENT)
    return StandardLine(
        key="on_establishment_share",
        label=gettext_noop("Staff on establishment and in post"),
        figure=f"{on}/{total} ({_percent(on, total)})",
        rule=gettext_noop("For information: the seeds set no threshold (seed 003 reports 46% and 54%)"),
        source="003",
        status=INFO,
    )
