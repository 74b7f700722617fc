"""Score one marks sheet: validate the marks, then apply the scheme's rules in order.

Order of decisions (and of reasons): item marks, flags that zero items,
bonuses, deductions, vetoes, flags that bar grades, caps, grade bands,
triggers. Each decision appends exactly one Chinese reason.
"""

from __future__ import annotations

from math import isfinite
from typing import TYPE_CHECKING, Any

from .errors import MarksError
from .kinds import CHECK, LINEAR, MANUAL, THRESHOLD
from .numbers import percent_text
from .result import MISSING, NA, SCORED, Result

if TYPE_CHECKING:  # the scheme is only read here; compiled.py imports this module for CompiledScheme.score
    from .compiled import CompiledScheme

NUMBER = (int, float)
PLAIN_KEYS = frozenset({"id", "items", "components"})


def _shown(value: float, percent: bool) -> str:
    return f"{value * 100:.10g}%" if percent else f"{value:.10g}"


def score(cs: CompiledScheme, marks: Any, partial: bool = False, explain: bool = True) -> Result:
    """Score one marks sheet. With ``explain=False`` no reason text is built now: the result
    renders its reasons on first access by scoring the same marks again with ``explain=True``."""
    if type(marks) is not dict:
        raise MarksError("marks must be a JSON object")
    keys = marks.keys()
    if not keys <= cs.allowed_keys:
        unknown = sorted(keys - cs.allowed_keys)[0]
        raise MarksError(f"unknown key {unknown!r} in marks; expected one of {', '.join(sorted(cs.allowed_keys))}")
    ident = marks.get("id")
    if ident is not None and type(ident) not in (str, int):
        raise MarksError(f"id {ident!r} must be a string or an integer")
    say: list[str] | None = [] if explain else None
    failed: list[int] = []
    excluded: set[int] = set()
    if cs.components:
        units = state = None
        values, total = _components(cs, marks.get("components"), partial, say)
    else:
        values = ()
        units, state = _items(cs, marks.get("items"), partial, say, failed)
        total = sum(units)
    if keys <= PLAIN_KEYS:
        # Nothing but marks: skip the declarations (the common case when grading many).
        flags = bonuses = deductions = vetoes = ()
        metrics: dict = {}
    else:
        flags, bonuses, deductions, vetoes = (
            _ids(marks, "flags", cs.flags, "flag"), _ids(marks, "bonuses", cs.bonuses, "bonus"),
            _ids(marks, "deductions", cs.deductions, "deduction"), _ids(marks, "vetoes", cs.vetoes, "veto"))
        metrics = _metrics(cs, marks.get("metrics"))
        total = _declarations(cs, total, units, flags, bonuses, deductions, excluded, say)
    grade = None
    if cs.bands:
        if vetoes:
            grade = len(cs.bands) - 1
            if say is not None:
                for vid in vetoes:
                    say.append(f"一票否决：{cs.vetoes[vid].text}，不论得分，评为{cs.bands[grade].name}")
        else:
            if cs.caps:
                _caps(cs, values, metrics, excluded, say)
            grade = band(cs, total, units, failed, excluded, say, 0)
        if say is not None:
            say.append(f"总分{cs.text(total)}分（满分{cs.text(cs.max_units)}分），评定为{cs.bands[grade].name}")
    elif say is not None:
        say.append(f"总分{cs.text(total)}分（满分{cs.text(cs.max_units)}分）")
    triggers = _triggers(cs, grade, marks.get("history"), metrics, say) if cs.triggers else ()
    return Result(cs, ident, total, grade, say, units, state, values, bonuses, deductions, vetoes, flags,
                  triggers, excluded, failed, None if explain else (score, marks, partial))


def _declarations(cs: CompiledScheme, total: int, units: list[int] | None, flags: list[str],
                  bonuses: list[str], deductions: list[str], excluded: set[int], say: list[str] | None) -> int:
    """Apply flags, bonuses and deductions; returns the new total."""
    for fid in flags:
        flag, zero, bars = cs.flags[fid]
        for i in zero:
            total -= units[i]
            units[i] = 0
            if say is not None:
                say.append(f"因{flag.title}，第{cs.ids[i]}项计0分")
        for b in bars:
            excluded.add(b)
            if say is not None:
                say.append(f"因{flag.title}，取消{cs.bands[b].name}资格")
    if bonuses:
        total += _bonus(cs, bonuses, say)
    for did in deductions:
        d, u = cs.deductions[did]
        total -= u
        if say is not None:
            say.append(f"{d.title}，扣{cs.text(u)}分")
    if total < 0:
        total = 0
        if say is not None:
            say.append("扣分后总分低于0分，按0分计")
    return total


