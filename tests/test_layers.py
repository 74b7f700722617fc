"""The package structure of src/jiceng: imports run down the declared layers and never in a circle.

The layers are read from the "Layers" section of docs/architecture.md (the block of
`layer N  name:  packages` lines), so the declaration and the check cannot drift apart.
Every import is read with `ast`, function-level imports included. There is no exception
list: a failure names the file and the line to change.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "jiceng"
DOC = ROOT / "docs" / "architecture.md"
PURE = ("calendar", "rubrics")
MAX_LINES = 700
LAYER_LINE = re.compile(r"^layer (\d+)\s+([^:]+):\s+(.+)$")


# --- reading the declaration --------------------------------------------------------------


def declared_layers(text: str) -> dict[str, tuple[int, str]]:
    """Package -> (layer number, layer name), from the Layers section of the architecture page."""
    match = re.search(r"^## Layers\n(.*?)(?=^## )", text, re.MULTILINE | re.DOTALL)
    assert match, "docs/architecture.md has no '## Layers' section"
    layers: dict[str, tuple[int, str]] = {}
    for line in match.group(1).splitlines():
        found = LAYER_LINE.match(line.strip())
        if found:
            for package in found.group(3).split():
                assert package not in layers, f"{package} is declared in two layers"
                layers[package] = (int(found.group(1)), found.group(2).strip())
    return layers


# --- reading the imports ------------------------------------------------------------------


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, e.g. "jiceng.core.tasks"
    target: str  # the imported jiceng module (the nearest existing one), or an outside name
    file: str  # path relative to src/jiceng
    line: int
    type_only: bool  # inside `if TYPE_CHECKING:`: never runs


@dataclass
class Tree:
    root: Path
    modules: dict[str, Path] = field(default_factory=dict)  # "jiceng.core.audit" -> file
    imports: list[Import] = field(default_factory=list)

    def package(self, module: str) -> str:
        """The top-level package (or top-level module) that a jiceng module belongs to."""
        parts = module.split(".")
        return parts[1] if len(parts) > 1 else "__init__"


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(["jiceng", *parts])


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, type_only: bool = False):
    """Every Import/ImportFrom node under `node`, with whether it sits in an `if TYPE_CHECKING:`."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, type_only
        elif isinstance(child, ast.If) and _is_type_checking(child.test):
            for stmt in child.body:
                yield from _walk(ast.Module(body=[stmt], type_ignores=[]), True)
            for stmt in child.orelse:
                yield from _walk(ast.Module(body=[stmt], type_ignores=[]), type_only)
        else:
            yield from _walk(child, type_only)


def read_tree(root: Path) -> Tree:
    tree = Tree(root)
    files = sorted(p for p in root.rglob("*.py") if "migrations" not in p.relative_to(root).parts)
    for path in files:
        tree.modules[_module_name(root, path)] = path

    def resolve(name: str) -> str:
        while name and name not in tree.modules:
            name = name.rpartition(".")[0]
        return name or "jiceng"

    for path in files:
        module = _module_name(root, path)
        rel = str(path.relative_to(root))
        package_parts = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        for node, type_only in _walk(ast.parse(path.read_text(encoding="utf-8"), filename=rel)):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                if node.level:
                    base = package_parts[: len(package_parts) - node.level + 1]
                    name = ".".join(base + ([node.module] if node.module else []))
                else:
                    name = node.module or ""
                # `from pkg import submodule` depends on the submodule; `from mod import name` on mod.
                targets = [f"{name}.{a.name}" if f"{name}.{a.name}" in tree.modules else name for a in node.names]
            for target in dict.fromkeys(targets):
                if target == "jiceng" or target.startswith("jiceng."):
                    target = resolve(target)
                tree.imports.append(Import(module, target, rel, node.lineno, type_only))
    return tree


# --- the checks ---------------------------------------------------------------------------


def _circles(edges: dict[str, dict[str, Import]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    nodes = sorted(set(edges) | {t for targets in edges.values() for t in targets})
    for start in nodes:
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, {}))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, {})))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return sorted(found)


