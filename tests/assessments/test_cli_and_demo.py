"""The command line and the demo campaign."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jiceng.assessments.models import Campaign, Status, Submission

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


def test_demo_campaign_shows_the_whole_cycle(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from jiceng.assessments.demo import build_campaign
    from jiceng.core import audit
    from jiceng.org.demo import build_demo

    build_demo()
    campaign = build_campaign()
    statuses = set(campaign.submissions.values_list("status", flat=True))
    assert statuses == set(Status.values)
    returned = campaign.submissions.get(status=Status.RETURNED)
    assert "2.2项" in returned.return_reason
    assert campaign.submissions.filter(claims__isnull=False).exists()
    revoked = campaign.submissions.get(result__revoked_at__isnull=False)
    assert revoked.vetoes.get().veto_id == "dereliction-petition"
    published = campaign.submissions.filter(status=Status.PUBLISHED)
    assert {s.reviewer.code for s in published} == {"331002"}
    assert published.count() == campaign.submissions.filter(reviewer__code="331002").count()
    assert campaign.submissions.filter(flags__active=True).exists()
    assert audit.verify().ok
    assert Campaign.objects.count() == 1


def test_campaigns_export_writes_a_score_sheet_read_back_with_openpyxl(region, more_users, heads, tmp_path, capsys):
    from openpyxl import load_workbook

    from jiceng.assessments import services
    from jiceng.core.models import AuditEvent, EventType

    from .conftest import fill_and_submit, review_and_forward

    city = more_users["city_admin"]
    campaign = new_campaign(region, city, audit_mode="sample", sample_ratio="0.01", seed=3)
    for unit in (region.office_a1, region.office_a2):
        sub = fill_and_submit(campaign, unit, heads[unit.pk])
        cut = 1 if unit == region.office_a2 else 0
        sub = review_and_forward(campaign, sub, more_users["county_reviewer"],
                                 score=lambda item, top, cut=cut: top - cut if item == "2.2" else top,
                                 comment="核减" if cut else "")
        if sub.needs_audit:
            services.submission_audit(actor=city, submission=sub, expected_version=sub.version)
    services.campaign_publish(actor=city, campaign=campaign, county=region.county_a)
    out = tmp_path / "sheet.xlsx"
    call_command("campaigns", "export", str(campaign.pk), "--out", str(out))
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    header = rows[0]
    assert header[:5] == ("县局", "单位代码", "单位", "试点", "状态") and "2.2（12）" in header
    by_code = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_code) == {"CA1", "CA2", "CB1"}
    a1, a2, b1 = by_code["CA1"], by_code["CA2"], by_code["CB1"]
    assert (a1["总分"], a1["结果"], a1["县内排名"], a1["全市排名"]) == (100, "达标", 1, 1)
    assert (a2["总分"], a2["2.2（12）"], a2["县内排名"]) == (99, 11, 2)
    assert "评定为达标" in a1["理由"]
    assert b1["结果"] == "（未公布）" and b1["全市排名"] is None and b1["状态"] == "草稿"
    assert AuditEvent.objects.filter(event_type=EventType.EXPORT, object_id=str(campaign.pk)).exists()
    with pytest.raises(CommandError, match="xlsx"):
        call_command("campaigns", "export", str(campaign.pk), "--out", str(tmp_path / "sheet.csv"))
