"""The command line contract: JSON on stdout, one error line on stderr, exit status 2."""

import json
import subprocess
import sys

import pytest
import yaml
from rubric_fixtures import MINI

from jiceng.rubrics.cli import main

TZ_FULL = {"items": {}}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def full_taizhou():
    from jiceng.rubrics import builtin_scheme

    s = builtin_scheme("taizhou-office-2021")
    return {"items": dict(zip(s.ids, s.item_max_float, strict=True))}


def test_schemes_list(capsys):
    code, out, err = run(capsys, "schemes", "list")
    lines = out.splitlines()
    assert code == 0 and err == ""
    assert "taizhou-office-2021\t1\t台州市自然资源和规划系统基层所规范化建设考核" in lines
    assert len(lines) == 9


def test_schemes_show_lists_every_declared_id(capsys):
    code, out, _ = run(capsys, "schemes", "show", "yiyang-enforcement-2017")
    shown = json.loads(out)
    assert code == 0 and shown["id"] == "yiyang-enforcement-2017"
    assert [f["id"] for f in shown["flags"]] == ["interviewed", "accountability", "false-data"]
    five_six = shown["sections"][4]["items"][5]
    assert five_six["id"] == "5.6" and [i["points"] for i in five_six["items"]] == [2, 2, 1]
    assert any("优胜" in s for s in shown["local_settings"])
    _, out, _ = run(capsys, "schemes", "show", "taizhou-office-2021")
    shown = json.loads(out)
    assert [b["id"] for b in shown["bonuses"]] == ["county-satisfied", "city-satisfied"]
    assert shown["sections"][2]["items"][2]["items"][0]["points"] == 1.5
    _, out, _ = run(capsys, "schemes", "show", "lingwu-squad-2021")
    assert [c["id"] for c in json.loads(out)["components"]] == ["bureau", "township"]


def test_schemes_validate(capsys, tmp_path):
    good = write(tmp_path, "city.yaml", yaml.safe_dump(MINI, allow_unicode=True))
    code, out, _ = run(capsys, "schemes", "validate", good)
    assert code == 0 and json.loads(out)["valid"] is True
    bad = write(tmp_path, "bad.yaml", yaml.safe_dump({**MINI, "total": 21}, allow_unicode=True))
    code, out, err = run(capsys, "schemes", "validate", bad)
    assert code == 2 and out == ""
    assert err == f"error: {bad}: total: the parts add up to 20 but the scheme declares 21\n"


def test_score_prints_one_json_object(capsys, tmp_path):
    marks = full_taizhou()
    marks["items"]["2.4"] = 0
    marks["bonuses"] = ["county-satisfied"]
    code, out, err = run(capsys, "score", "--scheme", "taizhou-office-2021", "--marks",
                         write(tmp_path, "m.json", marks))
    result = json.loads(out)
    assert code == 0 and err == ""
    assert (result["total"], result["passed"], result["grade"]) == (102, False, "未达标")
    assert "第2.4项得0分，单项不得为0分，未达标" in result["reasons"]
    assert "获县级满意站所" in out  # ensure_ascii=False: Chinese as is


def test_score_with_a_scheme_file_and_partial(capsys, tmp_path):
    scheme = write(tmp_path, "city.yaml", yaml.safe_dump(MINI, allow_unicode=True))
    marks = write(tmp_path, "m.json", {"items": {"a1": 4}})
    code, _, err = run(capsys, "score", "--scheme", scheme, "--marks", marks)
    assert code == 2 and err == "error: item a2.1: no mark given (score a partial sheet with --partial)\n"
    code, out, _ = run(capsys, "score", "--scheme", scheme, "--marks", marks, "--partial")
    assert code == 0 and json.loads(out)["complete"] is False


def test_grade_prints_a_list(capsys, tmp_path):
    people = [{"id": n, "components": {"performance": 100, "satisfaction": 1}} for n in range(7)]
    code, out, _ = run(capsys, "grade", "--scheme", "lingwu-grid-annual-2021", "--input",
                       write(tmp_path, "p.json", people))
    listed = json.loads(out)
    assert code == 0 and [p["grade"] for p in listed].count("优秀") == 1
    assert set(listed[0]) == {"id", "total", "passed", "grade", "reasons"}


@pytest.mark.parametrize(("argv", "marks", "message"), [
    (["score", "--scheme", "taizhou-office-2021"], {"items": {"1.1": 4}}, "item 1.1: score 4 is above the maximum 3"),
    (["score", "--scheme", "taizhou-office-2021"], {"items": {"9.9": 1}}, "item 9.9: unknown item id"),
    (["score", "--scheme", "taizhou-office-2021"], {"items": {"1.1": "x"}}, "item 1.1: 'x' is not a number"),
    (["score", "--scheme", "taizhou-office-2021"], {"items": {"1.1": 1.2}}, "item 1.1: score 1.2 is off the step 0.5"),
    (["score", "--partial", "--scheme", "taizhou-office-2021"], {"items": {}, "bonuses": ["gold"]}, "bonus 'gold': unknown bonus id"),
    (["score", "--scheme", "lingwu-squad-2021"], {"components": {"mayor": 1}}, "component mayor: unknown component id"),
    (["score", "--scheme", "taizhou-office-2021"], "{not json", "malformed JSON"),
    (["score", "--scheme", "nope"], {}, "nope: (scheme id): no built-in scheme has this id"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path, argv, marks, message):
    code, out, err = run(capsys, *argv, "--marks", write(tmp_path, "m.json", marks))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err


def test_unreadable_marks_file(capsys, tmp_path):
    code, _, err = run(capsys, "score", "--scheme", "taizhou-office-2021", "--marks", str(tmp_path / "none.json"))
    assert code == 2 and "cannot read" in err and err.count("\n") == 1


def test_usage_errors_are_one_line(capsys):
    code, out, err = run(capsys, "score", "--scheme", "x")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "the following arguments are required: --marks" in err


def test_main_reads_sys_argv_by_default(capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["jiceng", "schemes", "list"])
    assert main() == 0
    assert "xiji-window" in capsys.readouterr().out


def test_python_dash_m_exit_codes_and_stderr(tmp_path):
    ok = subprocess.run([sys.executable, "-m", "jiceng.rubrics", "schemes", "list"], capture_output=True,
                        text=True, timeout=120)
    assert ok.returncode == 0 and "taizhou-office-2021" in ok.stdout
    marks = write(tmp_path, "m.json", {"items": {"1.1": -1}})
    bad = subprocess.run([sys.executable, "-m", "jiceng.rubrics", "score", "--scheme", "taizhou-office-2021",
                          "--marks", marks], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr == "error: item 1.1: score -1 is negative\n"


def test_dunder_main_in_process(monkeypatch, capsys):
    import runpy

    monkeypatch.setattr(sys, "argv", ["python -m jiceng.rubrics", "schemes", "show", "nope"])
    with pytest.raises(SystemExit) as exc:
        runpy.run_module("jiceng.rubrics", run_name="__main__")
    assert exc.value.code == 2
    assert capsys.readouterr().err.startswith("error: nope: (scheme id)")
