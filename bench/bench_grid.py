"""Benchmark: grid work at county and city scale — a township's visit-compliance view, a county's survey draw,
the annual grading of every worker.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiceng_bench_grid .venv/bin/python bench/bench_grid.py \
        --workers 100000 --residents 30 --log-days 365          # the goals of issue 15
    DATABASE_URL=... .venv/bin/python bench/bench_grid.py --workers 5000 --residents 30 --log-days 90

Goals (issue 15; printed, never asserted): a township's compliance view under 500 ms, a county's survey draw
under 1 s, the year's grading of every worker under 10 s. For PostgreSQL the database named in DATABASE_URL is
dropped and created anew (never point it at real data).

Set-up: the city, counties, townships and villages through org.services; the grids, workers, households,
residents (categories on one in five), a patrol per worker per day and visits to the categorised residents at
their rule's rate are loaded with PostgreSQL COPY (residents without ID numbers: encryption would only measure
the set-up). The measured calls are the real selectors and services.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import sys
import time
from datetime import date, timedelta

from benchdb import fresh_database

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CATS = ["alone_elderly", "orphan", "disabled", "migrant", "released", "entitled"]


def _step(n: int) -> str:
    out = ""
    for _ in range(4):
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out


def _copy(table: str, columns: list[str], rows) -> int:
    from django.db import connection

    buf = io.StringIO()
    n = 0
    for row in rows:
        buf.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
        n += 1
    buf.seek(0)
    with connection.cursor() as cur:
        with cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            while chunk := buf.read(1 << 20):
                copy.write(chunk)
    return n


def _max_id(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        return cur.fetchone()[0]


def _reset_seq(table: str) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")


def build(workers: int, residents: int, log_days: int, counties: int, today: date, rng: random.Random):
    from jiceng.accounts import services as accounts
    from jiceng.org import services
    from jiceng.org.models import Unit

    city = services.unit_create(actor=None, parent=None, kind="city", name="基准市", code="B")
    grids_per_village, villages_per_township = 10, 10
    townships_total = max(1, workers // (grids_per_village * villages_per_township))
    villages = []
    for t in range(townships_total):
        county = Unit.objects.filter(code=f"B{t % counties:02d}").first() or services.unit_create(
            actor=None, parent=city, kind="county", name=f"基准{t % counties}县", code=f"B{t % counties:02d}")
        township = services.unit_create(actor=None, parent=county, kind="township", name=f"基准镇{t}", code=f"BT{t:05d}")
        for v in range(villages_per_township):
            villages.append(services.unit_create(actor=None, parent=township, kind="village", name=f"村{t}-{v}",
                                                 code=f"BV{t:05d}{v:02d}"))
    unit_cols = ["id", "path", "depth", "numchild", "kind", "name", "code", "address", "phone", "office_type",
                 "establishment_level", "has_meeting_room", "has_petition_room", "vehicles", "has_copier", "has_fax",
                 "has_camera", "computers", "networked"]
    next_id = _max_id("org_unit") + 1
    grid_rows = []
    for v in villages:
        for g in range(grids_per_village):
            grid_rows.append((next_id, v.path + _step(g + 1), v.depth + 1, 0, "grid", f"{v.name}网格{g}",
                              f"{v.code}G{g}", "", "", "", "", "f", "f", 0, "f", "f", "f", 0, "f"))
            next_id += 1
    _copy("org_unit", unit_cols, grid_rows)
    Unit.objects.filter(kind="village").update(numchild=grids_per_village)
    _reset_seq("org_unit")
    grid_ids = [r[0] for r in grid_rows]
    wid0 = _max_id("grid_gridworker") + 1
    _copy("grid_gridworker", ["id", "unit_id", "name", "work_phone", "appointment", "committee_post", "certificate",
                              "star_level", "renewed", "active"],
          ((wid0 + i, u, f"员{i}", "", "group_leader", "none", "none", 3, "f", "t") for i, u in enumerate(grid_ids)))
    _reset_seq("grid_gridworker")
    households_per_grid = max(1, residents // 3)
    hid = 1
    _copy("grid_household", ["id", "unit_id", "address", "head_name"],
          ((hid + gi * households_per_grid + h, u, f"{h}号", "") for gi, u in enumerate(grid_ids)
           for h in range(households_per_grid)))
    _reset_seq("grid_household")
    res_rows, cat_rows = [], []
    rid = 1
    for gi, u in enumerate(grid_ids):
        for r in range(residents):
            res_rows.append((rid, u, hid + gi * households_per_grid + r % households_per_grid, f"居民{rid}", "",
                             "", "", "f", "t"))
            if rid % 5 == 0:
                cat_rows.append((rid, CATS[rid % len(CATS)]))
            rid += 1
    _copy("grid_resident", ["id", "unit_id", "household_id", "name", "id_number_hash", "id_number", "phone",
                            "sensitive", "active"], res_rows)
    _copy("grid_residentcategory", ["resident_id", "category"], cat_rows)
    _reset_seq("grid_resident")
    start = today - timedelta(days=log_days - 1)

    def logs():
        for gi, u in enumerate(grid_ids):
            w = wid0 + gi
            for d in range(0, log_days, 1):
                day = start + timedelta(days=d)
                yield (u, w, day, "patrol", None, "", "", "2026-12-01 00:00:00+00")
            base = gi * residents + 1
            for r in range(residents):
                pk = base + r
                if pk % 5 == 0:
                    cat = CATS[pk % len(CATS)]
                    every = 7 if cat in ("alone_elderly", "orphan") else 30
                    for d in range(rng.randrange(every), log_days, every):
                        yield (u, w, start + timedelta(days=d), "visit", pk, cat, "", "2026-12-01 00:00:00+00")

    t = time.perf_counter()
    n_logs = _copy("grid_logentry", ["unit_id", "worker_id", "day", "kind", "resident_id", "category", "found",
                                     "recorded_at"], logs())
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("UPDATE grid_logentry SET household_id = r.household_id FROM grid_resident r "
                    "WHERE grid_logentry.resident_id = r.id")
        cur.execute("ANALYZE")
    user = accounts.user_create(actor=None, username="bench", full_name="基准", password="Bench#pass2026",
                                must_change_password=False)
    accounts.membership_grant(actor=None, user=user, unit=city, role="city_admin")
    admin = accounts.user_create(actor=None, username="benchadmin", full_name="综治", password="Bench#pass2026",
                                 must_change_password=False)
    first_township = Unit.objects.filter(kind="township").order_by("code").first()
    accounts.membership_grant(actor=None, user=admin, unit=first_township, role="grid_admin")
    return city, user, admin, len(grid_ids), len(res_rows), n_logs, time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2000)
    parser.add_argument("--residents", type=int, default=30, help="residents per grid")
    parser.add_argument("--log-days", type=int, default=90)
    parser.add_argument("--counties", type=int, default=5)
    parser.add_argument("--survey", type=int, default=20, help="respondents per worker")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench_grid needs PostgreSQL (COPY): set DATABASE_URL")
    described = fresh_database()
    from django.db import connection, transaction
    from django.db.models import Q

    from jiceng.grid import selectors
    from jiceng.grid.models import Survey, SurveyAnswer
    from jiceng.grid.services import grading, surveys
    from jiceng.org.models import Unit

    today = date(2026, 12, 3)
    rng = random.Random(15)
    t0 = time.perf_counter()
    with transaction.atomic():
        city, user, admin, grids, residents, logs, copy_s = build(args.workers, args.residents, args.log_days,
                                                                  args.counties, today, rng)
    print(f"{described}; {platform.machine()}, {os.cpu_count()} cores (shared), load {os.getloadavg()[0]:.1f}")
    print(f"set-up: {grids} workers, {residents} residents, {logs} log entries in {time.perf_counter() - t0:.1f} s "
          f"(logs COPY {copy_s:.1f} s)")

    township = Unit.objects.filter(kind="township").order_by("code").first()
    grid_q = Q(unit__in=Unit.objects.restrict(admin, "view").filter(kind="grid"))
    times = []
    for _ in range(3):
        t = time.perf_counter()
        summary = selectors.compliance_summary(grid_q, today)
        times.append(time.perf_counter() - t)
    print(f"township compliance view ({len(summary)} grids of {township.code}): best {min(times) * 1000:.0f} ms "
          f"(goal < 500 ms)")

    county = Unit.objects.filter(kind="county").order_by("code").first()
    t = time.perf_counter()
    with transaction.atomic():
        n = surveys.draw_county(actor=None, county=county, period="2026", size=args.survey, seed="bench")
    print(f"county survey draw: {n} surveys of {args.survey} in {time.perf_counter() - t:.2f} s (goal < 1 s)")
    # Surveys for the other counties and their answers (set-up, not measured).
    with transaction.atomic():
        for other in Unit.objects.filter(kind="county").exclude(pk=county.pk):
            surveys.draw_county(actor=None, county=other, period="2026", size=args.survey, seed="bench")
        rows = ((s_id, pk, "t" if (pk % 10) else "f", "2026-12-01 00:00:00+00")
                for s_id, drawn in Survey.objects.values_list("pk", "drawn") for pk in drawn)
        _copy("grid_surveyanswer", ["survey_id", "resident_id", "satisfied", "answered_at"], rows)
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    print(f"answers: {SurveyAnswer.objects.count()}")
    t = time.perf_counter()
    with transaction.atomic():
        graded = grading.grade_year(actor=user, unit=city, year=2026)
        elapsed = time.perf_counter() - t
        transaction.set_rollback(True)
    counts = {}
    for g in graded:
        counts[g.grade] = counts.get(g.grade, 0) + 1
    print(f"annual grading of {len(graded)} workers: {elapsed:.2f} s (goal < 10 s); grades {counts}")


if __name__ == "__main__":
    main()
