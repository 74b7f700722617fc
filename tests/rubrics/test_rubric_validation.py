"""Malformed schemes are refused with the file, the place and the reason."""

import copy

import pytest
from rubric_fixtures import GRID, MINI, compile_dict, variant

from jiceng.rubrics import SchemeError, load_scheme, parse_scheme


def mini(edit) -> dict:
    data = copy.deepcopy(MINI)
    edit(data)
    return data


def grid(edit) -> dict:
    data = copy.deepcopy(GRID)
    edit(data)
    return data


def _set(path, value):
    def edit(data):
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return edit


def _item(s, i):
    return ("sections", s, "items", i)


CASES = [
    # The six refusals the issue names.
    (mini(_set((*_item(1, 3), "points"), 4)), "sections[1] (id B)",
     "items add up to 11 but the section declares 10"),
    (mini(_set((*_item(1, 3), "id"), "a1")), "sections[1].items[3] (id a1)", "duplicate item id 'a1'"),
    (mini(_set((*_item(1, 0), "rule"), {"type": "bogus"})), "sections[1].items[0].rule (id b1)",
     "unknown rule type 'bogus'"),
    (mini(_set((*_item(0, 0), "points"), -1)), "sections[0].items[0].points (id a1)",
     "points must not be negative (got -1)"),
    (mini(_set(("grades", 0, "min_total"), 30)), "grades[0] (优)", "can never be reached: needs 30"),
    (grid(_set(("quotas", 0, "share"), 1.5)), "quotas[0] (优秀)", "a quota of 150% is above 100%"),
    # Structure.
    (mini(_set(("components",), GRID["components"])), "(scheme)", "either sections or components"),
    (mini(_set(("total",), 25)), "total", "the parts add up to 20 but the scheme declares 25"),
    (grid(_set(("total",), 90)), "total", "the parts add up to 100 but the scheme declares 90"),
    (grid(_set(("components", 0, "min"), 100)), "components[0] (id work)", "needs 0 <= min < max"),
    (grid(_set(("components", 0, "max"), 99.7)), "components[0] (id work)",
     "bound 99.7 is not a multiple of the step 0.5"),
    (mini(_set(("sections", 1, "items"), [])), "sections[1] (id B)", "a section needs at least one item"),
    (mini(_set((*_item(0, 1), "items", 0, "points"), 3)), "sections[0].items[1] (id a2)",
     "sub-items add up to 5 but the item declares 6"),
    (mini(_set((*_item(0, 1), "rule"), {"type": "check"})), "sections[0].items[1] (id a2)",
     "an item with sub-items cannot have its own rule (check)"),
    (mini(lambda d: (d["sections"][0]["items"][0].update(points=3.3), d["sections"][0].update(points=9.3),
                     d.update(total=19.3))), "sections[0].items[0] (id a1)",
     "points 3.3 are not a multiple of the step 0.5"),
    (mini(_set((*_item(0, 1), "items", 0, "rule", "floor"), 0.95)), "sections[0].items[1].items[0] (id a2.1)",
     "linear rule needs floor < target"),
    (mini(_set((*_item(1, 0), "rule", "deduct"), 0.3)), "sections[1].items[0] (id b1)",
     "deduction 0.3 is not a multiple of the step 0.5"),
    (mini(_set(("sections", 1, "id"), "A")), "sections[1] (id A)", "duplicate section id 'A'"),
    (mini(_set(("bonuses", 1, "id"), "x")), "bonuses[1] (id x)", "duplicate bonus id 'x'"),
    (mini(_set(("vetoes",), [{"id": "v", "text": "a"}, {"id": "v", "text": "b"}])), "vetoes[1] (id v)",
     "duplicate veto id 'v'"),
    (mini(_set(("grades", 1, "name"), "优")), "grades[1]", "duplicate grade name '优'"),
    # Grades.
    (mini(_set(("grades", 2, "min_total"), 1)), "grades[2] (差)", "the last grade must have no conditions"),
    (mini(_set(("grades", 2, "passing"), True)), "vetoes", "a veto needs a failing last grade"),
    (grid(_set(("grades", 0, "no_zero"), "items")), "grades", "no_zero needs sections and items"),
    (mini(lambda d: d.update(grades=[], vetoes=[], caps=[], triggers=[], flags=[d["flags"][1]])), "flags",
     "needs grades to act on"),
    (mini(lambda d: d.update(grades=[], caps=[], triggers=[], flags=[])), "vetoes", "needs grades to act on"),
    (mini(lambda d: d["grades"].insert(2, {"name": "中", "min_total": 13, "no_zero": "items",
                                           "required_checks": True})), "grades[2] (中)",
     "every unit that meets it already meets grades[1] (良)"),
    (mini(lambda d: (d.update(caps=[]), d["grades"].insert(0, {"name": "特"}))), "grades[1] (优)",
     "already meets grades[0] (特)"),
    # References.
    (grid(_set(("no_duty_fraction",), 0.5)), "no_duty_fraction", "no-duty claims need items"),
    (mini(_set(("flags", 0, "zero_items"), [])), "flags[0] (id f)", "a flag must zero items or bar grades"),
    (mini(_set(("flags", 0, "zero_items"), ["a2"])), "flags[0] (id f)",
     "zero_items names 'a2', which is not an item without sub-items"),
    (mini(_set(("flags", 1, "bars"), ["差"])), "flags[1] (id q)", "bars '差', which is not a grade above"),
    (mini(_set(("caps", 0, "component"), "work")), "caps[0]", "a cap needs exactly one of component or metric"),
    (grid(_set(("caps", 0, "component"), "nope")), "caps[0]", "unknown component 'nope'"),
    (mini(_set(("caps", 0, "metric"), "nope")), "caps[0]", "unknown metric 'nope'"),
    (mini(_set(("caps", 0, "max_grade"), "甲")), "caps[0]", "unknown grade '甲'"),
    (grid(_set(("quotas", 0, "grade"), "不合格")), "quotas[0] (不合格)", "not a grade above the last one"),
    (mini(_set(("triggers", 0, "metric"), "sat")), "triggers[0] (id t-run)",
     "exactly one of consecutive_grade or metric"),
    (mini(_set(("triggers", 0, "consecutive_grade"), "甲")), "triggers[0] (id t-run)", "unknown grade '甲'"),
    (mini(lambda d: d.update(quotas=[{"grade": "优", "share": 0.1}])), "triggers[0] (id t-run)",
     "cannot be combined with a quota"),
    (mini(_set(("triggers", 1, "metric"), "nope")), "triggers[1] (id t-complaints)", "unknown metric 'nope'"),
    (mini(_set(("triggers", 1, "above"), 5)), "triggers[1] (id t-complaints)",
     "exactly one of at_least or above"),
    # Schema errors reported by pydantic.
    (mini(lambda d: d.pop("title")), "(scheme)", "required field 'title' is missing"),
    (mini(_set((*_item(0, 0), "colour"), "red")), "sections[0].items[0].colour (id a1)", "unknown field 'colour'"),
    (mini(_set(("version",), "one")), "version", "version: Input should be a valid integer"),
    (mini(_set(("grades", 0, "no_zero"), "rows")), "grades[0].no_zero", "no_zero: Input should be 'items' or"),
    (mini(_set(("sections", 0, "items", 1, "items", 1, "rule", "target"), "x")),
     "sections[0].items[1].items[1].rule.target (id a2.2)", "target: Input should be a valid number"),
]