def _items(cs: CompiledScheme, items: Any, partial: bool, say: list[str] | None,
           failed: list[int]) -> tuple[list[int], list[int]]:
    if items is None:
        items = {}
    elif type(items) is not dict:
        raise MarksError('"items" must be an object mapping item id to mark')
    n = cs.n
    units = [0] * n
    state = [SCORED] * n
    table = cs.item_table
    for key, val in items.items():
        entry = table.get(key)
        if entry is None:
            if key in cs.parents:
                raise MarksError(f"item {key}: has sub-items; mark each of them instead", key)
            raise MarksError(f"item {key}: unknown item id", key)
        i = entry[0]
        t = type(val)
        if t is int or t is float:
            # Fast path: every valid manual score is a key of the item's precomputed table.
            u = entry[1].get(val)
            units[i] = _off_table(cs, i, key, val) if u is None else u
        elif t is bool:
            if cs.kind[i] != CHECK:
                raise MarksError(f"item {key}: give a number of points, not {str(val).lower()}", key)
            if val:
                units[i] = cs.item_max[i]
            elif cs.required[i]:
                failed.append(i)
        elif t is dict:
            _special(cs, i, key, val, units, state, say)
        else:
            raise MarksError(f"item {key}: {val!r} is not a number", key)
    if len(items) < n:
        for i, ident in enumerate(cs.ids):
            if ident not in items:
                if not partial:
                    raise MarksError(f"item {ident}: no mark given (score a partial sheet with --partial)", ident)
                state[i] = MISSING
                if cs.required[i]:
                    failed.append(i)
                if say is not None:
                    say.append(f"第{ident}项未评分，按0分计")
    return units, state


def _off_table(cs: CompiledScheme, i: int, key: str, val: float) -> int:
    """Units for a score missing from the fast table (float noise), or the reason it is refused."""
    if cs.kind[i] == CHECK:
        raise MarksError(f"item {key}: is a pass/fail item; give true or false, not {val!r}", key)
    return _on_step(val, 0, cs.item_max_float[i], cs.inv_step, f"item {key}: score", cs.definition.step, key) \
        * cs.step_units


def _on_step(val: float, low: float, high: float, inv_step: float, what: str, step: Any, key: str) -> int:
    """Number of steps in ``val``; refuses values out of range or off the step."""
    if not low <= val <= high:
        if val != val:
            raise MarksError(f"{what} {val!r} is not a number", key)
        problem = f"is below the minimum {low:g}" if val < low else f"is above the maximum {high:g}"
        if val < 0:
            problem = "is negative"
        raise MarksError(f"{what} {val!r} {problem}", key)
    q = val * inv_step
    r = round(q)
    if abs(q - r) > 1e-9:
        raise MarksError(f"{what} {val!r} is off the step {step}", key)
    return r


def _special(cs: CompiledScheme, i: int, key: str, val: dict, units: list[int], state: list[int],
             say: list[str] | None) -> None:
    if "na" in val:
        if val != {"na": True}:
            raise MarksError(f'item {key}: an approved no-duty claim is written {{"na": true}}', key)
        if cs.no_duty_fraction is None:
            raise MarksError(f"item {key}: this scheme has no rule for no-duty (无职责) items", key)
        units[i] = cs.na_units[i]
        state[i] = NA
        if say is not None:
            share = "一半" if cs.no_duty_fraction == 0.5 else percent_text(cs.no_duty_fraction)
            say.append(f"第{key}项为无职责项目，经申请审核按{share}分值计{cs.text(units[i])}分")
        return
    if set(val) != {"metric"}:
        raise MarksError(f'item {key}: expected a number, {{"na": true}} or {{"metric": value}}', key)
    v = val["metric"]
    k = cs.kind[i]
    if k in (MANUAL, CHECK):
        raise MarksError(f"item {key}: is not bound to a metric; give a score", key)
    if type(v) not in NUMBER or not isfinite(v):
        raise MarksError(f"item {key}: metric {v!r} is not a number", key)
    rule = cs.items[i].rule
    full = cs.item_max[i]
    if k == THRESHOLD:
        got = full if v >= rule.target else 0
        text = (f"第{key}项{rule.metric}为{_shown(v, rule.percent)}，{'达到' if got else '未达到'}"
                f"{_shown(rule.target, rule.percent)}，得{cs.text(got)}分")
    elif k == LINEAR:
        if v >= rule.target:
            got = full
        elif v <= rule.floor:
            got = 0
        else:
            su = cs.step_units
            # Rounded down to the scheme's step: part of a half point is not a half point.
            got = int((v - rule.floor) / (rule.target - rule.floor) * full / su + 1e-9) * su
        text = (f"第{key}项{rule.metric}为{_shown(v, rule.percent)}，在{_shown(rule.floor, rule.percent)}"
                f"（0分）至{_shown(rule.target, rule.percent)}（满分）之间按比例计，得{cs.text(got)}分")
    else:
        if v < 0 or v != int(v):
            raise MarksError(f"item {key}: occurrence count {v!r} must be a whole number of at least 0", key)
        count = int(v)
        got = max(0, full - count * cs.deduct_units[i])
        text = (f"第{key}项{rule.metric}{count}次，每次扣{cs.text(cs.deduct_units[i])}分，"
                f"得{cs.text(got)}分")
    units[i] = got
    if say is not None:
        say.append(text)


