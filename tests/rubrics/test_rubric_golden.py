"""Golden cases in tests/golden/, each computed by hand from the seed text (see hand_computation)."""

import json
from pathlib import Path

import pytest

from jiceng.rubrics import builtin_scheme, grade_population, list_builtin_schemes, score

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
CASES = sorted(GOLDEN.glob("*.json"))


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_builtin_scheme_has_golden_cases():
    covered = {_load(p)["scheme"] for p in CASES}
    assert covered == {s.id for s in list_builtin_schemes()}


@pytest.mark.parametrize("path", [p for p in CASES if not _load(p).get("population")], ids=lambda p: p.stem)
def test_golden_sheet(path):
    case = _load(path)
    assert case["hand_computation"]
    result = score(builtin_scheme(case["scheme"]), case["marks"])
    want = case["expected"]
    assert (result.total, result.passed, result.grade) == (want["total"], want["passed"], want["grade"])
    for reason in want["reasons"]:
        assert reason in result.reasons
    if "triggers" in want:
        assert [t.id for t in result.triggers] == want["triggers"]
    assert json.loads(json.dumps(result.to_dict(), ensure_ascii=False))["total"] == want["total"]


@pytest.mark.parametrize("path", [p for p in CASES if _load(p).get("population")], ids=lambda p: p.stem)
def test_golden_population(path):
    case = _load(path)
    results = {r.id: r for r in grade_population(builtin_scheme(case["scheme"]), case["people"])}
    for ident, want in case["expected"].items():
        r = results[ident]
        assert (r.total, r.grade) == (want["total"], want["grade"])
        for reason in want.get("reasons", []):
            assert reason in r.reasons