def _describe(component: list[str], edges: dict[str, dict[str, Import]]) -> str:
    ties = [
        f"{a} -> {b} ({imp.file}:{imp.line})"
        for a in component
        for b, imp in sorted(edges.get(a, {}).items())
        if b in component
    ]
    return "; ".join(ties)


def upward_imports(tree: Tree, layers: dict[str, tuple[int, str]]) -> list[str]:
    problems = []
    for imp in tree.imports:
        if not imp.target.startswith("jiceng"):
            continue
        source, target = tree.package(imp.source), tree.package(imp.target)
        if source == target or source not in layers or target not in layers:
            continue
        (low, low_name), (high, high_name) = layers[source], layers[target]
        if high > low:
            problems.append(
                f"{imp.file}:{imp.line} imports {imp.target}: {source} (layer {low}, {low_name}) "
                f"may not import {target} (layer {high}, {high_name})"
            )
    return problems


def undeclared_packages(tree: Tree, layers: dict[str, tuple[int, str]]) -> list[str]:
    packages = sorted({tree.package(m) for m in tree.modules})
    return [f"{p} is in no layer: declare it in docs/architecture.md, section 'Layers'" for p in packages
            if p not in layers]


def package_circles(tree: Tree) -> list[str]:
    edges: dict[str, dict[str, Import]] = defaultdict(dict)
    for imp in tree.imports:
        if imp.target.startswith("jiceng"):
            source, target = tree.package(imp.source), tree.package(imp.target)
            if source != target:
                edges[source].setdefault(target, imp)
    return [f"packages import each other in a circle: {_describe(c, edges)}" for c in _circles(edges)]


def module_circles(tree: Tree) -> list[str]:
    edges: dict[str, dict[str, Import]] = defaultdict(dict)
    for imp in tree.imports:
        if imp.target.startswith("jiceng") and not imp.type_only and imp.target != imp.source:
            if tree.package(imp.source) == tree.package(imp.target):
                edges[imp.source].setdefault(imp.target, imp)
    return [f"modules import each other in a circle: {_describe(c, edges)}" for c in _circles(edges)]


def impure_imports(tree: Tree) -> list[str]:
    problems = []
    for imp in tree.imports:
        package = tree.package(imp.source)
        if package not in PURE:
            continue
        outside = imp.target.split(".")[0] == "django"
        other = imp.target.startswith("jiceng") and tree.package(imp.target) != package
        if outside or other:
            problems.append(f"{imp.file}:{imp.line} imports {imp.target}: {package} must stay pure")
    return problems


def long_files(tree: Tree) -> list[str]:
    problems = []
    for path in tree.modules.values():
        lines = path.read_text(encoding="utf-8").count("\n")
        if lines > MAX_LINES:
            problems.append(f"{path.relative_to(tree.root)} has {lines} lines (over {MAX_LINES}): split it by concern")
    return problems


# --- the project ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project():
    return read_tree(SOURCE), declared_layers(DOC.read_text(encoding="utf-8"))


def _report(problems: list[str]) -> str:
    return "\n".join(problems)


def test_every_package_is_declared_in_a_layer(project):
    tree, layers = project
    problems = undeclared_packages(tree, layers)
    assert not problems, _report(problems)


def test_no_import_runs_up_the_layers(project):
    tree, layers = project
    problems = upward_imports(tree, layers)
    assert not problems, _report(problems)


def test_no_packages_import_each_other_in_a_circle(project):
    tree, _ = project
    problems = package_circles(tree)
    assert not problems, _report(problems)


def test_no_modules_inside_a_package_import_each_other_in_a_circle(project):
    tree, _ = project
    problems = module_circles(tree)
    assert not problems, _report(problems)


def test_calendar_and_rubrics_import_neither_django_nor_the_rest_of_jiceng(project):
    tree, _ = project
    assert any(tree.package(m) == "rubrics" for m in tree.modules)
    problems = impure_imports(tree)
    assert not problems, _report(problems)


