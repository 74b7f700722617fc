"""Cases in a given step built directly (for pages and figures); the workflow itself is tested in test_cases.py."""

from __future__ import annotations

from datetime import date

from jiceng.enforcement.models import Case, CaseState


def published_case(unit, *, party="张三丰", title="甲村农田违法建房", published_on=date(2026, 11, 2), **extra):
    values = dict(unit=unit, state=CaseState.SERVED, opened_on=date(2026, 9, 28), found_on=date(2026, 9, 28),
                  title=title, party=party, penalty_text="限期拆除，罚款", fine=10000, decided_on=date(2026, 10, 20),
                  served_on=date(2026, 10, 21), effective_on=date(2026, 10, 21), publication_due=date(2026, 11, 10),
                  published_on=published_on, number="AJ2026-9001")
    values.update(extra)
    return Case.objects.create(**values)
