"""Campaign fixtures over the shared test region (tests/conftest.py).

The region has offices CA1 and CA2 in county A and CB1 in county B. A second
reviewer in county A and a reviewer of county B are added here, for the
locking test and for cross-checking.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from factories import open_deadlines

PASSWORD = "Test#pass2026"


def make_user(username, role, unit):
    # Not imported from tests/conftest.py: "conftest" is a different module
    # depending on which test directories pytest has collected before.
    from jiceng.accounts import services

    user = services.user_create(actor=None, username=username, full_name=username, password=PASSWORD,
                                must_change_password=False)
    services.membership_grant(actor=None, user=user, unit=unit, role=role)
    return user

SCHEME = "taizhou-office-2021"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english():
    # Service messages are asserted on their English message ids; pages are
    # tested in the default Chinese.
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def more_users(users, region):
    return {
        **users,
        "county_reviewer_2": make_user("county_reviewer_2", "county_reviewer", region.county_a),
        "county_b_reviewer": make_user("county_b_reviewer", "county_reviewer", region.county_b),
        "office_a2_head": make_user("office_a2_head", "office_head", region.office_a2),
    }


def new_campaign(region, actor=None, **overrides):
    from jiceng.assessments import services

    fields = {
        "actor": actor,
        "organiser": region.city,
        "name": "2021年度基层所规范化建设考核",
        "scheme_id": SCHEME,
        "period_start": date(2021, 5, 10),
        "period_end": date(2022, 4, 30),
        # Deadlines are enforced against today's date: these are still open.
        **open_deadlines(),
        "audit_mode": "sample",
        "sample_ratio": Decimal("0.34"),
        "seed": 20210510,
        "targets": [(date(2021, 10, 31), Decimal("0.5")), (date(2022, 4, 30), Decimal("1"))],
    }
    fields.update(overrides)
    return services.campaign_create(**fields)


@pytest.fixture
def campaign(region, more_users):
    return new_campaign(region, more_users["city_admin"])


def scheme_of(campaign):
    from jiceng.assessments.schemes import campaign_scheme

    return campaign_scheme(campaign)


def full_items(campaign, score=None, **extra):
    """Every item at full points (or `score(item_id, max)`), as the services take them."""
    cs = scheme_of(campaign)
    out = {}
    for i, item_id in enumerate(cs.ids):
        top = Decimal(cs.items[i].points)
        out[item_id] = {"score": top if score is None else score(item_id, top)}
    out.update(extra)
    return out


DECLARATION = {
    "decl_phone": "0576-88888888",
    "decl_address": "台州市椒江区测试路1号",
    "decl_situation": "已完成办公场所改造，制度上墙，台帐齐全。",
}


def sub_of(campaign, unit):
    return campaign.submissions.get(unit=unit)


def fresh(sub):
    sub.refresh_from_db()
    return sub


def fill_and_submit(campaign, unit, actor, items=None):
    from jiceng.assessments import services

    sub = sub_of(campaign, unit)
    services.submission_save_draft(
        actor=actor, submission=sub, expected_version=sub.version,
        items=items or full_items(campaign), declaration=DECLARATION,
    )
    sub = fresh(sub)
    services.submission_submit(actor=actor, submission=sub, expected_version=sub.version)
    return fresh(sub)


def review_and_forward(campaign, sub, actor, score=None, comment="", opinion="同意上报。"):
    from jiceng.assessments import services

    items = full_items(campaign, score)
    if comment:
        items = {k: {**v, "comment": comment} for k, v in items.items()}
    for claim in sub.claims.all():
        items.pop(claim.item_id, None)
    services.review_save(actor=actor, submission=sub, expected_version=fresh(sub).version, items=items)
    for claim in sub.claims.all():
        if not claim.county_decision:
            services.claim_decide(actor=actor, submission=sub, expected_version=fresh(sub).version,
                                  item_id=claim.item_id, approved=True)
    services.submission_forward(actor=actor, submission=sub, expected_version=fresh(sub).version, opinion=opinion,
                                opinion_date=date(2021, 10, 10))
    return fresh(sub)


@pytest.fixture
def heads(more_users, region):
    """Who fills in each office's form."""
    return {
        region.office_a1.pk: more_users["office_head"],
        region.office_a2.pk: more_users["office_a2_head"],
        region.office_b1.pk: more_users["other_county_head"],
    }
