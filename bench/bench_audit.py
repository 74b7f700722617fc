"""Benchmark: audited writes per second with concurrent writers, at the service level.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiceng_audit .venv/bin/python bench/bench_audit.py [--writers 8] [--seconds 10] [--one-chain]

Each writer is a thread with its own database connection that calls
`audit.record_now()` in a loop (one transaction per record, as concurrent
requests do), with a `unit` so per-county chains (if configured) are spread as
real traffic would be (each county is its own chain with its own lock;
`--one-chain` writes without units, so every writer waits on one chain). Prints the total rate, the per-writer spread and the
load average, then verifies the whole trail (every chain end to end) and
prints how long that took. The database named in DATABASE_URL is dropped and
created anew: never point it at real data.
"""

from __future__ import annotations

import argparse
import os
import platform
import threading
import time

from benchdb import fresh_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--counties", type=int, default=8)
    parser.add_argument("--one-chain", action="store_true",
                        help="write every record without a unit, so all writers share one chain and its lock")
    args = parser.parse_args()
    described = fresh_database()

    from django.db import connections

    from jiceng.core import audit, audit_chain
    from jiceng.core.models import AuditEvent, EventType
    from jiceng.org import services

    city = services.unit_create(actor=None, parent=None, kind="city", name="基准市局", code="B")
    counties = [
        services.unit_create(actor=None, parent=city, kind="county", name=f"基准{n}县局", code=f"B{n}")
        for n in range(args.counties)
    ]
    offices = [
        services.unit_create(actor=None, parent=c, kind="office", name=f"{c.name}一所", code=f"{c.code}S1", office_type="township")
        for c in counties
    ]
    connections.close_all()
    start_count = AuditEvent.objects.count()
    connections.close_all()

    counts = [0] * args.writers
    errors: list[BaseException] = []
    barrier = threading.Barrier(args.writers + 1)
    stop = threading.Event()

    def writer(number: int) -> None:
        try:
            barrier.wait()
            index = 0
            while not stop.is_set():
                unit = None if args.one_chain else offices[(number + index) % len(offices)]
                audit.record_now(EventType.SETTINGS_CHANGE, actor_name=f"w{number}", unit=unit, details={"i": index})
                index += 1
                counts[number] += 1
        except BaseException as exc:  # noqa: BLE001 - printed below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(args.writers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    time.sleep(args.seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    load = os.getloadavg()
    total = sum(counts)
    print(f"{described}, {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs")
    chains = AuditEvent.objects.values("chain").distinct().count() if hasattr(AuditEvent, "chain") else 1
    mode = "one chain" if args.one_chain else f"units in {args.counties} counties"
    print(f"writers: {args.writers} ({mode}; {chains} chains in the trail), seconds: {elapsed:.1f}, "
          f"load average before verify: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if errors:
        print(f"ERRORS: {len(errors)}: {errors[0]!r}")
    print(f"audited writes: {total}  ->  {total / elapsed:,.0f} writes/s (per writer min {min(counts)}, max {max(counts)})")
    assert AuditEvent.objects.count() == start_count + total
    began = time.perf_counter()
    result = audit_chain.verify()
    took = time.perf_counter() - began
    print(f"verify: {'OK' if result.ok else 'BROKEN ' + result.problem}, {result.checked} rows in {took:.2f} s ({result.checked / took:,.0f} rows/s)")


if __name__ == "__main__":
    main()
