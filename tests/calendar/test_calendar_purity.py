"""The calendar must not depend on Django: it is the bottom layer, reused by every ledger."""

import re
import subprocess
import sys
from pathlib import Path

import jiceng.calendar

PACKAGE = Path(jiceng.calendar.__file__).parent
DJANGO_IMPORT = re.compile(
    r"^\s*(from\s+django\b|import\s+django\b)|__import__\(\s*['\"]django|import_module\(\s*['\"]django", re.MULTILINE
)


def test_no_source_file_imports_django():
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) >= 5
    offenders = [str(f) for f in files if DJANGO_IMPORT.search(f.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_package_works_with_django_unimportable():
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'django' or name.startswith('django.'):\n"
        "            raise ImportError('django is blocked in this test')\n"
        "sys.meta_path.insert(0, Block())\n"
        "for m in [m for m in sys.modules if m == 'django' or m.startswith('django.')]:\n"
        "    del sys.modules[m]\n"
        "import datetime\n"
        "import jiceng.calendar as c\n"
        "cal = c.default_calendar()\n"
        "print(cal.add_working_days(datetime.date(2026, 9, 24), 5))\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "2026-10-09"
