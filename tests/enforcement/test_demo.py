"""The enforcement demo: a year of clues, cases at every step, certified officers, spots, monthly reports."""

from __future__ import annotations

import pytest

from jiceng.core import demo

pytestmark = pytest.mark.django_db


def test_the_demo_shows_cases_at_every_step_and_the_officer_logs_in(client):
    from jiceng.accounts.demo import DEMO_PASSWORD
    from jiceng.enforcement.models import Case, CaseState, Clue, MonthlyReport, Spot

    demo.build(["enforcement"])
    states = set(Case.objects.values_list("state", flat=True))
    assert set(CaseState.values) <= states
    assert Clue.objects.count() == 48 and Spot.objects.count() == 120
    assert MonthlyReport.objects.filter(state="submitted").count() == 10
    assert Case.objects.filter(published_on__isnull=False).exists()
    assert client.post("/accounts/login/", {"username": "officer", "password": DEMO_PASSWORD}).status_code == 302
    assert client.get("/enforcement/cases/").status_code == 200
    assert "AJ2026" in client.get("/enforcement/cases/").content.decode()
    assert client.get("/disclosure/").status_code == 200
