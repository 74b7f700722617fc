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


def clue(unit, **extra):
    from django.utils import timezone

    from jiceng.enforcement.models import Clue

    values = dict(unit=unit, state="registered", opened_on=date(2026, 9, 28), registered_at=timezone.now(),
                  source="patrol", description="甲村农田建房", place="甲村", number="XS2026-9001")
    values.update(extra)
    return Clue.objects.create(**values)


def certify(user, unit):
    from jiceng.enforcement.models import Officer

    return Officer.objects.get_or_create(user=user, defaults=dict(
        unit=unit, name=user.get_username(), certificate_no="湘执 000", valid_from=date(2020, 1, 1),
        valid_to=date(2099, 12, 31)))[0]


def case_in(unit, state, **extra):
    values = dict(unit=unit, state=state, opened_on=date(2026, 9, 28), found_on=date(2026, 9, 28), title="甲村农田违法建房",
                  party="张三丰", number="AJ2026-9002", check_findings="占用耕地建房")
    values.update(extra)
    return Case.objects.create(**values)
