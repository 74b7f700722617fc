"""Benchmark: the indicators layer over a synthetic province-year on PostgreSQL (issue 16).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiceng_bench_metrics \\
        /work/main/.venv/bin/python bench/bench_metrics.py --cases 1000000

The database named in DATABASE_URL is dropped and created anew (never point it at real data).
The province: 11 cities × 10 counties × 11 offices (1,331 units); the ledger is tests/ledger_app's Case table
(a real LedgerRow table, installed for the run as the test suite installs it), loaded with PostgreSQL COPY,
rows spread over the offices and over 2026 up to today. Four indicators over it (closed share, closed on time,
paused share — monthly percentages — and cases opened, a count). Timed three ways for every unit and month:

  (a) the layer: metrics.compute.compute per indicator (one GROUP BY each, stored with bulk_create);
  (b) a hand-written SQL GROUP BY per indicator, stored by INSERT … SELECT into a table of the layer's
      table's shape (its columns, unique key, indexes and foreign key);
  (c) a naive loop: for each office and month, the ORM's aggregate() on that office's rows.

Then a day's new records (1/300 of the year, all dated today) are copied in and the latest month is refreshed
(what the daily task does) against the full computation. Prints a/b (goal ≤ 1.5), c/a (goal ≥ 20) and
refresh/full (goal < 10 %); nothing is asserted.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from benchdb import fresh_database

ROOT = Path(__file__).resolve().parent.parent


def _install_ledger_app() -> None:
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command

    sys.path.insert(0, str(ROOT / "tests"))
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "ledger_app"]
    apps.app_configs = {}
    apps.apps_ready = apps.models_ready = apps.loading = apps.ready = False
    apps.clear_cache()
    apps.populate(settings.INSTALLED_APPS)
    call_command("migrate", "ledger_app", verbosity=0)


def _units(cities: int, counties: int, offices: int) -> list[int]:
    """The tree by bulk_create (paths written directly: 4 digits a level); returns the offices' ids."""
    from jiceng.org.models import Unit

    rows = []
    for c in range(1, cities + 1):
        city = f"{c:04d}"
        rows.append(Unit(path=city, depth=1, numchild=counties, kind="city", name=f"基准{c}市", code=f"P{c:02d}"))
        for k in range(1, counties + 1):
            county = f"{city}{k:04d}"
            rows.append(Unit(path=county, depth=2, numchild=offices, kind="county", name=f"基准{c}-{k}县",
                             code=f"P{c:02d}{k:02d}"))
            for o in range(1, offices + 1):
                rows.append(Unit(path=f"{county}{o:04d}", depth=3, numchild=0, kind="office",
                                 name=f"基准{c}-{k}-{o}所", code=f"P{c:02d}{k:02d}{o:02d}", office_type="township"))
    Unit.objects.bulk_create(rows, batch_size=2000)
    return list(Unit.objects.filter(kind="office").values_list("pk", flat=True))


def _copy_cases(offices: list[int], count: int, rng: random.Random, first: date, last: date) -> None:
    """COPY `count` cases into ledger_app_case, opened between `first` and `last`."""
    from django.db import connection

    days = (last - first).days + 1
    buffer = io.StringIO()
    for _ in range(count):
        unit = offices[int(rng.random() * len(offices))]
        opened = first + timedelta(days=int(rng.random() * days))
        due = opened + timedelta(days=20)
        roll = rng.random()
        state = "closed" if roll < 0.8 else ("paused" if roll < 0.85 else "open")
        closed = ""
        if state == "closed":
            late = int(rng.random() * 26)
            closed = datetime(opened.year, opened.month, opened.day, 10, tzinfo=UTC) + timedelta(days=late)
            closed = closed.isoformat()
        buffer.write(f"{unit}\t{state}\t{opened.isoformat()}\t{due.isoformat()}\t{closed or chr(92) + 'N'}\t1\t件\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        with cursor.copy("COPY ledger_app_case (unit_id, state, opened_on, due_on, closed_at, version, subject) "
                         "FROM STDIN") as copy:
            while chunk := buffer.read(1 << 20):
                copy.write(chunk)
        cursor.execute("ANALYZE ledger_app_case")


