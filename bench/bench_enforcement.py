"""Benchmark (issue 14): a county's overdue list over 300,000 clues and cases; importing 50,000 satellite spots.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiceng_bench_enf .venv/bin/python bench/bench_enforcement.py
    .venv/bin/python bench/bench_enforcement.py --rows 20000 --spots 5000        # SQLite, smaller

For PostgreSQL the database named in DATABASE_URL is dropped and created anew (never point it at real data).
Aims: the county's overdue list under 300 ms (first page of the union over both ledgers, and its count);
the spot import at ≥ 5,000 rows/s. Printed, never asserted.

Set-up: 1,300 offices in 13 counties through org.services; the clues and cases are loaded with PostgreSQL
COPY (bulk_create on SQLite), every column filled from the model's defaults, a third of them overdue. The
spots go through the real import (enforcement.spots.spot_import: parsing, checks, duplicate look-up, bulk insert).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from datetime import date, timedelta

from benchdb import fresh_database


def _region(offices: int, counties: int):
    from jiceng.accounts import services as accounts
    from jiceng.org import services

    city = services.unit_create(actor=None, parent=None, kind="city", name="基准市局", code="B")
    county_units = [services.unit_create(actor=None, parent=city, kind="county", name=f"基准{c}分局", code=f"B{c:02d}")
                    for c in range(counties)]
    office_units = [services.unit_create(actor=None, parent=county_units[i % counties], kind="office",
                                         name=f"基准{i}所", code=f"B{i % counties:02d}S{i:04d}", office_type="township")
                    for i in range(offices)]
    user = accounts.user_create(actor=None, username="bench", full_name="基准", password="Bench#pass2026",
                                must_change_password=False)
    accounts.membership_grant(actor=None, user=user, unit=county_units[0], role="county_reviewer")
    return county_units, office_units, user


def _row_values(model, overrides: dict) -> tuple[list[str], list]:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    cols, vals = [], []
    for f in fields:
        cols.append(f.column)
        value = overrides[f.name] if f.name in overrides else f.get_default()
        if f.is_relation:
            vals.append(getattr(value, "pk", value))
            continue
        vals.append(f.get_db_prep_save(value, connection=_conn()))
    return cols, vals


def _conn():
    from django.db import connection

    return connection


def _load(model, rows, make):
    """COPY (PostgreSQL) or bulk_create (SQLite) `rows` rows built by make(i) -> overrides."""
    from django.db import connection

    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**make(i)) for i in range(rows)], batch_size=2000)
        return
    import json

    cols, _ = _row_values(model, make(0))
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {model._meta.db_table} ({', '.join(cols)}) FROM STDIN") as copy:
            for i in range(rows):
                _c, vals = _row_values(model, make(i))
                copy.write_row([json.dumps(v.adapted if hasattr(v, "adapted") else v) if isinstance(
                    getattr(v, "adapted", v), (dict, list)) else (v.adapted if hasattr(v, "adapted") else v)
                    for v in vals])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300_000, help="clues and cases together")
    parser.add_argument("--spots", type=int, default=50_000)
    parser.add_argument("--offices", type=int, default=1300)
    parser.add_argument("--counties", type=int, default=13)
    args = parser.parse_args()
    described = fresh_database()
    from django.db import connection
    from django.utils import timezone

    from jiceng.core import ledgers
    from jiceng.enforcement.models import Case, Clue
    from jiceng.enforcement.spots import spot_import

    rng = random.Random(14)
    t0 = time.perf_counter()
    counties, offices, user = _region(args.offices, args.counties)
    print(f"region: {len(offices)} offices in {len(counties)} counties in {time.perf_counter() - t0:.1f} s")
    today = timezone.localdate()
    now = timezone.now()
    half = args.rows // 2

    def clue(i):
        opened = today - timedelta(days=rng.randint(0, 360))
        return {"unit": offices[i % len(offices)], "state": "registered" if (i // len(offices)) % 3 else "closed", "opened_on": opened,
                "due_on": opened + timedelta(days=21), "registered_at": now, "number": f"XS-{i}", "source": "patrol",
                "description": "基准线索", "place": "基准村"}

    def case(i):
        found = today - timedelta(days=rng.randint(0, 360))
        return {"unit": offices[i % len(offices)], "state": "filed" if (i // len(offices)) % 3 else "closed", "opened_on": found,
                "found_on": found, "due_on": found + timedelta(days=90), "number": f"AJ-{i}", "title": "基准案件",
                "party": "某某"}

    t0 = time.perf_counter()
    _load(Clue, half, clue)
    _load(Case, args.rows - half, case)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    load = time.perf_counter() - t0
    print(f"loaded {args.rows:,} clues and cases in {load:.1f} s ({args.rows / load:,.0f} rows/s)")

    county = counties[0]
    times, counted = [], 0
    for _ in range(7):
        t0 = time.perf_counter()
        qs = ledgers.overdue_union(user, unit_path=county.path, today=today)
        first = list(qs[:50])
        counts = ledgers.overdue_counts(user, unit=county, today=today)
        times.append((time.perf_counter() - t0) * 1000)
        counted = sum(sum(c.values()) for key, c in counts.items() if key.startswith("enforcement"))
    print(f"county overdue list (first 50 of {counted:,} overdue, plus counts per unit): median "
          f"{statistics.median(times[1:]):.0f} ms, best {min(times):.0f} ms (aim < 300 ms); first page {len(first)} rows")

    from jiceng.accounts.models import User

    reviewer = User.objects.get(username="bench")
    lines = ["spot_id,division,year,area,permitted_area,forbidden_area,farmland_area"]
    lines += [f"B2026{n:07d},{county.code},2026,{rng.randint(1, 50)}.5,0,1,0" for n in range(args.spots)]
    data = ("\n".join(lines) + "\n").encode()
    t0 = time.perf_counter()
    batch = spot_import(actor=reviewer, unit=county, year=2026, data=data, name="bench.csv")
    took = time.perf_counter() - t0
    print(f"spot import: {batch.rows:,} rows in {took:.2f} s = {batch.rows / took:,.0f} rows/s (aim ≥ 5,000)")
    print(f"database: {described}; machine: {platform.machine()}, {os.cpu_count()} cores, load "
          f"{os.getloadavg()[0]:.2f} (shared); python {sys.version.split()[0]}")
    _ = date


if __name__ == "__main__":
    main()
