"""Benchmark of the working-day clock against chinesecalendar's own ``find_workday``.

Usage:  .venv/bin/python bench/bench_calendar.py [--adds 10000] [--cases 10000] [--repeat 3] [--no-write]

Pure Python, no database. Pins itself to one CPU, draws seeded random starts in 2025-2026
and n in 1..60 (kept only where the result stays inside the package's last year, so both
sides can answer; not timed), then times, best of ``--repeat``:

* the same adds with ``WorkCalendar.add_working_days`` and with
  ``chinese_calendar.find_workday(n - 1, start + 1 day)`` (the same date: see
  tests/calendar/test_calendar_property.py), checking that every answer agrees;
* 10,000 open cases' deadlines, as a list page would compute them per request: 20 working
  days from acceptance, a third of them with a 补正 stop, a tenth with a 10-day extension
  (行政许可法 第四十二条), and the working days left until each due date;
* building the clock (every package year's schedule and index) from nothing.

Unless --no-write it rewrites the "## Working-day clock" section of docs/benchmarks.md.
It never asserts on timing.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shlex
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar

from jiceng.calendar import Extension, Stop, WorkCalendar, default_calendar, reckon, working
from jiceng.calendar import package as package_module

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Working-day clock (issue 11 item 4)"


def best(fn, repeat: int) -> tuple[float, list[float], object]:
    runs, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - t0)
    return min(runs), runs, result


def draw_adds(cal: WorkCalendar, n: int, rng: random.Random) -> list[tuple[date, int]]:
    first, last = date(2025, 1, 1).toordinal(), date(2026, 12, 31).toordinal()
    out = []
    while len(out) < n:
        start, k = date.fromordinal(rng.randint(first, last)), rng.randint(1, 60)
        try:
            cal.add_working_days(start, k)
        except LookupError:
            continue
        out.append((start, k))
    return out


def draw_cases(cal: WorkCalendar, n: int, rng: random.Random) -> list[tuple]:
    first, last = date(2025, 1, 1).toordinal(), date(2026, 9, 30).toordinal()
    cases = []
    for _ in range(n):
        start = date.fromordinal(rng.randint(first, last))
        stops = []
        if rng.random() < 1 / 3:
            a = start + timedelta(days=rng.randint(1, 10))
            stops.append(Stop(a, a + timedelta(days=rng.randint(0, 14)), "补正"))
        extensions = [Extension(10, "情况复杂", "局长")] if rng.random() < 0.1 else []
        cases.append((start, stops, extensions))
    return cases


def machine() -> dict[str, str]:
    cpu = "n/a"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "chinesecalendar": package_module.version(),
        "load": load,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adds", type=int, default=10_000)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261204)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    rng = random.Random(args.seed)

    def build():
        package_module.package_schedules.cache_clear()
        return default_calendar()

    t_build, build_runs, cal = best(build, args.repeat)
    adds = draw_adds(cal, args.adds, rng)
    cases = draw_cases(cal, args.cases, rng)
    today = date(2026, 10, 15)

    def ours():
        add = cal.add_working_days
        return [add(s, k) for s, k in adds]

    def theirs():
        find, one = chinese_calendar.find_workday, timedelta(days=1)
        return [find(k - 1, s + one) for s, k in adds]

    def deadlines():
        out = []
        between, period = cal.between, working(20)
        for start, stops, extensions in cases:
            due = reckon(cal, start, period, stops, extensions).due
            out.append((due, between(today, due)))
        return out

    t_ours, ours_runs, a = best(ours, args.repeat)
    t_theirs, theirs_runs, b = best(theirs, args.repeat)
    if a != b:
        bad = next(i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y)
        print(f"DISAGREE at {adds[bad]}: ours {a[bad]}, find_workday {b[bad]}", file=sys.stderr)
        return 1
    t_cases, cases_runs, _ = best(deadlines, args.repeat)

    fmt = lambda runs: ", ".join(f"{r * 1000:.1f}" for r in runs)  # noqa: E731
    info = machine()
    lines = [
        f"- Same {len(adds):,} adds (starts in 2025-2026, n in 1..60; every answer agrees): "
        f"WorkCalendar {len(adds) / t_ours:,.0f} adds/s ({t_ours * 1000:.1f} ms; runs {fmt(ours_runs)} ms), "
        f"chinesecalendar find_workday {len(adds) / t_theirs:,.0f} adds/s ({t_theirs * 1000:.1f} ms; runs "
        f"{fmt(theirs_runs)} ms) -> **{t_theirs / t_ours:,.0f}x** faster",
        f"- {len(cases):,} open cases' deadlines (20 working days, 1/3 with a 补正 stop, 1/10 with a 10-day "
        f"extension, plus working days left): {t_cases * 1000:.1f} ms ({len(cases) / t_cases:,.0f} cases/s; "
        f"runs {fmt(cases_runs)} ms)",
        f"- Building the clock from nothing (all {len(cal.years)} package years: schedules, validation, index): "
        f"{t_build * 1000:.1f} ms (runs {fmt(build_runs)} ms); done once per process and again only when a "
        f"schedule is loaded",
    ]
    print("\n".join(lines))
    if not args.no_write:
        command = "cd /work/main && .venv/bin/python bench/bench_calendar.py" + (
            " " + shlex.join(argv) if argv else ""
        )
        write_doc(lines, info, command)
    return 0


def write_doc(lines: list[str], info: dict[str, str], command: str) -> None:
    section = "\n".join([
        HEADING,
        "",
        "Written by `bench/bench_calendar.py` (pure Python, one CPU, best of the runs shown). The aim (issue 11):",
        "a list of 10,000 open cases computes every deadline per request without caching.",
        "",
        f"- Command: `{command}`",
        f"- Machine: nproc {info['nproc']}, pinned to 1 CPU; CPU: {info['cpu']}; Python {info['python']}; "
        f"chinesecalendar {info['chinesecalendar']}; load average (1/5/15 min) at the end: {info['load']} "
        "(the machine is shared: other jobs slow the figures down)",
        "",
        *lines,
        "",
        "`find_workday` walks day by day and checks each day's year against the package's range;",
        "the clock looks up a cumulative working-day index and bisects it, so its cost does not grow with n.",
        "",
    ])
    text = DOC.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(HEADING) + r"\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
