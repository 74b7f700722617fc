"""No hand-made scope check outside core.scoping (issue 11, item 2).

Every query of unit data goes through the one scoping API (`restrict`, `holds`,
`allows`, `may_any`, `subtree_paths`, `covers`, `common_ancestor_path`). This
test reads the source of src/jiceng and fails, naming file:line, on the
patterns that made a scope check by hand before:

- a `path__startswith` lookup (a subtree filter written out);
- `.startswith(` on a path (`unit.path`, a `path` variable), either side (an in-memory subtree test);
- a call of `scope_paths(` (the user's raw subtree list).

Only core/scoping.py, which implements them, and accounts/models.py, which
defines `scope_paths`, may use them. Migrations are history and are skipped.
A URL path (`request.path`) is not a unit path and is not flagged.
"""

from __future__ import annotations

import re
from pathlib import Path

import jiceng

SRC = Path(jiceng.__file__).resolve().parent
ALLOWED = {Path("core/scoping.py"), Path("accounts/models.py")}

PATTERNS = {
    "path__startswith lookup": re.compile(r"path__startswith"),
    "path.startswith(": re.compile(r"(?<!request\.)\b\w*path\.startswith\("),
    "startswith(<...>.path)": re.compile(r"\.startswith\([^)]*(?<!request)\.path\b"),
    "scope_paths(": re.compile(r"\bscope_paths\("),
}


def offences(root: Path = SRC) -> list[str]:
    found = []
    for file in sorted(root.rglob("*.py")):
        relative = file.relative_to(root)
        if relative in ALLOWED or "migrations" in relative.parts:
            continue
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0]
            for name, pattern in PATTERNS.items():
                if pattern.search(code):
                    found.append(f"{relative}:{number}: {name}: {line.strip()}")
    return found


def test_no_hand_made_scope_check_outside_core_scoping():
    found = offences()
    assert not found, "Scope checks must go through core.scoping (restrict/holds/allows/may_any/...):\n" + "\n".join(found)


def test_the_check_finds_each_pattern_and_names_file_and_line(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "scoping.py").write_text('q = Q(unit__path__startswith="0001")\n')  # allowed here
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "migrations").mkdir()
    (tmp_path / "app" / "migrations" / "0001_x.py").write_text('Q(path__startswith="0001")\n')  # history
    (tmp_path / "app" / "views.py").write_text(
        "ok = request.path.startswith('/api/')\n"
        "rows = Staff.objects.filter(unit__path__startswith=root)\n"
        "inside = office.path.startswith(county.path)\n"
        "below = any(p.startswith(unit.path) for p in paths)\n"
        "walk = any(path.startswith(outer) for outer in kept)\n"
        "mine = user.scope_paths('view')\n"
        "# a comment may mention scope_paths( freely\n"
    )
    found = offences(tmp_path)
    assert [entry.split(": ", 2)[:2] for entry in found] == [
        ["app/views.py:2", "path__startswith lookup"],
        ["app/views.py:3", "path.startswith("],
        ["app/views.py:3", "startswith(<...>.path)"],
        ["app/views.py:4", "startswith(<...>.path)"],
        ["app/views.py:5", "path.startswith("],
        ["app/views.py:6", "scope_paths("],
    ]
