"""Benchmark: a county map with 10,000 markers, and the overdue petitions among 200,000 (issue 14).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiceng_patrols_bench .venv/bin/python bench/bench_patrols.py

For PostgreSQL the database named in DATABASE_URL is dropped and created anew (never point it at real
data). Aims: the county map's GeoJSON (10,000 markers) delivered under 1 s; the county's overdue
petitions list (page and count) under 300 ms. Printed, never asserted.

Set-up: 1,300 offices in 10 counties through org.services; patrols, findings and petitions loaded with
PostgreSQL COPY (SQLite: bulk_create), because replaying them through the services only measures the set-up.
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
    office_units = []
    for index in range(offices):
        county = county_units[index % counties]
        office_units.append(services.unit_create(actor=None, parent=county, kind="office", name=f"基准{index}所",
                                                 code=f"{county.code}S{index:04d}", office_type="township"))
    user = accounts.user_create(actor=None, username="bench", full_name="基准", password="Bench#pass2026",
                                must_change_password=False)
    accounts.membership_grant(actor=None, user=user, unit=county_units[0], role="county_reviewer")
    return county_units, office_units, user


def _load(model, rows: list[dict]) -> None:
    """Insert rows (dicts of column values) with COPY on PostgreSQL, bulk_create elsewhere."""
    from django.db import connection

    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**{k.removesuffix("_id") + ("_id" if k.endswith("_id") else ""): v
                                            for k, v in row.items()}) for row in rows], batch_size=5000)
        return
    columns = list(rows[0])
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f'COPY {model._meta.db_table} ({", ".join(columns)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offices", type=int, default=1300)
    parser.add_argument("--markers", type=int, default=10_000)
    parser.add_argument("--petitions", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    described = fresh_database()

    import json

    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from jiceng.ledgers.models import Petition
    from jiceng.patrols.models import Finding, Patrol

    rng = random.Random(14)
    t0 = time.perf_counter()
    counties, offices, user = _region(args.offices, 10)
    in_county = [o for o in offices if o.path.startswith(counties[0].path)]  # noqa: set-up only, not a scope check
    print(f"{described}; {len(offices)} offices set up in {time.perf_counter() - t0:.1f} s", flush=True)

    t0 = time.perf_counter()
    day = date(2026, 12, 1)
    now = timezone.now()
    patrols = [{"unit_id": in_county[i % len(in_county)].pk, "patrol_date": day - timedelta(days=i % 300),
                "inspectors": "基准巡查员", "route": "", "summary": "", "key_period": False, "unannounced": False,
                "created_at": now} for i in range(args.markers // 10)]
    _load(Patrol, patrols)
    patrol_rows = list(Patrol.objects.values_list("pk", "unit_id"))
    findings = []
    for i in range(args.markers):
        pk, unit_id = patrol_rows[i % len(patrol_rows)]
        point = {"type": "Point", "coordinates": [round(121.2 + rng.random() * 0.5, 6), round(28.5 + rng.random() * 0.4, 6)]}
        findings.append({"unit_id": unit_id, "patrol_id": pk, "description": f"基准发现问题{i}",
                         "location": json.dumps(point), "place": "", "clue_id": "", "clue_url": "", "created_at": now})
    _load(Finding, findings)
    states = ["received", "handling", "replied", "closed", "closed", "closed"]
    petitions = []
    for i in range(args.petitions):
        opened = date(2026, 1, 1) + timedelta(days=i % 300)
        state = states[i % len(states)]
        petitions.append({"unit_id": offices[i % len(offices)].pk, "state": state, "opened_on": opened,
                          "due_on": opened + timedelta(days=60), "version": 1, "number": f"XF{i:07d}",
                          "channel": "visit", "superior_assigned": i % 7 == 0, "category": "land",
                          "petitioner": "某某", "subject": "基准信访事项", "handling": "", "reply": "",
                          "satisfaction": "", "closed_at": now if state == "closed" else None})
    _load(Petition, petitions)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"loaded {len(patrols)} patrols, {len(findings)} findings (markers), {len(petitions)} petitions "
          f"in {time.perf_counter() - t0:.1f} s", flush=True)

    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    def timed(url, params=None):
        times, size = [], 0
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get(url, params or {})
            body = response.content
            times.append(time.perf_counter() - start)
            size = len(body)
            assert response.status_code == 200, (url, response.status_code)
        return statistics.median(times), min(times), size, body

    median, best, size, body = timed(f"/patrols/map/{counties[0].pk}/data.json", {"layer": "patrols.findings"})
    markers = len(json.loads(body)["features"]["features"])
    print(f"county map GeoJSON: {markers} markers, {size / 1e6:.2f} MB, median {median * 1000:.0f} ms "
          f"(best {best * 1000:.0f} ms) over {args.runs} runs [aim < 1000 ms]", flush=True)

    median, best, size, _body = timed("/ledgers/petitions/", {"overdue": "on"})
    overdue = Petition.objects.restrict(user, "view").filter(state__in=Petition.open_states,
                                                             due_on__lt=timezone.localdate()).count()
    print(f"county overdue petitions page (of {args.petitions} petitions, {overdue} overdue in the county): "
          f"median {median * 1000:.0f} ms (best {best * 1000:.0f} ms) [aim < 300 ms]", flush=True)

    from jiceng.ledgers.selectors import petition_rates

    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        rates = petition_rates(user, counties[0])
        times.append(time.perf_counter() - start)
    print(f"county closure rates (DB aggregates): {rates['closure'].percent} % / {rates['superior_closure'].percent} %, "
          f"median {statistics.median(times) * 1000:.0f} ms", flush=True)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}; python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
