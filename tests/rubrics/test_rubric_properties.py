"""Property tests (hypothesis): bounds, monotonicity, quotas and order independence."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from jiceng.rubrics import builtin_scheme, grade_population, score

TZ = builtin_scheme("taizhou-office-2021")
YY = builtin_scheme("yiyang-enforcement-2017")
GRID = builtin_scheme("lingwu-grid-annual-2021")
MANUAL_SCHEMES = [TZ, YY, builtin_scheme("lingwu-window-staff-2021")]


@st.composite
def sheets(draw, scheme):
    """A complete marks sheet: half-point manual scores, some no-duty claims, and declarations."""
    items = {}
    for ident, top in zip(scheme.ids, scheme.item_max_float, strict=True):
        if scheme.no_duty_fraction is not None and draw(st.integers(0, 9)) == 0:
            items[ident] = {"na": True}
        else:
            items[ident] = draw(st.integers(0, int(top * 2))) / 2
    marks = {"items": items}
    d = scheme.definition
    if d.bonuses:
        marks["bonuses"] = draw(st.lists(st.sampled_from([b.id for b in d.bonuses]), unique=True))
    if d.flags:
        marks["flags"] = draw(st.lists(st.sampled_from([f.id for f in d.flags]), unique=True))
    return marks


def _rank(scheme, grade):
    # Grades are listed best first; a lower index is a better grade.
    return -scheme.grade_index[grade] if grade is not None else 0


@settings(max_examples=150, deadline=None)
@given(data=st.data(), which=st.integers(0, len(MANUAL_SCHEMES) - 1))
def test_total_never_exceeds_max_plus_largest_bonus(data, which):
    scheme = MANUAL_SCHEMES[which]
    r = score(scheme, data.draw(sheets(scheme)))
    largest = max((b.points for b in scheme.definition.bonuses), default=0)
    assert 0 <= r.total <= r.max + largest


@settings(max_examples=150, deadline=None)
@given(data=st.data(), which=st.integers(0, len(MANUAL_SCHEMES) - 1))
def test_raising_one_item_never_lowers_total_or_grade(data, which):
    scheme = MANUAL_SCHEMES[which]
    marks = data.draw(sheets(scheme))
    manual = [i for i, v in marks["items"].items() if not isinstance(v, dict)
              and v < scheme.item_max_float[scheme.index[i]]]
    if not manual:
        return
    ident = data.draw(st.sampled_from(manual))
    top = scheme.item_max_float[scheme.index[ident]]
    higher = data.draw(st.integers(int(marks["items"][ident] * 2) + 1, int(top * 2))) / 2
    before = score(scheme, marks)
    raised = {**marks, "items": {**marks["items"], ident: higher}}
    after = score(scheme, raised)
    assert after.total >= before.total
    assert _rank(scheme, after.grade) >= _rank(scheme, before.grade)


@settings(max_examples=60, deadline=None)
@given(people=st.lists(st.tuples(st.integers(0, 200), st.integers(0, 1000)), min_size=1, max_size=60),
       seed=st.integers(0, 2**32 - 1))
def test_quota_never_exceeded_and_order_does_not_matter(people, seed):
    sheets_ = [{"id": f"g{n}", "components": {"performance": p / 2, "satisfaction": s / 1000}}
               for n, (p, s) in enumerate(people)]
    results = grade_population(GRID, sheets_)
    assert sum(r.grade == "优秀" for r in results) <= len(people) * 15 // 100
    shuffled = sheets_[:]
    random.Random(seed).shuffle(shuffled)
    again = {r.id: (r.total, r.grade, r.reasons) for r in grade_population(GRID, shuffled)}
    assert again == {r.id: (r.total, r.grade, r.reasons) for r in results}


@settings(max_examples=100, deadline=None)
@given(p=st.integers(0, 200), s=st.integers(0, 1000))
def test_grid_caps_hold(p, s):
    r = score(GRID, {"components": {"performance": p / 2, "satisfaction": s / 1000}})
    if s < 850:
        assert r.grade != "优秀"
    if s < 700:
        assert r.grade in ("基本合格", "不合格")
    assert abs(r.total - (p / 2 * 0.6 + s / 1000 * 40)) < 1e-9
