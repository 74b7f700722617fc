"""A campaign over the whole test region, with office CA1's submission brought to a chosen stage.

Built through the services as "system" (actor=None), so the API callers start
from a clean audit of their own. Every office takes part (audit mode "all",
audited by the city): the head of CB1 then has a submission of their own and
is an outsider to county A's. Cached on the region: one build per test.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

SCHEME = "taizhou-office-2021"
DECLARATION = {
    "decl_phone": "0576-88888888",
    "decl_address": "台州市椒江区测试路1号",
    "decl_situation": "已完成办公场所改造，制度上墙，台帐齐全。",
}
# In workflow order; each stage is reached from the one before it.
STAGES = ["draft", "filled", "submitted", "scored", "reviewed"]


def _day(offset: int) -> date:
    return date.today() + timedelta(days=offset)


# A day inside every campaign period below and not in the future: vetoes and bonuses count only within the
# assessment period (seed 000 第十六、十七条).
IN_PERIOD = _day(-10).isoformat()
IN_PERIOD_2 = _day(-20).isoformat()
IN_PERIOD_3 = _day(-30).isoformat()


def _dates(shift: int) -> dict:
    """A period running now, its deadlines still ahead (the deadlines refuse a submission after its day, and
    these tests must not age); `shift` days apart so that campaigns differ."""
    return {
        "period_start": _day(shift - 120), "period_end": _day(shift + 240), "self_deadline": _day(shift + 30),
        "review_deadline": _day(shift + 45), "audit_deadline": _day(shift + 60),
    }


def campaign(region):
    cached = getattr(region, "_api_campaign", None)
    if cached is not None:
        return cached
    from jiceng.assessments import services

    cached = services.campaign_create(
        actor=None, organiser=region.city, name="接口测试考核", scheme_id=SCHEME, **_dates(0), audit_mode="all",
        seed=7, targets=[(_day(60), Decimal("0.5"))],
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
            actor=None, organiser=region.city, name="县A专项考核", scheme_id=SCHEME, **_dates(1),
            audit_mode="sample", units=[region.office_a1, region.office_a2], seed=8,
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


def png() -> bytes:
    """A real 8x8 PNG, drawn by Pillow."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 128, 0)).save(out, format="PNG")
    return out.getvalue()


def pdf() -> bytes:
    """A real one-page PDF, written by pypdf."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def evidence(region):
    """A photo on item 1.1 of office CA1's draft, uploaded through the service."""
    cached = getattr(region, "_api_evidence", None)
    if cached is None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from jiceng.assessments import services

        cached = services.evidence_add(actor=None, submission=at_stage(region, "draft"), item_id="1.1",
                                       upload=SimpleUploadedFile("台帐.png", png()))
        region._api_evidence = cached
    return cached


def vetoed(region):
    """A veto event with a photo as its evidence on office CA1's draft, registered through the service."""
    cached = getattr(region, "_api_veto", None)
    if cached is None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from jiceng.assessments import services

        cached = services.veto_register(actor=None, submission=at_stage(region, "draft"), veto_id="major-accident",
                                        occurred_on=date.fromisoformat(IN_PERIOD), description="办公楼火灾",
                                        evidence=SimpleUploadedFile("通报.png", png()))
        region._api_veto = cached
    return cached


def _forward_far_below(region, sub) -> None:
    """The county scores a submitted self-evaluation more than 10 points lower and forwards it: 数据不实."""
    from jiceng.assessments import services

    items = full_items(region)
    lowered = 0.0
    for entry in items.values():
        if lowered > 10:
            break
        lowered += entry["score"]
        entry.update(score=0, comment="未见台帐")
    services.review_save(actor=None, submission=sub, expected_version=sub.version, items=items)
    sub.refresh_from_db()
    services.submission_forward(actor=None, submission=sub, expected_version=sub.version, opinion="自评不实。")


def flagged(region):
    """Office CA1's submission forwarded by the county far below its self-score: an automatic 数据不实 flag."""
    cached = getattr(region, "_api_flag", None)
    if cached is None:
        sub = at_stage(region, "submitted")
        _forward_far_below(region, sub)
        region._api_stage = "reviewed"
        cached = sub.flags.get(active=True)
        region._api_flag = cached
    return cached


def flagged_elsewhere(region):
    """The same flag on office CB1's submission (county B), leaving office CA1's draft alone."""
    from jiceng.assessments import services

    sub = submission(region, region.office_b1)
    services.submission_save_draft(actor=None, submission=sub, expected_version=sub.version, items=full_items(region),
                                   declaration=DECLARATION)
    sub.refresh_from_db()
    services.submission_submit(actor=None, submission=sub, expected_version=sub.version)
    sub.refresh_from_db()
    _forward_far_below(region, sub)
    return sub.flags.get(active=True)


def ready(region):
    """County A's own campaign with both offices reviewed, and audited where drawn: ready to publish."""
    cached = getattr(region, "_api_ready", None)
    if cached is None:
        from jiceng.assessments import services

        cached = county_a_campaign(region)
        for sub in cached.submissions.all():
            services.submission_save_draft(actor=None, submission=sub, expected_version=sub.version,
                                           items=full_items(region), declaration=DECLARATION)
            sub.refresh_from_db()
            services.submission_submit(actor=None, submission=sub, expected_version=sub.version)
            services.review_save(actor=None, submission=sub, expected_version=sub.version + 1,
                                 items=full_items(region))
            sub.refresh_from_db()
            services.submission_forward(actor=None, submission=sub, expected_version=sub.version, opinion="同意上报。")
            if sub.needs_audit:
                sub.refresh_from_db()
                services.submission_audit(actor=None, submission=sub, expected_version=sub.version, opinion="属实")
        region._api_ready = cached
    return cached