def _indicators():
    from django.db.models import F, Q

    from jiceng.metrics import indicators as m

    common = dict(app="bench", grain=m.MONTH, model="ledger_app.Case", unit_field="unit", date_field="opened_on")
    declared = [
        m.Indicator(id="bench.closed", name="办结率", unit=m.PERCENT, numerator=m.Count(filter=Q(state="closed")),
                    denominator=m.Count(), factor=100, **common),
        m.Indicator(id="bench.on_time", name="按时办结率", unit=m.PERCENT,
                    numerator=m.Count(filter=Q(state="closed", closed_at__date__lte=F("due_on"))),
                    denominator=m.Count(filter=Q(state="closed")), factor=100, **common),
        m.Indicator(id="bench.paused", name="中止率", unit=m.PERCENT, numerator=m.Count(filter=Q(state="paused")),
                    denominator=m.Count(), factor=100, **common),
        m.Indicator(id="bench.opened", name="受理件数", unit=m.COUNT, numerator=m.Count(), **common),
    ]
    return [m.register(indicator) for indicator in declared]


# The hand-written reference: one GROUP BY per indicator (the same figures the layer stores), as (n, d).
_CLOSED = "state = 'closed'"
_ON_TIME = "state = 'closed' AND (closed_at AT TIME ZONE 'Asia/Shanghai')::date <= due_on"
SQL = {
    "bench.closed": f"count(*) FILTER (WHERE {_CLOSED}) n, count(*) d",
    "bench.on_time": f"count(*) FILTER (WHERE {_ON_TIME}) n, count(*) FILTER (WHERE {_CLOSED}) d",
    "bench.paused": "count(*) FILTER (WHERE state = 'paused') n, count(*) d",
    "bench.opened": "count(*) n, count(*) d",
}


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _layer(declared):
    from jiceng.metrics import compute

    return sum(compute.compute(indicator) for indicator in declared)


def _reference():
    """Each GROUP BY stored as the layer stores it (INSERT … SELECT into a table of the same shape)."""
    from django.db import connection, transaction

    rows = 0
    with transaction.atomic(), connection.cursor() as cursor:
        # The same shape as the layer's table: its columns, unique key, indexes and foreign key to the unit.
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_reference (LIKE metrics_indicatorvalue INCLUDING ALL, "
                       "FOREIGN KEY (unit_id) REFERENCES org_unit (id) DEFERRABLE INITIALLY DEFERRED)")
        for indicator_id, sums in SQL.items():
            cursor.execute("DELETE FROM bench_reference WHERE indicator = %s", [indicator_id])
            cursor.execute(
                "INSERT INTO bench_reference (indicator, unit_id, period, numerator, denominator, computed_at) "
                "SELECT %s, unit_id, to_char(date_trunc('month', opened_on), 'YYYY-MM'), "
                f"{sums}, now() FROM ledger_app_case GROUP BY 2, 3", [indicator_id])
            rows += cursor.rowcount
    return rows