@pytest.mark.parametrize(("data", "place", "reason"), CASES)
def test_malformed_scheme_is_refused_naming_file_place_and_reason(data, place, reason):
    with pytest.raises(SchemeError) as exc:
        compile_dict(data, "city.yaml")
    assert exc.value.file == "city.yaml"
    assert exc.value.place == place
    assert reason in exc.value.reason
    assert str(exc.value).startswith(f"city.yaml: {place}: ")


def test_the_unmodified_fixtures_are_valid():
    assert compile_dict(MINI).max == 20
    assert compile_dict(GRID).max == 100


def test_a_capped_grade_does_not_make_the_grade_below_it_unreachable():
    # 合格 ≥ 90 would be dead below 优秀 ≥ 90, but the satisfaction cap can push a unit out of 优秀.
    data = variant(GRID, quotas=[], grades=[{"name": "优秀", "min_total": 90}, {"name": "合格", "min_total": 90},
                                           {"name": "不合格", "passing": False}])
    assert compile_dict(data).bands[1].name == "合格"


def test_invalid_yaml_names_the_line():
    with pytest.raises(SchemeError) as exc:
        parse_scheme("id: x\ntitle: [unclosed\n", "bad.yaml")
    assert exc.value.place == "line 3" and "not valid YAML" in exc.value.reason


def test_yaml_that_is_not_a_mapping():
    with pytest.raises(SchemeError, match="a scheme must be a YAML mapping"):
        parse_scheme("- 1\n- 2\n", "list.yaml")


def test_yaml_error_without_a_position():
    with pytest.raises(SchemeError) as exc:
        parse_scheme("a: 1\n\x07", "ctl.yaml")
    assert exc.value.place in ("(file)", "line 2") and "not valid YAML" in exc.value.reason


def test_unreadable_file(tmp_path):
    with pytest.raises(SchemeError) as exc:
        load_scheme(tmp_path / "missing.yaml")
    assert exc.value.place == "(file)" and "cannot read" in exc.value.reason


def test_a_city_scheme_validates_from_a_file(tmp_path):
    import yaml

    path = tmp_path / "wuxi-1050.yaml"
    path.write_text(yaml.safe_dump(MINI, allow_unicode=True), encoding="utf-8")
    assert load_scheme(path).id == "mini"
