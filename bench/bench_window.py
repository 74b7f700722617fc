"""Benchmark: window cases (办件) over many centres — county open-case list, intake, monthly unit figures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiceng_bench_window \
        .venv/bin/python bench/bench_window.py --cases 300000 --centres 1300

PostgreSQL only (the cases are loaded with COPY); the database named in DATABASE_URL is dropped
and created anew: never point it at real data. Goals (issue 13, at 3,000,000 cases over 1,300
units): the county's open-case list, first page, under 300 ms; one intake under 100 ms; one
unit's monthly figures under 200 ms. Printed, never asserted.

Set-up: units, accounts and one catalogue item per county go through the services (audited);
the cases are generated (a year, every state, due dates and decisions) and COPYed in, then
ANALYZEd. The timings are medians of repeated runs of the real code: the list through the view
(rendered page, Paginator count and first page), intake through services.intake, the figures
through window.figures.figures.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta

from benchdb import fresh_database


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _setup(centres: int, counties: int):
    from jiceng.accounts import services as accounts
    from jiceng.org import services
    from jiceng.window import catalogue

    city = services.unit_create(actor=None, parent=None, kind="city", name="基准市局", code="W")
    head = accounts.user_create(actor=None, username="head", full_name="基准主任", password="Bench#pass2026",
                                must_change_password=False)
    county_units, centre_units, items = [], [], []
    for c in range(counties):
        county = services.unit_create(actor=None, parent=city, kind="county", name=f"基准{c}县局", code=f"W{c:02d}")
        county_units.append(county)
    for n in range(centres):
        county = county_units[n % counties]
        town = services.unit_create(actor=None, parent=county, kind="township", name=f"基准{n}镇",
                                    code=f"{county.code}T{n:04d}")
        centre_units.append(services.unit_create(actor=None, parent=town, kind="service_centre",
                                                 name=f"基准{n}镇中心", code=f"{town.code}C"))
    for county in county_units:
        accounts.membership_grant(actor=None, user=head, unit=county, role="office_head")
        elements = {"name": "农村村民宅基地审批", "item_type": "licence", "department": "自然资源所",
                    "implementing_body": "乡镇人民政府", "legal_basis": "《土地管理法》第六十二条",
                    "statutory_days": 20, "promised_days": 15, "cross_township": True}
        items.append(catalogue.create_item(county, actor=head, code=f"{county.code}-ZJD", reason="基准",
                                           elements=elements, materials=[{"name": "身份证", "original": True}]))
    clerk = accounts.user_create(actor=None, username="clerk", full_name="基准窗口", password="Bench#pass2026",
                                 must_change_password=False)
    accounts.membership_grant(actor=None, user=clerk, unit=centre_units[0], role="window_staff")
    reviewer = accounts.user_create(actor=None, username="reviewer", full_name="基准县局", password="Bench#pass2026",
                                    must_change_password=False)
    accounts.membership_grant(actor=None, user=reviewer, unit=county_units[0], role="county_reviewer")
    return county_units, centre_units, items, clerk, reviewer


COLUMNS = ("unit_id", "state", "opened_on", "due_on", "closed_at", "version", "created_by_id", "number", "item_id",
           "item_version_id", "applicant_kind", "applicant_name", "applicant_id_hash", "applicant_id_number",
           "credit_code", "phone", "channel", "agent_name", "consent", "materials_ticked", "received_by_id",
           "handler_id", "received_at", "received_on", "noticed_on", "accepted_on", "accepted_at", "deemed_accepted",
           "refusal_reason", "refusal_basis", "review_opinion", "decided_at", "decided_on", "outcome", "decision_text",
           "delivered_at", "promised_due", "statutory_due", "working_days", "extended")


def _load_cases(n: int, centres, items, counties: int, clerk, today: date, rng: random.Random) -> None:
    from django.db import connection

    versions = [item.current.pk for item in items]
    item_ids = [item.pk for item in items]
    buf = io.StringIO()
    for i in range(n):
        c = i % len(centres)
        unit = centres[c]
        received = today - timedelta(days=rng.randint(0, 364))
        at = datetime(received.year, received.month, received.day, 9 + rng.randint(0, 7), rng.randint(0, 59))
        roll = rng.random()
        accepted = decided = delivered = noticed = None
        state, due, closed = "received", received + timedelta(days=7), None
        promised = statutory = None
        if roll < 0.05:
            state, closed = "refused", at
        elif roll < 0.10:
            state, noticed, due = "correcting", received, None
        elif roll > 0.12:
            accepted = received
            promised, statutory = received + timedelta(days=21), received + timedelta(days=28)
            state, due = "accepted", promised
            if received < today - timedelta(days=30) or roll > 0.6:
                decided = accepted + timedelta(days=rng.randint(0, 25))
                state, due = "decided", decided + timedelta(days=14)
                if decided < today - timedelta(days=3):
                    delivered, state, closed = decided + timedelta(days=1), "delivered", at
        def d(x):
            return x.isoformat() if x else r"\N"

        def t(x):
            return x.isoformat() + "+08:00" if x else r"\N"

        row = (unit.pk, state, received.isoformat(), d(due), t(closed), 1, clerk.pk, f"B{i:09d}",
               item_ids[c % counties], versions[c % counties], "person", "基准申请人", "", "", "", "", "window", "",
               "", "[]", clerk.pk, clerk.pk, t(at), received.isoformat(), d(noticed), d(accepted),
               t(datetime.combine(accepted, at.time()) if accepted else None), "f", "", "", "",
               t(datetime.combine(decided, at.time()) if decided else None), d(decided),
               "granted" if decided else "", "", t(datetime.combine(delivered, at.time()) if delivered else None),
               d(promised), d(statutory), (decided - accepted).days if decided else r"\N", "f")
        buf.write("\t".join(str(v) for v in row) + "\n")
    buf.seek(0)
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY window_case ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            while chunk := buf.read(1 << 20):
                copy.write(chunk)
        cursor.execute("ANALYZE window_case")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=300_000)
    parser.add_argument("--centres", type=int, default=1300)
    parser.add_argument("--counties", type=int, default=13)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench_window loads the cases with PostgreSQL COPY: set DATABASE_URL=postgres://…")
    described = fresh_database()
    from django.test import Client
    from django.utils import timezone

    from jiceng.window import figures, services
    from jiceng.window.models import Case

    rng = random.Random(13)
    started = time.perf_counter()
    counties, centres, items, clerk, reviewer = _setup(args.centres, args.counties)
    setup_s = time.perf_counter() - started
    today = timezone.localdate()
    started = time.perf_counter()
    _load_cases(args.cases, centres, items, args.counties, clerk, today, rng)
    load_s = time.perf_counter() - started
    county_open = Case.objects.restrict(reviewer).filter(state__in=[str(s) for s in Case.open_states]).count()

    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(reviewer, backend="django.contrib.auth.backends.ModelBackend")
    for url in ("/window/?state=accepted", "/window/"):  # warm, and check the page answers
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    list_ms = _median_ms(lambda: client.get("/window/?state=accepted"), args.runs)
    list_all_ms = _median_ms(lambda: client.get("/window/"), args.runs)

    item = items[0]
    n = iter(range(10_000))

    def intake():
        services.intake(centres[0], item, actor=clerk, applicant_kind="person", applicant_name="计时申请人",
                        id_number="11010519491231002X", phone="13800138000")
        next(n)

    intake()
    intake_ms = _median_ms(intake, args.runs)
    first, last = figures.month(today.replace(day=1) - timedelta(days=1))
    unit_qs = Case.objects.filter(unit=centres[1])
    figures.figures(unit_qs, first, last, today)
    figures_ms = _median_ms(lambda: figures.figures(unit_qs, first, last, today), args.runs)
    county_qs = Case.objects.restrict(reviewer, "window.figures")
    county_fig_ms = _median_ms(lambda: figures.per_unit(county_qs, first, last, today), max(3, args.runs // 3))

    load = os.getloadavg()
    print(f"{described}; Python {platform.python_version()}; {os.cpu_count()} cores; load {load[0]:.1f}")
    print(f"set-up through the services: {args.centres} centres, {args.counties} counties, {setup_s:.1f} s")
    print(f"generating and COPYing {args.cases:,} cases: {load_s:.1f} s ({args.cases / load_s:,.0f} rows/s); "
          f"county 0 has {county_open:,} open cases")
    print(f"county open-case list (accepted), first page, rendered: {list_ms:.0f} ms (goal < 300)")
    print(f"county case list (all states), first page, rendered:    {list_all_ms:.0f} ms")
    print(f"intake (services.intake, audited):                      {intake_ms:.0f} ms (goal < 100)")
    print(f"one centre's monthly figures (one aggregate):           {figures_ms:.0f} ms (goal < 200)")
    print(f"a county's monthly figures per unit (GROUP BY):         {county_fig_ms:.0f} ms")


if __name__ == "__main__":
    main()
