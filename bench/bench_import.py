"""Benchmark: import a 100,000-row staff xlsx and print rows per second.

    .venv/bin/python bench/bench_import.py [--rows N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiceng_bench .venv/bin/python bench/bench_import.py

SQLite runs in a fresh temporary data directory. For PostgreSQL the database
named in DATABASE_URL is dropped and created anew (never point it at real
data). Three timings: the first import (all rows created), the same file again
(every row matched, nothing changed) and a file where every name changed (every
row updated, each change in the import's audit record). The import runs as a
city administrator, so the scope look-ups are part of what is measured.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from benchdb import fresh_database


def _region(offices: int):
    from jiceng.org import services

    city = services.unit_create(actor=None, parent=None, kind="city", name="基准市局", code="B")
    county = services.unit_create(actor=None, parent=city, kind="county", name="基准县局", code="B1")
    codes = []
    for index in range(offices):
        code = f"B1S{index:03d}"
        services.unit_create(actor=None, parent=county, kind="office", name=f"基准{index}所", code=code, office_type="township")
        codes.append(code)
    from jiceng.accounts import services as accounts

    user = accounts.user_create(actor=None, username="bench", full_name="基准", password="Bench#pass2026", must_change_password=False)
    accounts.membership_grant(actor=None, user=user, unit=city, role="city_admin")
    return user, codes


def _write_file(path: Path, rows: int, codes: list[str], rename: bool = False) -> None:
    from openpyxl import Workbook

    from jiceng.core import pii
    from jiceng.core.tabular.columns import zh_label
    from jiceng.org.importers import StaffImport
    from jiceng.org.models import Education, EmploymentType, Gender, PoliticalStatus, Post

    labels = {
        "gender": [zh_label(label) for _v, label in Gender.choices],
        "education": [zh_label(label) for _v, label in Education.choices],
        "political": [zh_label(label) for _v, label in PoliticalStatus.choices],
        "employment": [zh_label(label) for _v, label in EmploymentType.choices],
        "post": [zh_label(label) for _v, label in Post.choices],
    }
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("人员")
    ws.append([c.header for c in StaffImport.columns])
    start = date(1960, 1, 1)
    for i in range(rows):
        born = start + timedelta(days=i % 15000)
        body = f"331002{born:%Y%m%d}{i // 15000:03d}"
        ws.append(
            [
                codes[i % len(codes)],
                f"{'改' if rename else ''}职工{i}",
                labels["gender"][i % 2],
                body + pii.id_check_digit(body),
                born,
                labels["education"][i % 5],
                labels["political"][i % 5],
                labels["employment"][i % 4],
                "",
                labels["post"][i % 9],
                date(2015, 1, 1) + timedelta(days=i % 2000),
                f"138{i:08d}",
                "是",
            ]
        )
    workbook.save(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--offices", type=int, default=200)
    args = parser.parse_args()
    database = fresh_database()

    from jiceng.org.importers import StaffImport
    from jiceng.org.models import Staff

    user, codes = _region(args.offices)
    # The files depend only on the row and office counts: built once, kept for the next run.
    work = Path(tempfile.gettempdir()) / f"jiceng-bench-import-{args.rows}-{args.offices}"
    work.mkdir(exist_ok=True)
    first, renamed = work / "staff.xlsx", work / "staff-renamed.xlsx"
    started = time.perf_counter()
    if not (first.exists() and renamed.exists()):
        _write_file(first, args.rows, codes)
        _write_file(renamed, args.rows, codes, rename=True)
        print(f"built two {args.rows:,}-row files in {time.perf_counter() - started:.1f} s", end=" ")
    print(f"({first.stat().st_size / 1e6:.1f} MB each, in {work})")
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, {database}")

    for label, path, expect in (
        ("first import (all created)", first, "created"),
        ("same file again (all unchanged)", first, "unchanged"),
        ("every name changed (all updated)", renamed, "updated"),
    ):
        started, cpu = time.perf_counter(), time.process_time()
        result = StaffImport(user).run(path)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        if not result.ok:
            print("\n".join(error.line() for error in result.errors[:20]))
            return 1
        assert getattr(result, expect) == args.rows, (label, result.created, result.updated, result.unchanged)
        print(
            f"{label:<34} {args.rows:>8,} rows in {elapsed:6.1f} s = {args.rows / elapsed:8,.0f} rows/s"
            f"   (this process's CPU: {cpu:5.1f} s = {args.rows / cpu:8,.0f} rows/s)"
        )
    assert Staff.objects.count() == args.rows
    # Other jobs on a shared machine slow the wall-clock figures down; say how busy it was.
    print("load average (1/5/15 min): {:.2f} / {:.2f} / {:.2f}".format(*os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
