"""Fixtures for the campaign outputs: a campaign over the shared test region, driven through the services.

The region (tests/conftest.py) has offices CA1 and CA2 in county A and CB1 in
county B. Helpers here run the real workflow (self-evaluation, review,
audit, publication), so the documents read back are made from real data.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from factories import make_user, open_deadlines

SCHEME = "taizhou-office-2021"
DECLARATION = {
    "decl_phone": "0576-88888888",
    "decl_address": "台州市椒江区测试路1号",
    "decl_situation": "已完成办公场所改造，制度上墙，台帐齐全。",
}


@pytest.fixture(autouse=True)
def _media_and_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tasks run in the test's own process and transaction; test_tasks.py also checks the database backend.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def people(users, region):
    return {
        **users,
        "office_a2_head": make_user("office_a2_head", "office_head", region.office_a2),
        "county_b_reviewer": make_user("county_b_reviewer", "county_reviewer", region.county_b),
    }


def new_campaign(organiser, actor, **overrides):
    from jiceng.assessments import services

    fields = {
        "actor": actor, "organiser": organiser, "name": "2021年度基层所规范化建设考核", "scheme_id": SCHEME,
        "period_start": date(2021, 5, 10), "period_end": date(2022, 4, 30), **open_deadlines(), "audit_mode": "all",
        "seed": 20210510, "targets": [(date(2021, 10, 31), Decimal("0.5"))],
    }
    fields.update(overrides)
    return services.campaign_create(**fields)


@pytest.fixture
def campaign(region, people):
    return new_campaign(region.city, people["city_admin"])


def scheme_of(campaign):
    from jiceng.assessments.schemes import campaign_scheme

    return campaign_scheme(campaign)


def items(campaign, lose: dict[str, Decimal] | None = None) -> dict:
    """Every item at full points, less what `lose` takes off."""
    cs = scheme_of(campaign)
    lose = lose or {}
    return {item_id: {"score": Decimal(cs.items[i].points) - lose.get(item_id, 0)} for i, item_id in enumerate(cs.ids)}


def fresh(sub):
    sub.refresh_from_db()
    return sub


def submit(campaign, unit, actor, *, lose=None, claim: tuple[str, str] | None = None, declaration=None):
    from jiceng.assessments import services

    sub = campaign.submissions.get(unit=unit)
    marks = items(campaign, lose)
    if claim:
        marks[claim[0]] = {"score": None, "claim": claim[1]}
    services.submission_save_draft(actor=actor, submission=sub, expected_version=sub.version, items=marks,
                                   declaration={**DECLARATION, **(declaration or {})})
    sub = fresh(sub)
    services.submission_submit(actor=actor, submission=sub, expected_version=sub.version)
    return fresh(sub)


def forward(campaign, sub, county, *, lose=None, opinion="经考评，同意上报。"):
    from jiceng.assessments import services

    own = {m.item_id: m.score for m in sub.marks.filter(level="self")}
    claimed = {c.item_id for c in sub.claims.all()}
    marks = {}
    for item_id, entry in items(campaign, lose).items():
        if item_id in claimed:
            continue
        comment = "" if own.get(item_id) == entry["score"] else "现场核查核减。"
        marks[item_id] = {**entry, "comment": comment}
    services.review_save(actor=county, submission=sub, expected_version=fresh(sub).version, items=marks,
                         claims={i: (True, "") for i in claimed})
    services.submission_forward(actor=county, submission=sub, expected_version=fresh(sub).version, opinion=opinion,
                                opinion_date=date(2021, 10, 10))
    return fresh(sub)


def audit(sub, city, opinion="抽查复核无异议。"):
    from jiceng.assessments import services

    services.submission_audit(actor=city, submission=sub, expected_version=fresh(sub).version, opinion=opinion)
    return fresh(sub)


def publish_county(campaign, county, city):
    from jiceng.assessments import services

    return services.campaign_publish(actor=city, campaign=campaign, county=county)


@pytest.fixture
def county_a_published(campaign, region, people):
    """County A's two offices through the whole cycle and published; county B's office submitted only.

    CA1 loses 0.5 on 2.2 at review; CA2 claims 4.3.4 as no duty (approved) and loses 1 on 1.4.
    """
    city, county = people["city_admin"], people["county_reviewer"]
    a1 = submit(campaign, region.office_a1, people["office_head"])
    a1 = audit(forward(campaign, a1, county, lose={"2.2": Decimal("0.5")}), city)
    a2 = submit(campaign, region.office_a2, people["office_a2_head"], lose={"1.4": Decimal(1)},
                claim=("4.3.4", "本所不承担土地调查职责。"))
    a2 = audit(forward(campaign, a2, county, lose={"1.4": Decimal(1)}), city)
    publish_county(campaign, region.county_a, city)
    b1 = submit(campaign, region.office_b1, people["other_county_head"], lose={"5.8": Decimal(1)})
    return {"a1": fresh(a1), "a2": fresh(a2), "b1": b1}
