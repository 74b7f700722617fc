"""Grading a population: quotas, tie-breaks, order independence, errors."""

import random

import pytest
from rubric_fixtures import GRID, MINI, compile_dict, marks

from jiceng.rubrics import MarksError, builtin_scheme, grade_population, score

G = compile_dict(GRID)


def person(ident, work, sat, **extra):
    return {"id": ident, "components": {"work": work, "sat": sat}, **extra}


def test_quota_rounds_down_and_demotes_the_lowest():
    people = [person(f"p{n}", 100 - n, 0.95) for n in range(7)]  # all ≥ 90: 98, 97.4, ...
    results = grade_population(G, people)
    grades = [r.grade for r in results]
    assert grades.count("优秀") == 1  # floor(7 × 15 %) = 1
    assert results[0].grade == "优秀"
    assert "优秀名额1名（7人×15%，向下取整），按总分排序第2名，降为合格" in results[1].reasons


def test_a_demoted_person_falls_to_the_next_grade_they_qualify_for():
    g = compile_dict({**GRID, "grades": [{"name": "优秀", "min_total": 90}, {"name": "良好", "min_total": 95},
                                        {"name": "合格", "min_total": 60}, {"name": "不合格", "passing": False}]})
    results = grade_population(g, [person("a", 100, 1), person("b", 100, 0.99), person("c", 100, 0.9)] +
                               [person(f"z{n}", 50, 0.5) for n in range(3)])
    # Quota floor(6 × 15 %) = 0: all three fall; b (99.6) still meets 良好, c (96) also does; a too.
    assert [r.grade for r in results[:3]] == ["良好", "良好", "良好"]
    g2 = compile_dict({**GRID, "grades": [{"name": "优秀", "min_total": 90}, {"name": "良好", "min_total": 97},
                                         {"name": "合格", "min_total": 60}, {"name": "不合格", "passing": False}]})
    r = grade_population(g2, [person("c", 100, 0.9)])[0]
    assert r.grade == "合格"
    assert "总分96分，低于良好所需97分，不能评为良好" in r.reasons


def test_shuffled_input_grades_identically():
    rng = random.Random(5)
    people = [person(f"id{n}", rng.randint(150, 200) / 2, rng.randint(800, 1000) / 1000) for n in range(60)]
    people += [person("tie-b", 100, 1), person("tie-a", 100, 1), person(10, 100, 1), person(9, 100, 1)]
    base = {r.id: (r.total, r.grade, r.reasons) for r in grade_population(G, people)}
    for seed in range(5):
        shuffled = people[:]
        random.Random(seed).shuffle(shuffled)
        assert {r.id: (r.total, r.grade, r.reasons) for r in grade_population(G, shuffled)} == base
    # Ties at the top: ids compared as text, so "10" < "9" < "tie-a" < "tie-b".
    top = sorted((i for i, v in base.items() if v[1] == "优秀"), key=str)
    assert top[:2] == [10, 9]


def test_population_results_match_single_scoring_without_quota():
    g = compile_dict({**GRID, "quotas": []})
    rng = random.Random(9)
    people = [person(f"x{n}", rng.randint(0, 200) / 2, rng.randint(0, 1000) / 1000) for n in range(200)]
    people += [person("noise", 80.00000000001, 0.9), {"id": "partial", "components": {"work": 80}}]
    for r in grade_population(g, people, partial=True):
        p = next(p for p in people if p["id"] == r.id)
        one = score(g, p, partial=True)
        assert (r.total, r.grade, r.reasons) == (one.total, one.grade, one.reasons)


def test_population_of_item_sheets():
    s = compile_dict(MINI)
    results = grade_population(s, [{**marks(), "id": "u1"}, {**marks(a1=0), "id": "u2", "bonuses": ["y"]}])
    assert [(r.id, r.total, r.grade) for r in results] == [("u1", 20, "优"), ("u2", 18, "优")]


@pytest.mark.parametrize(("people", "message"), [
    ({"id": 1}, "the population must be a JSON list"),
    ([{"components": {}}], 'person at index 0: needs an object with an "id"'),
    (["x"], 'person at index 0: needs an object with an "id"'),
    ([person("a", 1, 1), person("a", 2, 1)], "person a: the same id appears twice"),
    ([person("a", 1, 2)], "person a: component sat: value 2 is above the maximum 1"),
    ([person(True, 1, 1)], "person True: id True must be a string or an integer"),
    ([{"id": "a", "components": {"work": 1, "zz": 1}}], "person a: component zz: unknown component id"),
    ([{"id": "a", "components": {"work": 1, "sat": "x"}}], "person a: component sat: 'x' is not a number"),
])
def test_population_errors_name_the_person(people, message):
    with pytest.raises(MarksError) as exc:
        grade_population(G, people)
    assert message in str(exc.value)


def test_gc_state_is_restored(monkeypatch):
    import gc

    gc.disable()
    try:
        grade_population(G, [person("a", 1, 1)])
        assert not gc.isenabled()
    finally:
        gc.enable()
    grade_population(G, [person("a", 1, 1)])
    assert gc.isenabled()


def test_builtin_grid_population_quota():
    people = [{"id": n, "components": {"performance": 100, "satisfaction": 1}} for n in range(20)]
    results = grade_population(builtin_scheme("lingwu-grid-annual-2021"), people)
    assert [r.grade for r in results].count("优秀") == 3
    assert [r.id for r in results if r.grade == "优秀"] == [0, 1, 10]  # ids as text: "0" < "1" < "10"
