"""A scheme compiled once into flat, precomputed arrays for fast scoring.

Every amount is an integer number of 1/T points (see numbers.py); leaf items
(items without sub-items) are numbered 0..n-1 in file order and described by
parallel lists, so scoring a sheet is a loop over a dict and some list lookups.
"""

from __future__ import annotations

from fractions import Fraction
from math import ceil
from typing import Any

from pydantic import BaseModel

from .checks import walk_items
from .kinds import CHECK, KINDS, LINEAR, MANUAL, PER_OCCURRENCE, THRESHOLD  # noqa: F401  (names kept here too)
from .model import Scheme
from .numbers import denominator_of, frac, percent_text
from .scoring import score as _score


class Band:
    """One grade, with its threshold in units."""

    __slots__ = ("index", "name", "min_units", "no_zero", "required_checks", "passing", "missed", "simple")

    def __init__(self, index: int, name: str, min_units: int | None, no_zero: str | None,
                 required_checks: bool, passing: bool, missed: str) -> None:
        self.index = index
        self.name = name
        self.min_units = min_units
        self.no_zero = no_zero
        self.required_checks = required_checks
        self.passing = passing
        self.missed = missed
        self.simple = no_zero is None and not required_checks


def _leaves(item):
    if not item.items:
        yield item
    for child in item.items:
        yield from _leaves(child)


