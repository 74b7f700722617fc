"""The result of scoring one marks sheet.

Scoring fills only flat arrays and the decisions; the per-section and
per-item views are built from them when first asked for, so scoring many
sheets does not pay for objects nobody reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SCORED, NA, MISSING = 0, 1, 2
Number = int | float


@dataclass(frozen=True, slots=True)
class Subtotal:
    score: Number
    max: Number


@dataclass(frozen=True, slots=True)
class ItemScore:
    id: str
    section: str
    score: Number
    max: Number
    na: bool
    missing: bool
    category: str


@dataclass(frozen=True, slots=True)
class SectionScore:
    id: str
    title: str
    score: Number
    max: Number
    hardware: Subtotal
    software: Subtotal


@dataclass(frozen=True, slots=True)
class ComponentScore:
    id: str
    title: str
    value: Number | None
    weight: float
    score: Number


class Result:
    """Scores, grade and reasons for one unit or person; ``to_dict()`` gives JSON."""

    __slots__ = ("scheme", "id", "total_units", "grade_index", "_reasons", "units", "state",
                 "component_values", "bonuses", "deductions", "vetoes", "flags", "triggers",
                 "excluded", "failed_checks", "_explain", "later")

    def __init__(self, scheme, ident, total_units, grade_index, reasons, units, state,
                 component_values, bonuses, deductions, vetoes, flags, triggers, excluded,
                 failed_checks, explain) -> None:
        self.scheme = scheme
        self.id = ident
        self.total_units = total_units
        self.grade_index = grade_index
        self._reasons = reasons
        self._explain = explain
        # Decisions taken after scoring, across a population (quotas).
        self.later: list[str] = []
        self.units = units
        self.state = state
        self.component_values = component_values
        self.bonuses = bonuses
        self.deductions = deductions
        self.vetoes = vetoes
        self.flags = flags
        self.triggers = triggers
        self.excluded = excluded
        self.failed_checks = failed_checks

    @property
    def reasons(self) -> list[str]:
        """One Chinese sentence per decision, in the order taken."""
        if self._reasons is None:
            # Scored with explain=False: render now from the same marks, through the same code
            # (the scorer that made this result hands itself down, so this module needs no import of it).
            scorer, marks, partial = self._explain
            self._reasons = scorer(self.scheme, marks, partial).reasons
        return self._reasons + self.later

    @property
    def total(self) -> Number:
        return self.scheme.number(self.total_units)

    @property
    def max(self) -> Number:
        return self.scheme.max

    @property
    def grade(self) -> str | None:
        gi = self.grade_index
        return None if gi is None else self.scheme.bands[gi].name

    @property
    def passed(self) -> bool | None:
        gi = self.grade_index
        return None if gi is None else self.scheme.bands[gi].passing

    @property
    def complete(self) -> bool:
        if self.state is not None:
            return MISSING not in self.state
        return None not in self.component_values

    @property
    def items(self) -> list[ItemScore]:
        cs = self.scheme
        if self.units is None:
            return []
        num = cs.number
        return [
            ItemScore(cs.ids[i], cs.section_ids[cs.section_of[i]], num(self.units[i]), num(cs.item_max[i]),
                      self.state[i] == NA, self.state[i] == MISSING,
                      "hardware" if cs.hardware[i] else "software")
            for i in range(cs.n)
        ]

    @property
    def sections(self) -> list[SectionScore]:
        cs = self.scheme
        if self.units is None:
            return []
        k = len(cs.section_ids)
        got = [[0, 0] for _ in range(k)]
        top = [[0, 0] for _ in range(k)]
        for i in range(cs.n):
            c = 0 if cs.hardware[i] else 1
            got[cs.section_of[i]][c] += self.units[i]
            top[cs.section_of[i]][c] += cs.item_max[i]
        num = cs.number
        return [
            SectionScore(cs.section_ids[s], cs.section_titles[s], num(sum(got[s])), num(cs.section_max[s]),
                         Subtotal(num(got[s][0]), num(top[s][0])), Subtotal(num(got[s][1]), num(top[s][1])))
            for s in range(k)
        ]

    def _category(self, hardware: bool) -> Subtotal:
        cs = self.scheme
        units = self.units or []
        got = sum(u for i, u in enumerate(units) if cs.hardware[i] == hardware)
        top = sum(m for i, m in enumerate(cs.item_max) if cs.hardware[i] == hardware)
        return Subtotal(cs.number(got), cs.number(top))

    @property
    def hardware(self) -> Subtotal:
        return self._category(True)

    @property
    def software(self) -> Subtotal:
        return self._category(False)

    @property
    def components(self) -> list[ComponentScore]:
        cs = self.scheme
        out = []
        for i, c in enumerate(cs.components):
            r = self.component_values[i]
            value = None if r is None else r * cs.component_step[i]
            if value is not None:
                value = int(value) if value.denominator == 1 else float(value)
            out.append(ComponentScore(c.id, c.title, value, float(c.weight),
                                      cs.number((r or 0) * cs.component_mult[i])))
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict, built straight from the arrays (no intermediate objects)."""
        cs = self.scheme
        num = cs.number
        out: dict[str, Any] = {"scheme": cs.id, "version": cs.version}
        if self.id is not None:
            out["id"] = self.id
        items = []
        cat = [[0, 0], [0, 0]]  # [hardware, software] x [score, max], in units
        per_section = [[[0, 0], [0, 0]] for _ in cs.section_ids]
        units, state = self.units or (), self.state
        for i, u in enumerate(units):
            c = 0 if cs.hardware[i] else 1
            top = cs.item_max[i]
            for acc in (cat[c], per_section[cs.section_of[i]][c]):
                acc[0] += u
                acc[1] += top
            items.append({"id": cs.ids[i], "section": cs.section_ids[cs.section_of[i]], "score": num(u),
                          "max": num(top), "na": state[i] == NA, "missing": state[i] == MISSING,
                          "category": "hardware" if c == 0 else "software"})

        def sub(pair: list[int]) -> dict[str, Number]:
            return {"score": num(pair[0]), "max": num(pair[1])}

        out.update(
            total=self.total, max=self.max, passed=self.passed, grade=self.grade, complete=self.complete,
            hardware=sub(cat[0]), software=sub(cat[1]),
            sections=[{"id": cs.section_ids[k], "title": cs.section_titles[k],
                       "score": num(h[0] + w[0]), "max": num(cs.section_max[k]), "hardware": sub(h),
                       "software": sub(w)} for k, (h, w) in enumerate(per_section)] if self.units else [],
            items=items,
            components=[{"id": c.id, "title": c.title, "value": c.value, "weight": c.weight, "score": c.score}
                        for c in self.components],
            bonuses=list(self.bonuses), deductions=list(self.deductions), vetoes=list(self.vetoes),
            flags=list(self.flags),
            triggers=[{"id": t.id, "outcome": t.outcome, "title": t.outcome_title} for t in self.triggers],
            reasons=list(self.reasons),
        )
        return out
