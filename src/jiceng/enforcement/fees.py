"""The late fee on an unpaid fine (加处罚款, 行政处罚法 第七十二条): 3 % of the fine a day, never more than the fine.

    late_fee(Decimal("10000"), due=date(2026, 10, 15), paid_on=date(2026, 10, 20)) -> Decimal("1500.00")
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

RATE = Decimal("0.03")


def days_late(due: date | None, on: date | None) -> int:
    if due is None or on is None or on <= due:
        return 0
    return (on - due).days


def late_fee(fine: Decimal, due: date | None, on: date | None) -> Decimal:
    """3 % of `fine` per calendar day after `due` up to `on`, capped at the fine itself."""
    fee = Decimal(fine or 0) * RATE * days_late(due, on)
    return min(fee, Decimal(fine or 0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
