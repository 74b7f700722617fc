"""The command line and the demo campaign."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jiceng.assessments.models import Submission

from .conftest import new_campaign


def test_campaigns_list_and_draw_sample(region, more_users, capsys):
    campaign = new_campaign(region, more_users["city_admin"], sample_ratio="0.5", seed=7)
    call_command("campaigns", "list")
    out = capsys.readouterr().out
    assert f"{campaign.pk:>4}  2021年度基层所规范化建设考核" in out and "0/3 published" in out
    call_command("campaigns", "draw-sample", str(campaign.pk))
    out = capsys.readouterr().out
    sampled = sorted(campaign.submissions.filter(needs_audit=True).values_list("unit__code", flat=True))
    assert "seed 种子: 7" in out and "matches the recorded draw" in out
    assert all(f"  {code}  " in out for code in sampled) and len(sampled) == 2


def test_draw_sample_detects_a_tampered_sample(region, more_users):
    campaign = new_campaign(region, more_users["city_admin"], sample_ratio="0.34", seed=7)
    # Someone swaps which office is audited behind the services' back.
    Submission.objects.filter(campaign=campaign).update(needs_audit=False)
    with pytest.raises(CommandError, match="does NOT match"):
        call_command("campaigns", "draw-sample", str(campaign.pk))


def test_draw_sample_checks_the_cross_check_assignment(region, more_users, capsys):
    campaign = new_campaign(region, more_users["city_admin"], audit_mode="cross")
    call_command("campaigns", "draw-sample", str(campaign.pk))
    out = capsys.readouterr().out
    assert "CA audited by 由 CB 审核" in out and "matches the recorded draw" in out


def test_campaigns_export_writes_the_score_sheet(region, more_users, tmp_path, capsys):
    from openpyxl import load_workbook

    from jiceng.core.models import AuditEvent, EventType

    campaign = new_campaign(region, more_users["city_admin"])
    out = tmp_path / "sheet.xlsx"
    call_command("campaigns", "export", str(campaign.pk), "--out", str(out))
    assert "3 units" in capsys.readouterr().out
    cells = {c for row in load_workbook(out).active.iter_rows(values_only=True) for c in row}
    assert {"甲一中心所", "甲二所", "乙一所"} <= cells
    assert AuditEvent.objects.filter(event_type=EventType.EXPORT).exists()
    with pytest.raises(CommandError, match="xlsx"):
        call_command("campaigns", "export", str(campaign.pk), "--out", str(tmp_path / "sheet.csv"))
    with pytest.raises(CommandError, match="no campaign"):
        call_command("campaigns", "export", "987654", "--out", str(out))
