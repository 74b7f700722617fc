"""A campaign over the whole test region, with office CA1's submission brought to a chosen stage.

Built through the services as "system" (actor=None), so the API callers start
from a clean audit of their own. Every office takes part (audit mode "all",
audited by the city): the head of CB1 then has a submission of their own and
is an outsider to county A's. Cached on the region: one build per test.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

SCHEME = "taizhou-office-2021"
DECLARATION = {
    "decl_phone": "0576-88888888",
    "decl_address": "台州市椒江区测试路1号",
    "decl_situation": "已完成办公场所改造，制度上墙，台帐齐全。",
}
# In workflow order; each stage is reached from the one before it.
STAGES = ["draft", "filled", "submitted", "scored", "reviewed"]


def campaign(region):
    cached = getattr(region, "_api_campaign", None)
    if cached is not None:
        return cached
    from jiceng.assessments import services

    cached = services.campaign_create(
        actor=None, organiser=region.city, name="接口测试考核", scheme_id=SCHEME,
        period_start=date(2021, 5, 10), period_end=date(2022, 4, 30), self_deadline=date(2021, 9, 30),
        review_deadline=date(2021, 10, 15), audit_deadline=date(2021, 10, 31), audit_mode="all", seed=7,
        targets=[(date(2021, 10, 31), Decimal("0.5"))],
    )
    region._api_campaign = cached
    return cached


def county_a_campaign(region):
    """A second campaign enrolling only county A's offices: nothing of it is the outsider's."""
    cached = getattr(region, "_api_campaign_a", None)
    if cached is None:
        from jiceng.assessments import services

        campaign(region)
        cached = services.campaign_create(
            actor=None, organiser=region.city, name="县A专项考核", scheme_id=SCHEME,
            period_start=date(2022, 5, 1), period_end=date(2023, 4, 30), self_deadline=date(2022, 9, 30),
            review_deadline=date(2022, 10, 15), audit_deadline=date(2022, 10, 31), audit_mode="sample",
            units=[region.office_a1, region.office_a2], seed=8,
        )
        region._api_campaign_a = cached
    return cached


def full_items(region, **entry) -> dict:
    """Every scored item at full points, as JSON numbers (what an API caller sends)."""
    from jiceng.assessments.schemes import campaign_scheme

    cs = campaign_scheme(campaign(region))
    return {item_id: {"score": float(cs.items[i].points), **entry} for i, item_id in enumerate(cs.ids)}


def submission(region, unit=None):
    unit = unit or region.office_a1
    return campaign(region).submissions.get(unit=unit)


def at_stage(region, stage: str):
    """Office CA1's submission at `stage` (draft → filled → submitted → scored by the county → reviewed)."""
    from jiceng.assessments import services

    reached = getattr(region, "_api_stage", "draft")
    sub = submission(region)
    for step in STAGES[STAGES.index(reached) + 1 : STAGES.index(stage) + 1]:
        if step == "filled":
            services.submission_save_draft(actor=None, submission=sub, expected_version=sub.version,
                                           items=full_items(region), declaration=DECLARATION)
        elif step == "submitted":
            services.submission_submit(actor=None, submission=sub, expected_version=sub.version)
        elif step == "scored":
            services.review_save(actor=None, submission=sub, expected_version=sub.version, items=full_items(region))
        elif step == "reviewed":
            services.submission_forward(actor=None, submission=sub, expected_version=sub.version, opinion="同意上报。")
        sub.refresh_from_db()
        region._api_stage = step
    return sub


def snapshot(region) -> list:
    """What a refused call must leave untouched: every submission's status and version, and the marks."""
    from jiceng.assessments.models import ItemMark, Submission

    return [
        list(Submission.objects.order_by("pk").values_list("pk", "status", "version")),
        list(ItemMark.objects.order_by("pk").values_list("pk", "level", "score", "comment")),
    ]


def _id(stage):
    return lambda region: {"id": at_stage(region, stage).pk}


def _version(stage, **body):
    return lambda region: {"expected_version": at_stage(region, stage).version, **body}


def _built(region) -> dict:
    # Collections take no path parameters; the data they list is built here.
    county_a_campaign(region)
    return {}


def _of_county_a(items, region) -> list:
    """The items of a page that belong to county A (none may reach an outsider)."""
    county_a = {region.office_a1.pk, region.office_a2.pk}
    return [i for i in items if i.get("unit_id") in county_a]


def _campaign_leak(items, region) -> list:
    # The outsider takes part in the same campaign through their own office: it is theirs to see.
    return [i for i in items if i["id"] != campaign(region).pk]


def operations() -> dict:
    """Entries of the API permission matrix (tests/api/test_permission_matrix.py), as Op keyword arguments.

    `insider` acts in scope and `reader` can see the submission without being
    allowed the step (403 on writes).
    """
    base = "/api/v1/assessments"
    sub = f"{base}/submissions/{{id}}"
    office = {"insider": "office_head", "reader": "county_reviewer"}
    county = {"insider": "county_reviewer", "reader": "office_head"}
    city = {"insider": "city_admin", "reader": "county_reviewer"}
    return {
        ("GET", f"{base}/campaigns/"): {"collection": True, "outsider": 200, "leaked": _campaign_leak,
                                         "path_params": _built},
        ("GET", f"{base}/campaigns/{{id}}"): {"path_params": lambda r: {"id": county_a_campaign(r).pk}},
        ("GET", f"{base}/submissions/"): {"collection": True, "outsider": 200, "leaked": _of_county_a,
                                           "path_params": _built},
        ("GET", sub): {"path_params": _id("draft")},
        ("POST", f"{sub}/draft"): {
            "path_params": _id("draft"), "write": True, **office,
            "body": _version("draft", items={"1.1": {"score": 1, "comment": "矩阵"}}),
        },
        ("POST", f"{sub}/submit"): {"path_params": _id("filled"), "body": _version("filled"), "write": True,
                                    **office},
        ("POST", f"{sub}/review"): {
            "path_params": _id("submitted"), "write": True, **county,
            "body": _version("submitted", items={"1.1": {"score": 0, "comment": "未见台帐"}}),
        },
        ("POST", f"{sub}/return"): {"path_params": _id("submitted"), "write": True, **county,
                                    "body": _version("submitted", reason="请补充台帐。")},
        ("POST", f"{sub}/forward"): {"path_params": _id("scored"), "write": True, **county,
                                     "body": _version("scored", opinion="同意上报。")},
        ("POST", f"{sub}/audit"): {
            "path_params": _id("reviewed"), "write": True, **city,
            "body": _version("reviewed", items={"1.1": {"score": 0}}, reason="抽查未见台帐"),
        },
        ("POST", f"{sub}/audit/close"): {"path_params": _id("reviewed"), "write": True, **city,
                                         "body": _version("reviewed", opinion="核查属实。")},
    }