def _components(cs: CompiledScheme, comps: Any, partial: bool,
                say: list[str] | None) -> tuple[list[int | None], int]:
    if comps is None:
        comps = {}
    elif type(comps) is not dict:
        raise MarksError('"components" must be an object mapping component id to value')
    components = cs.components
    values: list[int | None] = [None] * len(components)
    total = 0
    index, tables, mult = cs.component_index, cs.component_table, cs.component_mult
    for key, val in comps.items():
        i = index.get(key)
        if i is None:
            raise MarksError(f"component {key}: unknown component id; expected one of {', '.join(index)}", key)
        t = type(val)
        if t is not int and t is not float:
            raise MarksError(f"component {key}: {val!r} is not a number", key)
        r = tables[i].get(val)
        if r is None:
            c = components[i]
            r = _on_step(val, c.min, c.max, cs.component_inv_step[i], f"component {key}: value", c.step, key)
        values[i] = r
        part = r * mult[i]
        total += part
        if say is not None:
            c = components[i]
            say.append(f"{c.title}{_shown(val, c.percent)}，按权重{cs.component_weight_text[i]}计{cs.text(part)}分")
    if len(comps) < len(components):
        for i, c in enumerate(components):
            if values[i] is None:
                if not partial:
                    raise MarksError(f"component {c.id}: no value given (score a partial sheet with --partial)",
                                     c.id)
                if say is not None:
                    say.append(f"{c.title}未评分，按0分计")
    return values, total


def _ids(marks: dict, key: str, table: dict, kind: str) -> list[str]:
    given = marks.get(key)
    if given is None:
        return []
    if type(given) is not list:
        raise MarksError(f'"{key}" must be a list of {kind} ids')
    for ident in given:
        if type(ident) is not str or ident not in table:
            known = ", ".join(table) or "none in this scheme"
            raise MarksError(f"{kind} {ident!r}: unknown {kind} id; expected one of: {known}", str(ident))
    if len(set(given)) < len(given):
        raise MarksError(f'"{key}" lists the same {kind} twice')
    return given


def _bonus(cs: CompiledScheme, given: list[str], say: list[str] | None) -> int:
    best: dict[str, tuple[Any, int]] = {}
    for bid in given:
        b, u = cs.bonuses[bid]
        if b.group not in best or u > best[b.group][1]:
            best[b.group] = (b, u)
    if say is not None:
        for bid in given:
            b, u = cs.bonuses[bid]
            local = "，本地解读" if b.local_setting else ""
            if best[b.group][0] is b:
                say.append(f"获{b.title}，加{cs.text(u)}分（同组只计最高{local}）")
            else:
                say.append(f"获{b.title}，同组已计更高加分，不再加分")
    return sum(u for _, u in best.values())


def _metrics(cs: CompiledScheme, given: Any) -> dict[str, float]:
    if given is None:
        return {}
    if type(given) is not dict:
        raise MarksError('"metrics" must be an object mapping metric id to value')
    for key, v in given.items():
        if key not in cs.metrics:
            raise MarksError(f"metric {key}: unknown metric id; expected one of {', '.join(cs.metrics)}", key)
        if type(v) not in NUMBER or not isfinite(v):
            raise MarksError(f"metric {key}: {v!r} is not a number", key)
    return given


def _caps(cs: CompiledScheme, values: Any, metrics: dict, excluded: set[int], say: list[str] | None) -> None:
    for cap, ci, limit, top in cs.caps:
        if ci is not None:
            r = values[ci]
            if r is None or r >= limit:
                continue
        else:
            v = metrics.get(cap.metric)
            if v is None or v >= cap.below:
                continue
        excluded.update(range(top))
        if say is not None:
            if ci is not None:
                c = cs.components[ci]
                title, shown = c.title, _shown(float(r * cs.component_step[ci]), c.percent)
                below = _shown(cap.below, c.percent)
            else:
                m = cs.metrics[cap.metric]
                title, shown, below = m.title, f"{v:.10g}{m.unit}", f"{cap.below:.10g}{m.unit}"
            say.append(f"{title}{shown}，低于{below}，最高评为{cs.bands[top].name}")


