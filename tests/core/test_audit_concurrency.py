"""Parallel appends to the audit trail: one chain, no gap, no fork.

Each thread has its own database connection and writes each record in its own
transaction, as concurrent requests do. On PostgreSQL an advisory lock makes
appends take turns; on SQLite the IMMEDIATE transactions take the write lock at
BEGIN (settings.py), so both must come out with seq 1..N and a valid chain.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from jiceng.core import audit
from jiceng.core.models import AuditEvent, EventType

THREADS = 8
WRITES = 25


def _hammer() -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def writer(number: int) -> None:
        try:
            start.wait(timeout=30)
            for index in range(WRITES):
                audit.record_now(EventType.SETTINGS_CHANGE, actor_name=f"thread{number}", details={"i": index})
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    return errors


def _assert_one_unbroken_chain() -> None:
    total = THREADS * WRITES
    rows = list(AuditEvent.objects.order_by("seq").values_list("seq", "prev_hash", "hash", "actor_name"))
    assert [row[0] for row in rows] == list(range(1, total + 1))
    # No fork: every row links to a different predecessor, and that predecessor is the row before it.
    assert len({row[1] for row in rows}) == total
    assert all(rows[i][1] == rows[i - 1][2] for i in range(1, total))
    per_thread = {name: sum(1 for row in rows if row[3] == name) for name in {row[3] for row in rows}}
    assert per_thread == {f"thread{n}": WRITES for n in range(THREADS)}
    result = audit.verify()
    assert result.ok, result.problem
    assert result.checked == total


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_writers_keep_one_chain_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://... to test the advisory lock")
    errors = _hammer()
    assert errors == []
    _assert_one_unbroken_chain()


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_keep_one_chain_on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant runs when DATABASE_URL is unset")
    errors = _hammer()
    assert errors == []
    _assert_one_unbroken_chain()
