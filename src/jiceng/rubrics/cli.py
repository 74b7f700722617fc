"""Command line: ``jiceng schemes list|show|validate``, ``jiceng score``, ``jiceng grade``.

Output is JSON (or one line per scheme for ``schemes list``) on stdout; any
error is one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .compiled import CompiledScheme
from .errors import MarksError, SchemeError
from .loader import builtin_scheme, list_builtin_schemes, load_scheme
from .population import grade_population
from .scoring import score

EXIT_ERROR = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse prints usage over several lines; the contract is one clear line.
        raise _UsageError(f"{self.prog}: {message}")


class _UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="jiceng", description="Jiceng rubric engine: assessment schemes, scoring and grading.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    schemes = sub.add_parser("schemes", help="list, show or validate assessment schemes")
    ss = schemes.add_subparsers(dest="action", required=True, parser_class=_Parser)
    ss.add_parser("list", help="one line per built-in scheme: id, version, title")
    show = ss.add_parser("show", help="a scheme's sections, items, points, rules and local settings")
    show.add_argument("scheme", metavar="ID_OR_FILE")
    validate = ss.add_parser("validate", help="check a scheme file; one line naming the place on error")
    validate.add_argument("file", metavar="FILE")
    sc = sub.add_parser("score", help="score one marks sheet; prints one JSON object")
    sc.add_argument("--scheme", required=True, metavar="ID_OR_FILE")
    sc.add_argument("--marks", required=True, metavar="MARKS.json")
    sc.add_argument("--partial", action="store_true", help="allow missing items (scored 0)")
    gr = sub.add_parser("grade", help="grade a population; prints a JSON list")
    gr.add_argument("--scheme", required=True, metavar="ID_OR_FILE")
    gr.add_argument("--input", required=True, metavar="PEOPLE.json")
    gr.add_argument("--partial", action="store_true", help="allow missing items (scored 0)")
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
        out = _run(args)
    except (_UsageError, SchemeError, MarksError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    sys.stdout.write(out + "\n")
    return 0


def _run(args: argparse.Namespace) -> str:
    if args.command == "schemes":
        if args.action == "list":
            return "\n".join(f"{s.id}\t{s.version}\t{s.title}" for s in list_builtin_schemes())
        if args.action == "show":
            return _dump(describe(_scheme(args.scheme)))
        scheme = load_scheme(args.file)
        return _dump({"valid": True, "id": scheme.id, "version": scheme.version, "title": scheme.title,
                      "local_settings": scheme.local_settings})
    scheme = _scheme(args.scheme)
    if args.command == "score":
        return _dump(score(scheme, _read_json(args.marks), args.partial).to_dict())
    people = grade_population(scheme, _read_json(args.input), args.partial)
    return _dump([{"id": r.id, "total": r.total, "passed": r.passed, "grade": r.grade, "reasons": r.reasons}
                  for r in people])


def _scheme(ref: str) -> CompiledScheme:
    # A path (has a separator or a YAML suffix) is a file; anything else is a built-in id.
    if ref.endswith((".yaml", ".yml")) or "/" in ref or "\\" in ref:
        return load_scheme(ref)
    return builtin_scheme(ref)


def _read_json(path: str) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MarksError(f"{path}: cannot read: {exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise MarksError(f"{path}: malformed JSON: {exc}") from None


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def describe(scheme: CompiledScheme) -> dict[str, Any]:
    """Everything a user needs to fill in marks: ids, points and every declared rule."""
    d = scheme.definition
    return {
        "id": d.id, "version": d.version, "title": d.title, "source": d.source.model_dump(exclude_none=True),
        "total": scheme.max, "step": float(d.step),
        "no_duty_fraction": None if d.no_duty_fraction is None else float(d.no_duty_fraction),
        "sections": [
            {"id": s.id, "title": s.title, "points": _num(s.points), "items": [_item(i) for i in s.items]}
            for s in d.sections
        ],
        "components": [
            {"id": c.id, "title": c.title, "min": c.min, "max": c.max, "weight": float(c.weight)}
            for c in d.components
        ],
        "grades": [{"name": g.name, "min_total": None if g.min_total is None else _num(g.min_total),
                    "passing": g.passing} for g in d.grades],
        "vetoes": [{"id": v.id, "text": v.text} for v in d.vetoes],
        "bonuses": [{"id": b.id, "title": b.title, "points": _num(b.points), "group": b.group} for b in d.bonuses],
        "deductions": [{"id": x.id, "title": x.title, "points": _num(x.points)} for x in d.deductions],
        "flags": [{"id": f.id, "title": f.title, "zero_items": f.zero_items, "bars": f.bars} for f in d.flags],
        "metrics": [{"id": m.id, "title": m.title} for m in d.metrics],
        "triggers": [{"id": t.id, "title": t.title, "outcome": t.outcome} for t in d.triggers],
        "local_settings": scheme.local_settings,
    }


def _item(item) -> dict[str, Any]:
    out = {"id": item.id, "text": item.text, "points": _num(item.points), "category": item.category,
           "rule": item.rule.type}
    if item.items:
        out["items"] = [_item(i) for i in item.items]
    return out


def _num(value) -> int | float:
    return int(value) if value == int(value) else float(value)
