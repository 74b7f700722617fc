"""From stored marks to the rubric engine's marks sheet, for each level and for the final result."""

from __future__ import annotations

from decimal import Decimal

from jiceng.rubrics import CompiledScheme

from .models import Decision, Level

# Whose marks count, highest first, when asking for a level's view.
CHAIN = {
    Level.SELF: (Level.SELF,),
    Level.COUNTY: (Level.COUNTY,),
    Level.CITY: (Level.CITY, Level.COUNTY),
}


def number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def scores_by_level(marks) -> dict[str, dict[str, Decimal | None]]:
    """{level: {item_id: score}} from ItemMark rows."""
    out: dict[str, dict[str, Decimal | None]] = {level: {} for level in Level.values}
    for mark in marks:
        out[mark.level][mark.item_id] = mark.score
    return out


def level_rates(marks, level: str) -> dict[str, float]:
    """The rate (numerator / denominator) behind each item's score as seen at `level`, where one was given."""
    merged: dict[str, float] = {}
    for source in reversed(CHAIN[level]):
        for mark in marks:
            if mark.level != source or mark.score is None:
                continue
            if mark.numerator is not None and mark.denominator:
                merged[mark.item_id] = mark.numerator / mark.denominator
            else:
                merged.pop(mark.item_id, None)
    return merged


def no_duty_items(claims, level: str) -> set[str]:
    """Items counted as no-duty at a level: claimed (self), approved by the county, or finally approved."""
    if level == Level.SELF:
        return {c.item_id for c in claims}
    if level == Level.COUNTY:
        return {c.item_id for c in claims if c.county_decision == Decision.APPROVED}
    return {c.item_id for c in claims if c.decision == Decision.APPROVED}


def level_scores(by_level, level: str) -> dict[str, Decimal]:
    """The score of each item as seen at `level` (the city's view falls back to the county's)."""
    merged: dict[str, Decimal] = {}
    for source in reversed(CHAIN[level]):
        for item_id, score in by_level.get(source, {}).items():
            if score is not None:
                merged[item_id] = score
    return merged


def sheet(
    cs: CompiledScheme,
    scores: dict[str, Decimal],
    na: set[str],
    *,
    bonuses: list[str] = (),
    vetoes: list[str] = (),
    flags: list[str] = (),
    rates: dict[str, float] | None = None,
) -> dict:
    """The engine's marks dict: {"items": {...}, "bonuses": [...], "vetoes": [...], "flags": [...]}.

    An item marked with a rate goes to the engine as {"metric": rate}, so the engine scores it and says why.
    """
    items: dict[str, object] = {}
    rates = rates or {}
    for i, item_id in enumerate(cs.ids):
        if item_id in na:
            items[item_id] = {"na": True}
        elif item_id in rates and item_id in scores:
            items[item_id] = {"metric": rates[item_id]}
        elif item_id in scores:
            value = scores[item_id]
            if cs.items[i].rule.type == "check":
                items[item_id] = value >= Decimal(cs.items[i].points)
            else:
                items[item_id] = number(value)
    out: dict = {"items": items}
    if bonuses:
        out["bonuses"] = sorted(set(bonuses))
    if vetoes:
        out["vetoes"] = sorted(set(vetoes))
    engine_flags = sorted(set(flags) & set(cs.flags))
    if engine_flags:
        out["flags"] = engine_flags
    return out


def items_total(cs: CompiledScheme, scores: dict[str, Decimal], na: set[str]) -> Decimal:
    """Sum of item points at a level (no bonuses): what the false-data check compares."""
    total = Decimal(0)
    for i, item_id in enumerate(cs.ids):
        if item_id in na:
            share = cs.no_duty_fraction or 0
            total += Decimal(cs.items[i].points) * Decimal(share.numerator) / Decimal(share.denominator)
        elif item_id in scores:
            total += scores[item_id]
    return total
