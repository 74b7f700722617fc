"""The next number of a kind for a unit and year: no gaps, no repeats, safe under concurrent writers.

    next_number(unit, "decision", 2026) -> 3        (inside the caller's transaction)
    official(3, 2026) -> "〔2026〕3号"

The counter row is created if missing (get_or_create under the unique constraint) and then locked
(SELECT … FOR UPDATE), so two writers in parallel get 3 and 4; a transaction that rolls back gives
its number back with it, so numbers have no gaps.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from .models.numbers import Counter


def next_number(unit, kind: str, year: int) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the transaction that uses the number")
    try:
        with transaction.atomic():
            Counter.objects.get_or_create(unit=unit, kind=kind, year=year)
    except IntegrityError:
        pass  # another writer created it first; the lock below waits for it
    counter = Counter.objects.select_for_update().get(unit=unit, kind=kind, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def official(n: int, year: int, prefix: str = "") -> str:
    """The number as official documents print it: prefix〔year〕n号."""
    return f"{prefix}〔{year}〕{n}号"