def band(cs: CompiledScheme, total: int, units: list[int] | None, failed: list[int], excluded: set[int],
         say: list[str] | None, start: int) -> int:
    """Index of the first grade from ``start`` whose conditions hold; one reason per missed condition.

    Always returns: checks.py guarantees that the last grade has no conditions and is never excluded.
    """
    for b in cs.bands[start:]:
        if b.index in excluded:
            continue
        if b.simple and (b.min_units is None or total >= b.min_units):
            return b.index
        low = b.min_units is not None and total < b.min_units
        # Pass/fail items answer to required_checks, not to the no-zero rule.
        zeros = [i for i in cs.scored if units[i] == 0] if b.no_zero == "items" else ()
        kept = ()
        if zeros and cs.row_of:
            zeros, kept = _rows(cs, units, zeros)
        empty = ()
        if b.no_zero == "sections":
            sums = [0] * len(cs.section_ids)
            for i, u in enumerate(units):
                sums[cs.section_of[i]] += u
            empty = [s for s, u in enumerate(sums) if u == 0]
        unmet = failed if b.required_checks else ()
        if not (low or zeros or empty or unmet):
            if say is not None:
                say.extend(_kept_text(cs, i) for i in kept)
            return b.index
        if say is not None:
            say.extend(_kept_text(cs, i) for i in kept)
            if low:
                say.append(f"总分{cs.text(total)}分，低于{b.name}所需{cs.text(b.min_units)}分，{b.missed}")
            say.extend(f"第{_zero_id(cs, i)}项得0分，单项不得为0分，{b.missed}" for i in zeros)
            say.extend(f"第{cs.section_ids[s]}部分（{cs.section_titles[s]}）得0分，单项不得为0分，{b.missed}"
                       for s in empty)
            say.extend(f"第{cs.ids[i]}项（{cs.items[i].title or cs.items[i].text}）未达到，为必备项，{b.missed}"
                       for i in unmet)


def _rows(cs: CompiledScheme, units: list[int], zeros: list[int]) -> tuple[list[int], list[int]]:
    """Zero leaves read per row: a leaf of a listed row counts only when its whole row is 0 (once, as the
    row); the others are kept, each with its explanation."""
    row_sum: dict[int, int] = {}
    for i, r in cs.row_of.items():
        row_sum[r] = row_sum.get(r, 0) + units[i]
    out, kept, seen = [], [], set()
    for i in zeros:
        r = cs.row_of.get(i)
        if r is None:
            out.append(i)
        elif row_sum[r]:
            kept.append(i)
        elif r not in seen:
            seen.add(r)
            out.append(i)
    return out, kept


def _zero_id(cs: CompiledScheme, i: int) -> str:
    r = cs.row_of.get(i)
    return cs.ids[i] if r is None else cs.rows[r]


def _kept_text(cs: CompiledScheme, i: int) -> str:
    row = cs.rows[cs.row_of[i]]
    return f"第{cs.ids[i]}项得0分，但单项按第{row}项整行计（该行有得分），不计为0分单项（本地解读）"


def _triggers(cs: CompiledScheme, grade: int | None, history: Any, metrics: dict,
              say: list[str] | None) -> list:
    if history is None:
        history = []
    elif type(history) is not list or any(g not in cs.grade_index for g in history):
        raise MarksError(f'"history" must be a list of earlier grades, oldest first, each one of: '
                         f'{", ".join(cs.grade_index)}')
    raised = []
    for t in cs.triggers:
        if t.consecutive_grade is not None:
            run = [*history[-(t.periods - 1):], cs.bands[grade].name]
            if len(run) == t.periods and all(g == t.consecutive_grade for g in run):
                raised.append(t)
                if say is not None:
                    say.append(f"连续{t.periods}期考核为{t.consecutive_grade}（含本期），{t.title}，"
                               f"触发{t.outcome_title}")
            continue
        v = metrics.get(t.metric)
        if v is None:
            continue
        m = cs.metrics[t.metric]
        if t.at_least is not None and v >= t.at_least:
            raised.append(t)
            if say is not None:
                say.append(f"{m.title}{v:.10g}{m.unit}，达到{t.at_least:.10g}{m.unit}，触发{t.outcome_title}")
        elif t.above is not None and v > t.above:
            raised.append(t)
            if say is not None:
                say.append(f"{m.title}{v:.10g}{m.unit}，超过{t.above:.10g}{m.unit}，触发{t.outcome_title}")
    return raised
