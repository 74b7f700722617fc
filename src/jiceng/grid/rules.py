"""The worker rules of seed 004 that are not visits (pure): eligibility (第三条), pay (第二十六、二十七条),
the talent pool's validity (第七条), performance prefill and the grade consequences (第三十三条)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

POOL_VALID_DAYS = 365  # 第七条 储备库人员资格一年内有效


@dataclass(frozen=True)
class Finding:
    level: str  # "refused" or "warning"
    code: str
    text: str


def eligibility(*, area: str, appointment: str, committee_post: str) -> list[Finding]:
    """第三条: who may be a grid's worker. A refusal stops the appointment; a warning is shown."""
    found: list[Finding] = []
    if area == "urban":
        if committee_post != "none" or appointment == "two_committees":
            found.append(Finding("refused", "urban_committee",
                                 "第三条：城市社区网格员不得由“两委”成员兼任，人员不足的向社会公开选聘"))
        elif appointment != "recruited":
            found.append(Finding("warning", "urban_recruited", "第三条：城市社区网格员向社会公开选聘"))
    else:
        if committee_post == "secretary":
            found.append(Finding("refused", "village_secretary",
                                 "第三条：村网格员不得由村党支部书记(村委会主任)兼任"))
        elif appointment != "group_leader":
            found.append(Finding("warning", "village_group_leader",
                                 "第三条：村网格员原则上由村民小组长担任，乡镇可指定其他“两委”成员、村监会或村级配套组织成员兼任"))
    return found


def refused(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.level == "refused"]


@dataclass(frozen=True)
class Pay:
    monthly: Decimal | None
    basis: str
    allowance: Decimal


def monthly_pay(*, area: str, appointment: str, star_level: int, certificate: str, min_wage: Decimal,
                multiple: Decimal, star_subsidies: dict, certificate_allowance: Decimal) -> Pay:
    """第二十六条 (basis) and 第二十七条 (the certificate allowance)."""
    allowance = certificate_allowance if certificate != "none" else Decimal("0")
    if appointment == "two_committees":
        return Pay(None, "第二十六条：“两委”成员兼任，按自治区有关政策规定执行", allowance)
    if area == "urban":
        amount = (min_wage * multiple).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return Pay(amount, f"第二十六条：灵武市最低工资 {min_wage} × {multiple}（含个人缴纳社会保险）", allowance)
    subsidy = star_subsidies.get(str(star_level))
    amount = Decimal(str(subsidy)) if subsidy is not None else None
    return Pay(amount, f"第二十六条：村级网格员按{star_level}星级补贴标准", allowance)


def pool_valid(entered_on: date, today: date) -> bool:
    return (today - entered_on).days < POOL_VALID_DAYS


def half(value: float) -> Decimal:
    """Round to the schemes' step of 0.5."""
    return (Decimal(str(value)) * 2).quantize(Decimal("1"), ROUND_HALF_UP) / 2


# Prefill of the performance part (0-100). The seed leaves the breakdown to a later rule (第三十八条);
# these weights are a local setting, shown on the grading page beside each figure.
PERFORMANCE_WEIGHTS = {"visits": 60, "signed": 20, "attendance": 20}
COMPLAINT_PENALTY = 5


def performance(*, visit_rate: float, signed_rate: float, attendance_rate: float, verified_complaints: int) -> Decimal:
    raw = (PERFORMANCE_WEIGHTS["visits"] * visit_rate + PERFORMANCE_WEIGHTS["signed"] * signed_rate
           + PERFORMANCE_WEIGHTS["attendance"] * attendance_rate - COMPLAINT_PENALTY * verified_complaints)
    return half(max(0.0, min(100.0, raw)))


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_range(period: str) -> tuple[date, date]:
    year, q = period.split("-Q")
    first = (int(q) - 1) * 3 + 1
    start = date(int(year), first, 1)
    end = date(int(year) + 1, 1, 1) if first == 10 else date(int(year), first + 3, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def previous_quarter(period: str) -> str:
    year, q = (int(p) for p in period.split("-Q"))
    return f"{year - 1}-Q4" if q == 1 else f"{year}-Q{q - 1}"