def published(region):
    """Office CA1's submission of county A's campaign, published with the award (full points)."""
    cached = getattr(region, "_api_published", None)
    if cached is None:
        from jiceng.assessments import services

        services.campaign_publish(actor=None, campaign=ready(region))
        cached = ready(region).submissions.get(unit=region.office_a1)
        region._api_published = cached
    return cached


def snapshot(region) -> list:
    """What a refused call must leave untouched: campaigns and their deadlines, every submission's status,
    version, pilot mark and extension, the marks, evidence, vetoes, bonuses, flags and results, and the reminders."""
    from jiceng.assessments.models import (
        Bonus,
        Campaign,
        Evidence,
        Flag,
        ItemMark,
        Result,
        Submission,
        VetoEvent,
    )
    from jiceng.inbox.models import Reminder

    return [
        list(Campaign.objects.order_by("pk").values_list("pk", "self_deadline", "review_deadline", "audit_deadline")),
        list(Submission.objects.order_by("pk").values_list("pk", "status", "version", "pilot",
                                                            "self_deadline_extended_to")),
        list(ItemMark.objects.order_by("pk").values_list("pk", "level", "score", "comment")),
        list(Evidence.objects.order_by("pk").values_list("pk", "attachment__sha256")),
        list(VetoEvent.objects.order_by("pk").values_list("pk", flat=True)),
        list(Bonus.objects.order_by("pk").values_list("pk", flat=True)),
        list(Flag.objects.order_by("pk").values_list("pk", "active")),
        list(Result.objects.order_by("pk").values_list("pk", "revoked_at")),
        list(Reminder.objects.order_by("pk").values_list("pk", flat=True)),
    ]


def new_campaign(region) -> dict:
    """The body of a campaign the city starts over county A's offices."""
    return {
        "name": "矩阵考核", "scheme_id": SCHEME, **{k: v.isoformat() for k, v in _dates(2).items()},
        "audit_mode": "sample", "sample_ratio": 0.5, "seed": 3, "units": [region.office_a1.pk, region.office_a2.pk],
        "targets": [{"due": _day(62).isoformat(), "share": 0.5}],
    }


def moved_deadlines(region) -> dict:
    """A body moving county A's campaign's deadlines a week later, in order."""
    later = {k: v + timedelta(days=7) for k, v in _dates(1).items() if k.endswith("_deadline")}
    return {**{k: v.isoformat() for k, v in later.items()}, "reason": "县局反映考评任务重"}


def extension(region) -> dict:
    """A body extending office CA1's draft by five days, inside the county's review window."""
    return {"extended_to": _day(35).isoformat(), "reason": "所长病休，同意延期"}


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
        ("POST", f"{base}/campaigns/"): {
            "body": new_campaign, "write": True, "success": 201, **city,
            # No object to hide: a bureau outside the city's role is refused outright.
            "outsider": 403,
        },
        ("POST", f"{base}/campaigns/{{id}}/publish"): {
            "path_params": lambda r: {"id": ready(r).pk}, "body": lambda r: {}, "write": True, **city,
        },
        ("GET", f"{base}/campaigns/{{id}}/results"): {"path_params": lambda r: {"id": published(r).campaign_id}},
        ("POST", f"{sub}/pilot"): {"path_params": _id("draft"), "body": lambda r: {"pilot": True}, "write": True,
                                   **county},
        ("POST", f"{sub}/evidence"): {
            "path_params": _id("draft"), "write": True, "success": 201, "multipart": True, **office,
            "body": lambda r: {"item_id": "1.2", "file": ("制度.png", png())},
        },
        ("GET", f"{base}/evidence/{{id}}"): {"path_params": lambda r: {"id": evidence(r).pk}},
        ("DELETE", f"{base}/evidence/{{id}}"): {"path_params": lambda r: {"id": evidence(r).pk}, "write": True,
                                                "success": 204, **office},
        ("POST", f"{sub}/vetoes"): {
            "path_params": _id("draft"), "write": True, "multipart": True, **city,
            "body": lambda r: {"veto_id": "major-accident", "occurred_on": IN_PERIOD, "description": "矩阵"},
        },
        ("GET", f"{base}/vetoes/{{id}}/evidence"): {"path_params": lambda r: {"id": vetoed(r).pk}},
        ("POST", f"{sub}/bonuses"): {
            "path_params": _id("draft"), "write": True, **city,
            "body": lambda r: {"bonus_id": "county-satisfied", "awarded_on": IN_PERIOD_2},
        },
        ("POST", f"{base}/flags/{{id}}/dismiss"): {"path_params": lambda r: {"id": flagged(r).pk}, "write": True,
                                                  "body": lambda r: {"reason": "复核属实"}, **city},
        ("POST", f"{sub}/revoke"): {"path_params": lambda r: {"id": published(r).pk}, "write": True,
                                    "body": lambda r: {"reason": "矩阵"}, **city},
        ("POST", f"{sub}/extend"): {"path_params": _id("draft"), "body": extension, "write": True, **city},
        ("POST", f"{base}/campaigns/{{id}}/deadlines"): {
            "path_params": lambda r: {"id": county_a_campaign(r).pk}, "body": moved_deadlines, "write": True, **city,
        },
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
