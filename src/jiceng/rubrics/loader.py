"""Read, validate and compile scheme files; the built-in schemes ship beside this module."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .checks import check_scheme
from .compiled import CompiledScheme
from .errors import SchemeError
from .model import Scheme

BUILTIN_DIR = Path(__file__).with_name("schemes")


@dataclass(frozen=True)
class SchemeInfo:
    id: str
    version: int
    title: str


def parse_scheme(text: str, file: str = "<string>") -> CompiledScheme:
    """Validate YAML text and compile it; raises SchemeError naming ``file``."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"line {mark.line + 1}" if mark is not None else "(file)"
        raise SchemeError(file, place, f"not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict):
        raise SchemeError(file, "(file)", "a scheme must be a YAML mapping")
    try:
        scheme = Scheme.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise SchemeError(file, _place(data, err["loc"]), _reason(err)) from None
    check_scheme(scheme, file)
    return CompiledScheme(scheme)


def load_scheme(path: str | Path) -> CompiledScheme:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemeError(str(p), "(file)", f"cannot read: {exc}") from None
    return parse_scheme(text, str(p))


def list_builtin_schemes() -> list[SchemeInfo]:
    return [SchemeInfo(s.id, s.version, s.title) for s in (builtin_scheme(i) for i in _builtin_ids())]


def builtin_scheme(scheme_id: str) -> CompiledScheme:
    if scheme_id not in _builtin_ids():
        raise SchemeError(scheme_id, "(scheme id)", "no built-in scheme has this id; see `jiceng schemes list`")
    return _load_builtin(scheme_id)


@cache
def _load_builtin(scheme_id: str) -> CompiledScheme:
    # Compiled once per process: callers score many sheets against one scheme.
    return load_scheme(BUILTIN_DIR / f"{scheme_id}.yaml")


def _builtin_ids() -> list[str]:
    return sorted(p.stem for p in BUILTIN_DIR.glob("*.yaml"))


def _place(data: Any, loc: tuple) -> str:
    """'sections[2].items[4].rule.type (id 3.3.1)' from a pydantic error location."""
    parts: list[str] = []
    ident = None
    node = data
    for key in loc:
        if isinstance(key, int):
            parts[-1] += f"[{key}]"
        elif isinstance(node, dict) and key in node:
            parts.append(str(key))
        else:
            # Discriminated-union tags such as 'threshold' are not keys of the file.
            continue
        node = node[key] if isinstance(node, dict | list) else None
        if isinstance(node, dict) and "id" in node:
            ident = node["id"]
    place = ".".join(parts) or "(scheme)"
    return f"{place} (id {ident})" if ident is not None else place


def _reason(err: dict) -> str:
    kind = err["type"]
    field = err["loc"][-1] if err["loc"] else ""
    if kind == "greater_than_equal" and err.get("ctx", {}).get("ge") == 0:
        return f"{field} must not be negative (got {err['input']})"
    if kind == "union_tag_invalid":
        return (f"unknown rule type {err['input'].get('type')!r}; "
                f"expected one of manual, check, threshold, linear, per_occurrence")
    if kind == "missing":
        return f"required field {field!r} is missing"
    if kind == "extra_forbidden":
        return f"unknown field {field!r}"
    return f"{field}: {err['msg']}" if field else err["msg"]
