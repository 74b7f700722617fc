"""Whole-scheme checks that a field-by-field schema cannot express.

Each check raises SchemeError naming the place as a path into the YAML file,
e.g. ``sections[2].items[4] (id 3.3.1)``, so a city writing its own scheme can
find the line to fix.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from .errors import SchemeError
from .model import Grade, Item, Scheme
from .numbers import frac, fraction_text, percent_text


def walk_items(scheme: Scheme) -> Iterator[tuple[str, Item, int]]:
    """(place, item, section index) for every item and sub-item, in file order."""

    def walk(place: str, items: list[Item], s: int) -> Iterator[tuple[str, Item, int]]:
        for i, item in enumerate(items):
            here = f"{place}.items[{i}]"
            yield here, item, s
            yield from walk(here, item.items, s)

    for s, section in enumerate(scheme.sections):
        yield from walk(f"sections[{s}]", section.items, s)


def check_scheme(scheme: Scheme, file: str) -> None:
    def fail(place: str, reason: str) -> None:
        raise SchemeError(file, place, reason)

    _check_shape(scheme, fail)
    leaf_ids = _check_items(scheme, fail)
    _check_unique_ids(scheme, fail)
    _check_grades(scheme, fail)
    _check_references(scheme, leaf_ids, fail)


def _check_shape(scheme: Scheme, fail) -> None:
    if bool(scheme.sections) == bool(scheme.components):
        fail("(scheme)", "a scheme needs either sections or components, not both and not neither")
    if scheme.components:
        total = sum(frac(c.weight) * frac(c.scale) * frac(c.max) for c in scheme.components)
        for i, c in enumerate(scheme.components):
            place = f"components[{i}] (id {c.id})"
            if not 0 <= c.min < c.max:
                fail(place, f"needs 0 <= min < max (got min {c.min}, max {c.max})")
            for bound in (c.min, c.max):
                if frac(bound) % frac(c.step):
                    fail(place, f"bound {bound} is not a multiple of the step {c.step}")
    else:
        total = sum((frac(s.points) for s in scheme.sections), Fraction(0))
    if total != frac(scheme.total):
        fail("total", f"the parts add up to {fraction_text(total)} but the scheme declares {scheme.total}")


def _check_items(scheme: Scheme, fail) -> set[str]:
    step = frac(scheme.step)
    leaf_ids: set[str] = set()
    for s, section in enumerate(scheme.sections):
        got = sum((frac(i.points) for i in section.items), Fraction(0))
        if not section.items:
            fail(f"sections[{s}] (id {section.id})", "a section needs at least one item")
        if got != frac(section.points):
            fail(
                f"sections[{s}] (id {section.id})",
                f"items add up to {fraction_text(got)} but the section declares {section.points}",
            )
    for place, item, _ in walk_items(scheme):
        where = f"{place} (id {item.id})"
        if frac(item.points) % step:
            fail(where, f"points {item.points} are not a multiple of the step {scheme.step}")
        if item.items:
            got = sum((frac(i.points) for i in item.items), Fraction(0))
            if got != frac(item.points):
                fail(where, f"sub-items add up to {fraction_text(got)} but the item declares {item.points}")
            if item.rule.type != "manual":
                fail(where, f"an item with sub-items cannot have its own rule ({item.rule.type})")
            continue
        leaf_ids.add(item.id)
        rule = item.rule
        if rule.type == "linear" and not rule.floor < rule.target:
            fail(where, f"linear rule needs floor < target (got {rule.floor} and {rule.target})")
        if rule.type == "per_occurrence" and frac(rule.deduct) % step:
            fail(where, f"deduction {rule.deduct} is not a multiple of the step {scheme.step}")
    return leaf_ids


def _check_unique_ids(scheme: Scheme, fail) -> None:
    def unique(kind: str, entries: list[tuple[str, str]]) -> None:
        seen: set[str] = set()
        for place, ident in entries:
            if ident in seen:
                fail(f"{place} (id {ident})", f"duplicate {kind} id {ident!r}")
            seen.add(ident)

    unique("section", [(f"sections[{i}]", s.id) for i, s in enumerate(scheme.sections)])
    unique("item", [(place, item.id) for place, item, _ in walk_items(scheme)])
    kinds = {"components": "component", "vetoes": "veto", "bonuses": "bonus", "deductions": "deduction",
             "flags": "flag", "metrics": "metric", "triggers": "trigger"}
    for field, kind in kinds.items():
        unique(kind, [(f"{field}[{i}]", e.id) for i, e in enumerate(getattr(scheme, field))])
    names = [(f"grades[{i}]", g.name) for i, g in enumerate(scheme.grades)]
    seen: set[str] = set()
    for place, name in names:
        if name in seen:
            fail(place, f"duplicate grade name {name!r}")
        seen.add(name)


def _conditions(g: Grade) -> bool:
    return g.min_total is not None or g.no_zero is not None or g.required_checks


def _check_grades(scheme: Scheme, fail) -> None:
    grades = scheme.grades
    needs_grades = [k for k in ("vetoes", "caps", "quotas") if getattr(scheme, k)]
    if not grades:
        if needs_grades or any(f.bars for f in scheme.flags):
            fail(needs_grades[0] if needs_grades else "flags", "needs grades to act on, but the scheme has none")
        return
    if _conditions(grades[-1]):
        fail(f"grades[{len(grades) - 1}] ({grades[-1].name})",
             "the last grade must have no conditions, so that every unit gets a grade")
    if scheme.vetoes and grades[-1].passing:
        fail("vetoes", f"a veto needs a failing last grade, but {grades[-1].name!r} is passing")
    if scheme.components and any(g.no_zero for g in grades):
        fail("grades", "no_zero needs sections and items; this scheme has components")
    best_bonus = _best_bonus(scheme)
    ceiling = frac(scheme.total) + best_bonus
    # Grades a unit can be pushed out of; the grade below such a grade stays reachable.
    position = {g.name: i for i, g in enumerate(grades)}
    demotable = {q.grade for q in scheme.quotas} | {b for f in scheme.flags for b in f.bars}
    demotable |= {g.name for c in scheme.caps for g in grades[: position.get(c.max_grade, 0)]}
    for j, g in enumerate(grades):
        place = f"grades[{j}] ({g.name})"
        if g.min_total is not None and frac(g.min_total) > ceiling:
            fail(place, f"can never be reached: needs {g.min_total} but at most "
                        f"{fraction_text(ceiling)} can be scored")
        for i, h in enumerate(grades[:j]):
            if h.name in demotable:
                continue
            # h is tried first; if every unit meeting g also meets h, g is dead.
            looser = (
                (h.min_total is None or (g.min_total is not None and h.min_total <= g.min_total))
                and (h.no_zero is None or h.no_zero == g.no_zero)
                and (not h.required_checks or g.required_checks)
            )
            if looser:
                fail(place, f"can never be reached: every unit that meets it already meets "
                            f"grades[{i}] ({h.name}) above it")


def _best_bonus(scheme: Scheme) -> Fraction:
    groups: dict[str, Fraction] = {}
    for b in scheme.bonuses:
        groups[b.group] = max(groups.get(b.group, Fraction(0)), frac(b.points))
    return sum(groups.values(), Fraction(0))


def _check_references(scheme: Scheme, leaf_ids: set[str], fail) -> None:
    grade_index = {g.name: i for i, g in enumerate(scheme.grades)}
    last = len(scheme.grades) - 1
    metric_ids = {m.id for m in scheme.metrics}
    component_ids = {c.id for c in scheme.components}
    has_no_duty_items = scheme.no_duty_fraction is not None
    if has_no_duty_items and scheme.components:
        fail("no_duty_fraction", "no-duty claims need items; this scheme has components")
    for i, f in enumerate(scheme.flags):
        place = f"flags[{i}] (id {f.id})"
        if not f.zero_items and not f.bars:
            fail(place, "a flag must zero items or bar grades")
        for ident in f.zero_items:
            if ident not in leaf_ids:
                fail(place, f"zero_items names {ident!r}, which is not an item without sub-items")
        for name in f.bars:
            if grade_index.get(name, last) == last:
                fail(place, f"bars {name!r}, which is not a grade above the last one")
    if scheme.self_check is not None and scheme.self_check not in grade_index:
        fail("self_check", f"unknown grade {scheme.self_check!r}")
    if scheme.single_items is not None:
        parents = {item.id for _, item, _ in walk_items(scheme) if item.items}
        for ident in scheme.single_items.rows:
            if ident not in parents:
                fail("single_items.rows", f"{ident!r} is not an item with sub-items")
    for i, c in enumerate(scheme.caps):
        place = f"caps[{i}]"
        if (c.component is None) == (c.metric is None):
            fail(place, "a cap needs exactly one of component or metric")
        if c.component is not None and c.component not in component_ids:
            fail(place, f"unknown component {c.component!r}")
        if c.metric is not None and c.metric not in metric_ids:
            fail(place, f"unknown metric {c.metric!r}; declare it under metrics")
        if c.max_grade not in grade_index:
            fail(place, f"unknown grade {c.max_grade!r}")
    for i, q in enumerate(scheme.quotas):
        place = f"quotas[{i}] ({q.grade})"
        if q.share > 1:
            fail(place, f"a quota of {percent_text(frac(q.share))} is above 100%")
        if grade_index.get(q.grade, last) == last:
            fail(place, f"{q.grade!r} is not a grade above the last one, so nobody could fall below it")
    for i, t in enumerate(scheme.triggers):
        place = f"triggers[{i}] (id {t.id})"
        if (t.consecutive_grade is None) == (t.metric is None):
            fail(place, "a trigger needs exactly one of consecutive_grade or metric")
        if t.consecutive_grade is not None:
            if t.consecutive_grade not in grade_index:
                fail(place, f"unknown grade {t.consecutive_grade!r}")
            if scheme.quotas:
                fail(place, "a consecutive-grade trigger cannot be combined with a quota: the grade is "
                            "only final once the whole population is graded")
        else:
            if t.metric not in metric_ids:
                fail(place, f"unknown metric {t.metric!r}; declare it under metrics")
            if (t.at_least is None) == (t.above is None):
                fail(place, "a metric trigger needs exactly one of at_least or above")