class CompiledScheme:
    def __init__(self, scheme: Scheme) -> None:
        self.definition = scheme
        self.id = scheme.id
        self.version = scheme.version
        self.title = scheme.title
        leaves = [(item, s) for _, item, s in walk_items(scheme) if not item.items]
        na = frac(scheme.no_duty_fraction) if scheme.no_duty_fraction is not None else None
        self.no_duty_fraction = na
        step = frac(scheme.step)
        amounts = [step, frac(scheme.total)]
        for item, _ in leaves:
            amounts.append(frac(item.points))
            if na is not None:
                amounts.append(frac(item.points) * na)
        amounts += [frac(b.points) for b in scheme.bonuses] + [frac(d.points) for d in scheme.deductions]
        amounts += [frac(g.min_total) for g in scheme.grades if g.min_total is not None]
        coefficients = [frac(c.weight) * frac(c.scale) * frac(c.step) for c in scheme.components]
        amounts += coefficients
        self.T = T = denominator_of(amounts)
        # T = 2^a * 5^b, so 10^k is a multiple of T for some k: amounts print as exact decimals.
        k = 0
        while 10**k % T:
            k += 1
        self._places = k
        self._pow = 10**k
        self._to_decimal = 10**k // T
        self.step_units = int(step * T)
        self.inv_step = float(1 / step)
        self.max_units = int(frac(scheme.total) * T)
        self._compile_items(scheme, leaves, T)
        self._compile_components(scheme, coefficients, T)
        self._compile_rules(scheme, T)

    # -- structure ---------------------------------------------------------------------------------

    def _compile_items(self, scheme: Scheme, leaves: list, T: int) -> None:
        self.n = len(leaves)
        self.ids = [item.id for item, _ in leaves]
        self.index = {ident: i for i, ident in enumerate(self.ids)}
        self.parents = {item.id for _, item, _ in walk_items(scheme) if item.items}
        self.kind = [KINDS[item.rule.type] for item, _ in leaves]
        self.scored = [i for i, (item, _) in enumerate(leaves) if item.rule.type != "check"]
        self.item_max = [int(frac(item.points) * T) for item, _ in leaves]
        self.item_max_float = [float(item.points) for item, _ in leaves]
        na = self.no_duty_fraction
        self.na_units = [int(frac(item.points) * na * T) if na is not None else 0 for item, _ in leaves]
        self.section_of = [s for _, s in leaves]
        self.hardware = [item.category == "hardware" for item, _ in leaves]
        self.items = [item for item, _ in leaves]
        self.required = [item.rule.type == "check" and item.rule.required for item, _ in leaves]
        self.deduct_units = [
            int(frac(item.rule.deduct) * T) if item.rule.type == "per_occurrence" else 0 for item, _ in leaves
        ]
        # id -> (leaf index, {valid manual score: units}); checks and metric-only marks take the slow path.
        step_units = int(frac(scheme.step) * T)
        self.item_table = {
            ident: (i, {} if self.kind[i] == CHECK else {
                float(k * frac(scheme.step)): k * step_units for k in range(self.item_max[i] // step_units + 1)
            })
            for i, ident in enumerate(self.ids)
        }
        # 单项 read per row: leaf index -> index of its row in `rows`, for the rows listed in single_items.
        self.rows = list(scheme.single_items.rows) if scheme.single_items is not None else []
        self.row_of: dict[int, int] = {}
        for r, row in enumerate(self.rows):
            for _, item, _ in walk_items(scheme):
                if item.id == row:
                    for leaf in _leaves(item):
                        self.row_of[self.index[leaf.id]] = r
        self.section_ids = [s.id for s in scheme.sections]
        self.section_titles = [s.title for s in scheme.sections]
        self.section_max = [int(frac(s.points) * T) for s in scheme.sections]

    def _compile_components(self, scheme: Scheme, coefficients: list[Fraction], T: int) -> None:
        self.components = scheme.components
        self.component_index = {c.id: i for i, c in enumerate(scheme.components)}
        self.component_mult = [int(c * T) for c in coefficients]
        self.component_step = [frac(c.step) for c in scheme.components]
        self.component_weight_text = [percent_text(frac(c.weight)) for c in scheme.components]
        self.component_inv_step = [float(1 / frac(c.step)) for c in scheme.components]
        # value -> number of steps, for the fast path; values with float noise take the slow path.
        self.component_table = [
            {float(k * frac(c.step)): k for k in range(ceil(frac(c.min) / frac(c.step)),
                                                       int(frac(c.max) / frac(c.step)) + 1)}
            for c in scheme.components
        ]

    def _compile_rules(self, scheme: Scheme, T: int) -> None:
        bands = []
        for i, g in enumerate(scheme.grades):
            min_units = int(frac(g.min_total) * T) if g.min_total is not None else None
            bands.append(Band(i, g.name, min_units, g.no_zero, g.required_checks, g.passing,
                              g.missed if g.missed else f"不能评为{g.name}"))
        self.bands = bands
        self.grade_index = {b.name: b.index for b in bands}
        self.vetoes = {v.id: v for v in scheme.vetoes}
        self.bonuses = {b.id: (b, int(frac(b.points) * T)) for b in scheme.bonuses}
        self.deductions = {d.id: (d, int(frac(d.points) * T)) for d in scheme.deductions}
        self.flags = {
            f.id: (f, [self.index[i] for i in f.zero_items], [self.grade_index[g] for g in f.bars])
            for f in scheme.flags
        }
        self.metrics = {m.id: m for m in scheme.metrics}
        # A component cap compares integer step counts: value < below  <=>  units < ceil(below / step).
        self.caps = [
            (c, self.component_index[c.component] if c.component is not None else None,
             ceil(frac(c.below) / frac(self.components[self.component_index[c.component]].step))
             if c.component is not None else None,
             self.grade_index[c.max_grade])
            for c in scheme.caps
        ]
        self.quotas = [(q, self.grade_index[q.grade]) for q in scheme.quotas]
        self.triggers = scheme.triggers
        self.takes_history = any(t.consecutive_grade for t in scheme.triggers)
        self.band_needs_sections = any(b.no_zero == "sections" for b in bands)
        self.best_bonus_units = sum(
            max(u for b, u in self.bonuses.values() if b.group == g)
            for g in {b.group for b, _ in self.bonuses.values()}
        )
        allowed = {"id", "bonuses", "vetoes", "flags", "deductions"}
        allowed.add("components" if self.components else "items")
        if self.metrics:
            allowed.add("metrics")
        if self.takes_history:
            allowed.add("history")
        self.allowed_keys = frozenset(allowed)

    # -- public ------------------------------------------------------------------------------------

    @property
    def max(self) -> int | float:
        return self.number(self.max_units)

    def number(self, units: int) -> int | float:
        """JSON number for an amount: int when whole, else the nearest float."""
        T = self.T
        return units // T if units % T == 0 else units / T

    def text(self, units: int) -> str:
        """An amount as written in a Chinese reason: 3, 1.5, 0.75, 77.34."""
        T = self.T
        if units % T == 0:
            return str(units // T)
        whole, part = divmod(units * self._to_decimal, self._pow)
        return f"{whole}.{part:0{self._places}d}".rstrip("0")

    @property
    def local_settings(self) -> list[str]:
        """Places in the scheme marked as local settings to confirm, with their notes."""
        out: list[str] = []

        def visit(node: BaseModel, place: str) -> None:
            if getattr(node, "local_setting", False):
                label = getattr(node, "id", None) or getattr(node, "name", None)
                out.append(f"{place} ({label}): {node.note}" if label else f"{place}: {node.note}")
            for name in type(node).model_fields:
                value = getattr(node, name)
                children = value if isinstance(value, list) else [value]
                for i, child in enumerate(children):
                    if isinstance(child, BaseModel):
                        here = f"{name}[{i}]" if isinstance(value, list) else name
                        visit(child, f"{place}.{here}" if place else here)

        visit(self.definition, "")
        return out

    def score(self, marks: Any, partial: bool = False):
        return _score(self, marks, partial)
