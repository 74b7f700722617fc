"""Parallel appends to the audit trail: no gap, no fork, in one chain and in several chains written at once.

Each thread has its own database connection and writes each record in its own
transaction, as concurrent requests do. On PostgreSQL an advisory lock makes
appends take turns; on SQLite the IMMEDIATE transactions take the write lock at
BEGIN (settings.py), so both must come out with seq 1..N and a valid chain.
"""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest
from django.db import connection, connections

from jiceng.core import audit, audit_chain
from jiceng.core.models import AuditEvent, EventType

THREADS = 8
WRITES = 25


COUNTIES = [SimpleNamespace(pk=10 + n, path=f"0001{n + 1:04d}", name=f"县{n}") for n in range(4)]


def _hammer(units=None) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def writer(number: int) -> None:
        try:
            start.wait(timeout=30)
            for index in range(WRITES):
                # With units, each thread writes to every county's chain in turn, so chains are written in parallel.
                unit = units[(number + index) % len(units)] if units else None
                audit.record_now(EventType.SETTINGS_CHANGE, actor_name=f"thread{number}", unit=unit, details={"i": index})
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
    rows = list(AuditEvent.objects.order_by("seq").values_list("chain_seq", "prev_hash", "hash", "actor_name"))
    assert [row[0] for row in rows] == list(range(1, total + 1))
    # No fork: every row links to a different predecessor, and that predecessor is the row before it.
    assert len({row[1] for row in rows}) == total
    assert all(rows[i][1] == rows[i - 1][2] for i in range(1, total))
    per_thread = {name: sum(1 for row in rows if row[3] == name) for name in {row[3] for row in rows}}
    assert per_thread == {f"thread{n}": WRITES for n in range(THREADS)}
    result = audit_chain.verify()
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


def _assert_every_chain_unbroken() -> None:
    total = THREADS * WRITES
    rows = list(AuditEvent.objects.order_by("seq").values_list("seq", "chain", "chain_seq", "prev_hash", "hash"))
    assert len(rows) == total and len({row[0] for row in rows}) == total
    chains = {unit.path for unit in COUNTIES}
    assert {row[1] for row in rows} == chains
    for chain in chains:
        own = [row for row in rows if row[1] == chain]
        # Numbered 1..n in the order of the global seq, each row linked to the one before it.
        assert [row[2] for row in own] == list(range(1, len(own) + 1))
        assert own[0][3] == audit.GENESIS_HASH
        assert all(own[i][3] == own[i - 1][4] for i in range(1, len(own)))
    assert sum(1 for row in rows if row[1] == COUNTIES[0].path) == total // len(COUNTIES)
    result = audit_chain.verify()
    assert result.ok, result.problem
    assert result.checked == total and result.chains == len(COUNTIES)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_writers_on_separate_chains_keep_each_chain_valid_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://... to test the per-chain advisory locks")
    errors = _hammer(COUNTIES)
    assert errors == []
    _assert_every_chain_unbroken()


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_on_separate_chains_keep_each_chain_valid_on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant runs when DATABASE_URL is unset")
    errors = _hammer(COUNTIES)
    assert errors == []
    _assert_every_chain_unbroken()
