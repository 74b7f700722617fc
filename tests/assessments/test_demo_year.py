"""The demo is a year in progress (issue 12): last year published, this year's campaign in mid-flight."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.utils import timezone

from jiceng.assessments.models import Campaign, Status


@pytest.fixture
def demo_year(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from jiceng.assessments.demo import build_campaign
    from jiceng.core import demo

    demo.build(["accounts"])
    return build_campaign()


def test_last_year_is_published_and_this_year_is_mid_way(demo_year):
    from jiceng.core import audit_chain

    year = timezone.localdate().year
    last, this = Campaign.objects.order_by("period_start")
    assert this == demo_year
    assert last.name.startswith(f"{year - 1}年度") and this.name.startswith(f"{year}年度")
    assert (last.period_start.year, last.period_end.year) == (year - 1, year - 1)
    assert (this.period_start.year, this.period_end.year) == (year, year)
    # Deadlines fit each year: last year's passed around its end, this year's still open.
    assert last.self_deadline.year == year - 1 and last.audit_deadline < timezone.localdate()
    assert this.self_deadline >= timezone.localdate() and this.self_deadline.year in (year, year + 1)
    assert set(last.submissions.values_list("status", flat=True)) == {Status.PUBLISHED}
    statuses = set(this.submissions.values_list("status", flat=True))
    assert {Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.REVIEWED} <= statuses
    assert Status.PUBLISHED not in statuses
    assert this.submissions.filter(status=Status.REVIEWED, needs_audit=True).exists()  # one under audit
    assert all(s.return_reason for s in this.submissions.filter(status=Status.RETURNED))
    revoked = last.submissions.get(result__revoked_at__isnull=False)
    assert revoked.vetoes.get().veto_id == "dereliction-petition"
    extended = this.submissions.get(self_deadline_extended_to__isnull=False)
    assert extended.status == Status.DRAFT and "延期" in extended.extension_reason
    assert audit_chain.verify().ok


def test_targets_are_read_against_the_publication(demo_year):
    from jiceng.accounts.models import User
    from jiceng.assessments import selectors

    last = Campaign.objects.order_by("period_start").first()
    rows, now, total = selectors.targets(User.objects.get(username="city"), last)
    assert total == 20 and rows and rows[0].met  # published before the first target date
    assert now == 19  # one award revoked by the veto


def test_the_declaration_names_the_head_account_person(demo_year):
    from jiceng.accounts.models import User

    head = User.objects.get(username="head")
    sub = demo_year.submissions.get(unit__code="331002S01")
    assert sub.decl_head and sub.decl_head in head.full_name


def test_county_and_city_users_have_work(demo_year):
    from jiceng.accounts.models import User
    from jiceng.inbox.selectors import todo

    today = timezone.localdate()
    for username, group, kinds in [("county", "waiting", {"review"}), ("county2", "waiting", {"review"}),
                                   ("city", "waiting", {"audit", "publish"}), ("head", "returned", {"returned"})]:
        items = todo(User.objects.get(username=username), today)[group]
        assert {i.kind for i in items} >= kinds, username


def test_demo_on_a_never_migrated_database_migrates_first(tmp_path):
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    environ["JICENG_DATA_DIR"] = str(tmp_path)
    result = subprocess.run([sys.executable, "-m", "jiceng", "demo", "--reset"], env=environ, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "no such table" not in result.stderr and "Traceback" not in result.stderr
    assert "running `jiceng migrate` first" in result.stdout
    assert "demo accounts" in result.stdout
