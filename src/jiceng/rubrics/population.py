"""Grade a population: score everyone, then apply quotas on grades.

Quota rule (documented in docs/rubric-format.md): the number allowed in a
grade is floor(share x number of people graded). Candidates are ranked by
total, highest first, ties broken by id compared as text, ascending; so
the outcome does not depend on the order of the input list.
"""

from __future__ import annotations

import gc
from math import floor
from typing import Any

from .compiled import CompiledScheme
from .errors import MarksError
from .numbers import frac, percent_text
from .result import Result
from .scoring import band, score

NOTHING: frozenset[int] = frozenset()


def grade_population(scheme: CompiledScheme, people: Any, partial: bool = False) -> list[Result]:
    """One result per person, in input order; quotas applied across the whole list."""
    if type(people) is not list:
        raise MarksError("the population must be a JSON list of marks objects, one per person")
    results: list[Result] = []
    seen: set[str] = set()
    # Scoring allocates millions of acyclic objects; the cyclic collector's repeated passes over
    # them would cost more than the scoring itself, so it is paused and restored here.
    paused = gc.isenabled()
    gc.disable()
    try:
        _score_all(scheme, people, partial, results, seen)
        _apply_quotas(scheme, results)
    finally:
        if paused:
            gc.enable()
    return results


def _score_all(cs: CompiledScheme, people: list, partial: bool, results: list[Result],
               seen: set[str]) -> None:
    fast = bool(cs.components) and not cs.triggers
    index, tables, mult = cs.component_index, cs.component_table, cs.component_mult
    count = len(cs.components)
    caps = [(ci, limit, range(top)) for _, ci, limit, top in cs.caps]
    bands = [(b.min_units, b.index) for b in cs.bands]
    append = results.append
    for n, person in enumerate(people):
        ident = person.get("id") if type(person) is dict else None
        if ident is None:
            raise MarksError(f'person at index {n}: needs an object with an "id"')
        key = str(ident)
        if key in seen:
            raise MarksError(f"person {key}: the same id appears twice")
        seen.add(key)
        if fast and len(person) == 2 and (type(ident) is str or type(ident) is int):
            # Fast path for the common sheet {"id", "components"} with every value on the step;
            # anything else goes through score(), which also renders the reasons later.
            comps = person.get("components")
            if type(comps) is dict and len(comps) == count:
                values = [None] * count
                total = 0
                for cid, val in comps.items():
                    i = index.get(cid)
                    t = type(val)
                    if i is None or (t is not int and t is not float):
                        break
                    r = tables[i].get(val)
                    if r is None:
                        break
                    values[i] = r
                    total += r * mult[i]
                else:
                    excluded = NOTHING
                    for ci, limit, above in caps:
                        if values[ci] < limit:
                            excluded = excluded.union(above)
                    grade = None
                    for min_units, gi in bands:
                        if gi not in excluded and (min_units is None or total >= min_units):
                            grade = gi
                            break
                    append(Result(cs, ident, total, grade, None, None, None, values, (), (), (), (), (),
                                  excluded, (), (score, person, partial)))
                    continue
        try:
            append(score(cs, person, partial, explain=False))
        except MarksError as exc:
            raise MarksError(f"person {key}: {exc}", exc.item) from None


def _apply_quotas(cs: CompiledScheme, results: list[Result]) -> None:
    count = len(results)
    for quota, gi in cs.quotas:
        name = cs.bands[gi].name
        limit = floor(frac(quota.share) * count)
        head = f"{name}名额{limit}名（{count}人×{percent_text(frac(quota.share))}，向下取整），按总分排序"
        candidates = [r for r in results if r.grade_index == gi]
        candidates.sort(key=lambda r: (-r.total_units, str(r.id)))
        for rank, r in enumerate(candidates[limit:], limit + 1):
            r.excluded = r.excluded | {gi}
            extra: list[str] = []
            r.grade_index = band(cs, r.total_units, r.units, r.failed_checks, r.excluded, extra, gi + 1)
            r.later.append(f"{head}第{rank}名，降为{cs.bands[r.grade_index].name}")
            r.later.extend(extra)
        for rank, r in enumerate(candidates[:limit], 1):
            r.later.append(f"{head}第{rank}名，保留{name}")