def test_no_file_is_over_700_lines(project):
    tree, _ = project
    problems = long_files(tree)
    assert not problems, _report(problems)


def test_the_declaration_orders_the_layers_from_pure_to_glue(project):
    _, layers = project
    rank = {package: number for package, (number, _) in layers.items()}
    assert rank["rubrics"] == rank["calendar"] == 0
    assert rank["core"] < rank["api"] < rank["org"] == rank["accounts"] < rank["inbox"] == rank["metrics"]
    # The ledgers declare their indicators to metrics, and assessments reads them from it.
    assert rank["metrics"] < rank["assessments"] == rank["window"] == rank["enforcement"] == rank["grid"]
    assert rank["assessments"] < rank["portal"] < rank["urls"]


# --- the checker itself, on a made-up tree ----------------------------------------------------

FAKE_DOC = """# x

## Layers

```
layer 0  pure:    rubrics __init__
layer 1  kernel:  core
layer 2  tree:    org accounts
```

## Next
"""


def _fake(tmp_path: Path, files: dict[str, str]) -> Tree:
    root = tmp_path / "jiceng"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for directory in [root, *[p for p in root.rglob("*") if p.is_dir()]]:
        (directory / "__init__.py").touch()
    return read_tree(root)


def test_the_checker_names_file_and_line_of_an_upward_import(tmp_path):
    tree = _fake(tmp_path, {
        "core/audit.py": "import os\n\n\ndef f():\n    from jiceng.org.models import Unit\n",
        "org/models.py": "from jiceng.core import audit\n",
    })
    problems = upward_imports(tree, declared_layers(FAKE_DOC))
    assert problems == [
        "core/audit.py:5 imports jiceng.org.models: core (layer 1, kernel) may not import org (layer 2, tree)"
    ]


def test_the_checker_finds_a_circle_inside_one_layer(tmp_path):
    tree = _fake(tmp_path, {
        "org/demo.py": "from jiceng.accounts import services\n",
        "accounts/forms.py": "from ..org.models import Unit\n",
        "org/models.py": "",
        "accounts/services.py": "",
    })
    assert upward_imports(tree, declared_layers(FAKE_DOC)) == []
    assert package_circles(tree) == [
        "packages import each other in a circle: "
        "accounts -> org (accounts/forms.py:1); org -> accounts (org/demo.py:1)"
    ]


def test_the_checker_finds_a_module_circle_but_not_a_type_only_one(tmp_path):
    tree = _fake(tmp_path, {
        "core/a.py": "def f():\n    from .b import g\n",
        "core/b.py": "from . import c\n",
        "core/c.py": "from jiceng.core.a import f\n",
        "rubrics/x.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .y import Y\n",
        "rubrics/y.py": "from .x import X\n",
    })
    assert module_circles(tree) == [
        "modules import each other in a circle: jiceng.core.a -> jiceng.core.b (core/a.py:2); "
        "jiceng.core.b -> jiceng.core.c (core/b.py:1); jiceng.core.c -> jiceng.core.a (core/c.py:1)"
    ]


def test_the_checker_catches_impure_imports_undeclared_packages_and_long_files(tmp_path):
    tree = _fake(tmp_path, {
        "rubrics/x.py": "import django.db\nfrom jiceng.core import audit\nfrom .y import z\n",
        "rubrics/y.py": "z = 1\n" * (MAX_LINES + 1),
        "core/audit.py": "",
        "window/models.py": "",
    })
    assert impure_imports(tree) == [
        "rubrics/x.py:1 imports django.db: rubrics must stay pure",
        "rubrics/x.py:2 imports jiceng.core.audit: rubrics must stay pure",
    ]
    assert undeclared_packages(tree, declared_layers(FAKE_DOC)) == [
        "window is in no layer: declare it in docs/architecture.md, section 'Layers'"
    ]
    assert long_files(tree) == [f"rubrics/y.py has {MAX_LINES + 1} lines (over {MAX_LINES}): split it by concern"]
