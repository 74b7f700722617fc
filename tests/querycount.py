"""Query counts that must not grow with the number of units (no N+1), with a message that shows why.

    from querycount import assert_flat, grow_offices

    def render():
        return client.get(reverse("org:staff_list"))

    assert_flat(render, grow=lambda k: grow_offices(region.county_a, k))

`assert_flat` renders the page once to warm the session (the first request of
a session writes its clock), counts the queries of a second render, calls
`grow(k)` to add k units, counts again, and fails when the counts differ. The
message gives both counts and the queries the larger page ran more often,
with their literals replaced by "?" so that "one query per office" shows as
one line with its count. See docs/testing.md.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext

_office_numbers = itertools.count(1)
_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+\b")


def shape(sql: str) -> str:
    """A query with its literals as "?": the same query for another row reads the same."""
    return _LITERALS.sub("?", sql)


def capture(render: Callable[[], object]) -> tuple[object, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = render()
    status = getattr(response, "status_code", 200)
    assert status == 200, f"the page answered {status}, not 200"
    return response, [q["sql"] for q in ctx.captured_queries]


def extra_queries(small: list[str], large: list[str]) -> list[tuple[int, str]]:
    """The query shapes the large render ran more often than the small one, with how many more times."""
    more = Counter(map(shape, large))
    more.subtract(Counter(map(shape, small)))
    return sorted(((n, sql) for sql, n in more.items() if n > 0), reverse=True)


def assert_flat(render: Callable[[], object], grow: Callable[[int], object], *, k: int = 5, label: str = "") -> None:
    """Fail when the page's query count after `grow(k)` differs from before."""
    render()  # warm-up: session clock, caches of the first request
    _, small = capture(render)
    grow(k)
    _, large = capture(render)
    if len(large) != len(small):
        lines = "\n".join(f"  +{n}× {sql[:300]}" for n, sql in extra_queries(small, large)) or "  (none: fewer queries)"
        raise AssertionError(
            f"{label or 'the page'}: {len(small)} queries before adding {k} units, {len(large)} after; "
            f"ran more often:\n{lines}"
        )


def grow_offices(county, k: int, *, staff_per_office: int = 3, prefix: str = "QC") -> list:
    """Add k offices under `county`, each with a head and some staff (factories, through the services)."""
    from factories import OfficeFactory, StaffFactory

    offices = []
    for _ in range(k):
        index = next(_office_numbers)
        office = OfficeFactory(parent=county, code=f"{prefix}{index}", name=f"扩充{index}所", floor_area=30,
                               computers=4, networked=True)
        StaffFactory(unit=office, post="head")
        for _ in range(staff_per_office - 1):
            StaffFactory(unit=office)
        offices.append(office)
    return offices