def _naive(declared, offices, months):
    from django.db.models import Count

    from jiceng.metrics import indicators as registry
    from ledger_app.models import Case

    groups = 0
    for indicator in declared:
        denominator = registry.denominator_of(indicator)
        for unit_id in offices:
            for month in months:
                following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
                sums = Case.objects.filter(unit_id=unit_id, opened_on__gte=month, opened_on__lt=following).aggregate(
                    n=Count("pk", filter=indicator.numerator.filter), d=Count("pk", filter=denominator.filter))
                groups += 1 if sums["d"] else 0
    return groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--cities", type=int, default=11)
    parser.add_argument("--counties", type=int, default=10, help="per city")
    parser.add_argument("--offices", type=int, default=11, help="per county")
    parser.add_argument("--naive-offices", type=int, default=0,
                        help="time (c) on this many offices and scale up by the office count (0: all)")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench_metrics runs on PostgreSQL: set DATABASE_URL=postgres://…")
    described = fresh_database()
    _install_ledger_app()
    from django.db import connection
    from django.utils import timezone

    from jiceng.metrics import compute, values
    from jiceng.org.models import Unit

    rng = random.Random(args.seed)
    today = timezone.localdate()
    first = date(today.year, 1, 1)
    started = time.perf_counter()
    offices = _units(args.cities, args.counties, args.offices)
    load, _ = _timed(lambda: _copy_cases(offices, args.cases, rng, first, today - timedelta(days=1)))
    with connection.cursor() as cursor:
        # The index a ledger keeps on its date field, so a month's refresh reads only that month.
        cursor.execute("CREATE INDEX bench_case_opened ON ledger_app_case (opened_on)")
        cursor.execute("ANALYZE ledger_app_case")
    units = Unit.objects.count()
    print(f"{described}; {platform.node()} {os.cpu_count()} cores (shared; load {os.getloadavg()[0]:.1f}); "
          f"{units} units, {len(offices)} offices, {args.cases:,} cases loaded by COPY in {load:.1f}s")
    declared = _indicators()

    _reference()  # warm the cache for every method alike
    a, written = _timed(lambda: _layer(declared))
    b, grouped = _timed(_reference)
    a2, _ = _timed(lambda: _layer(declared))
    b2, _ = _timed(_reference)
    a, b = min(a, a2), min(b, b2)
    months = [date(today.year, m, 1) for m in range(1, today.month + 1)]
    sample = offices if not args.naive_offices else offices[: args.naive_offices]
    c, _ = _timed(lambda: _naive(declared, sample, months))
    c_scaled = c * len(offices) / len(sample)
    print(f"(a) layer:             {a:8.2f} s  ({written:,} values written, {len(declared)} indicators)")
    print(f"(b) hand-written SQL:  {b:8.2f} s  ({grouped:,} groups stored)")
    print(f"(c) naive ORM loop:    {c_scaled:8.2f} s  ({len(sample) * len(months) * len(declared):,} queries"
          f"{'' if sample is offices else f', measured on {len(sample)} offices and scaled'})")
    print(f"a/b = {a / b:.2f} (goal ≤ 1.5)   c/a = {c_scaled / a:.1f} (goal ≥ 20)")

    # A day's new records, then the latest month's refresh (the daily task) against the full computation.
    day = max(1, args.cases // 300)
    _copy_cases(offices, day, rng, today, today)
    from jiceng.metrics.periods import containing

    latest = [containing(today, "month")]
    refresh, _ = _timed(lambda: sum(compute.compute(ind, periods=latest) for ind in declared))
    full, _ = _timed(lambda: _layer(declared))
    print(f"refresh of {latest[0]} after {day:,} new records: {refresh:.2f} s; full: {full:.2f} s; "
          f"refresh/full = {refresh / full:.1%} (goal < 10 %)")

    # A county's dashboard figures: its value, its trend and the ranking of its offices.
    county = Unit.objects.filter(kind="county").first()
    from jiceng.metrics.views import dashboard_data

    class Reader:  # a user of the whole province for `holds`
        is_authenticated = is_active = True

        def scope_paths(self, action):
            return [unit.path for unit in Unit.objects.filter(depth=1)]

    dash, _ = _timed(lambda: dashboard_data(Reader(), declared[0], county, str(today.year)))
    city = Unit.objects.filter(kind="city").first()
    cdash, _ = _timed(lambda: dashboard_data(Reader(), declared[0], city, str(today.year)))
    got = values.value(declared[0], city, str(today.year))
    print(f"county dashboard data: {dash * 1000:.0f} ms; city dashboard data: {cdash * 1000:.0f} ms "
          f"(city {city.code} {today.year}: {got.numerator}/{got.denominator})")
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
