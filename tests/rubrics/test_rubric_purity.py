"""The rubric engine must not depend on Django: it is fuzzed and reused outside the web app."""

import re
import subprocess
import sys
from pathlib import Path

import jiceng.rubrics

PACKAGE = Path(jiceng.rubrics.__file__).parent
DJANGO_IMPORT = re.compile(r"^\s*(from\s+django\b|import\s+django\b)|__import__\(\s*['\"]django|import_module\(\s*['\"]django",
                           re.MULTILINE)


def test_no_source_file_imports_django():
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) >= 10
    offenders = [str(f) for f in files if DJANGO_IMPORT.search(f.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_scan_would_catch_a_django_import():
    assert DJANGO_IMPORT.search("from django.db import models\n")
    assert DJANGO_IMPORT.search("    import django\n")
    assert not DJANGO_IMPORT.search("# no django here\nimport yaml\n")


def test_package_imports_and_scores_with_django_unimportable():
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'django' or name.startswith('django.'):\n"
        "            raise ImportError('django is blocked in this test')\n"
        "sys.meta_path.insert(0, Block())\n"
        "for m in [m for m in sys.modules if m == 'django' or m.startswith('django.')]:\n"
        "    del sys.modules[m]\n"
        "import jiceng.rubrics as r\n"
        "s = r.builtin_scheme('taizhou-office-2021')\n"
        "res = r.score(s, {'items': {i: 0.5 for i in s.ids}}, partial=True)\n"
        "import jiceng.rubrics.cli, jiceng.rubrics.population\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)\n"
        "try:\n"
        "    import django\n"
        "except ImportError:\n"
        "    print('blocked', res.grade)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "blocked 未达标"
