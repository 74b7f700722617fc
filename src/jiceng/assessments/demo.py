"""The demo campaigns: a year in progress over the demo region (the year of the day it is built).

Built through the services like any other data (so it is on the audit trail),
from a fixed random seed. Last year's campaign is published for every county
early this year (one award later revoked by a veto, one bonus, one approved
no-duty claim; its dated targets are read against that publication). This
year's is in mid-flight: the head's office (海门中心所) was returned with a
reason, 椒江 has submissions waiting for the county and drafts, 黄岩 has one
under audit with a 数据不实 flag, a return and a pending no-duty claim, 路桥
has results waiting for the city. The demo accounts act where they exist
(city, county, county2, head); other offices act as "system". The head's
declaration names the head account's person.

Deadlines are enforced against the real date, so this year's stage deadlines
are set from the day the demo is built (self-evaluation in two weeks, then
two weeks per stage): its offices can still submit. 临海's draft office has
an extension (延期) from the city.

Registered from AssessmentsConfig.ready() with core.demo, after org's region
and accounts' demo accounts; `reset_campaigns` is its part of `jiceng demo --reset`.
"""

from __future__ import annotations

import random
import struct
import zlib
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from jiceng.accounts.models import User
from jiceng.org.models import Unit

from . import services
from .deadlines import local_today
from .models import Campaign, Status, Submission
from .schemes import campaign_scheme

SITUATIONS = [
    "所内人员配备到位，办公用房经改造后人均面积达标，统一悬挂市局形象标识，各项制度上墙，台帐按月更新并与分局系统对接。",
    "建立集体会审、汛期值班与速报制度，落实执法巡查责任，信访办结率达标；设立意见箱和监督电话，开通绿色通道。",
]


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _scores(cs, rng: random.Random, *, lost: int, step: Decimal = Decimal("0.5")) -> dict[str, Decimal]:
    """Full marks except `lost` half-points taken off random items (never to 0)."""
    scores = {item_id: Decimal(cs.items[i].points) for i, item_id in enumerate(cs.ids)}
    for _ in range(lost):
        item_id = rng.choice(cs.ids)
        if scores[item_id] - step > 0:
            scores[item_id] -= step
    return scores


def _photo() -> ContentFile:
    """A small real PNG (a green square) to stand for a photo of the office's sign."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x19\x87\x54" * 16 for _ in range(16))
    header = struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))
    return ContentFile(data, name="所牌照片.png")


def _fill(sub, cs, actor, rng, *, lost=2, claim=None, submit=True, reason="", uploads=None, head=""):
    scores = _scores(cs, rng, lost=lost)
    items = {k: {"score": v} for k, v in scores.items()}
    if claim:
        items[claim[0]] = {"score": None, "claim": claim[1]}
    sub = services.submission_save_draft(
        actor=actor, submission=sub, expected_version=sub.version, items=items, reason=reason, uploads=uploads,
        declaration={"decl_situation": rng.choice(SITUATIONS), "decl_phone": sub.decl_phone or "0576-88000000",
                     "decl_address": sub.decl_address or "台州市", "decl_head": head or sub.decl_head or "所长"},
    )
    if submit:
        sub = services.submission_submit(actor=actor, submission=sub, expected_version=sub.version)
    return sub


def _review(sub, cs, actor, rng, *, lower: dict[str, Decimal] | None = None, forward=True, opinion_date=None):
    own = {m.item_id: m.score for m in sub.marks.filter(level="self")}
    claims = {c.item_id for c in sub.claims.all()}
    items = {}
    for item_id in cs.ids:
        if item_id in claims:
            continue
        score = own.get(item_id) or Decimal(cs.items[cs.index[item_id]].points)
        comment = ""
        if lower and item_id in lower:
            score, comment = lower[item_id], "现场核查与自评不符，按实际情况核减。"
        items[item_id] = {"score": score, "comment": comment}
    sub = services.review_save(actor=actor, submission=sub, expected_version=sub.version, items=items,
                               claims={i: (True, "经核实该所不承担此项职责") for i in claims})
    if forward:
        sub = services.submission_forward(actor=actor, submission=sub, expected_version=sub.version,
                                          opinion="经考评，该所基本达到规范化建设要求，同意上报。",
                                          opinion_date=opinion_date or local_today())
    return sub


def _audit(sub, city):
    if sub.needs_audit and sub.status == Status.REVIEWED:
        sub = services.submission_audit(actor=city, submission=sub, expected_version=sub.version,
                                        opinion="抽查复核无异议。")
    return sub


def _names(year: int) -> tuple[str, str]:
    """The names of last year's campaign and this year's (the year of the day the demo is built)."""
    return (f"{year - 1}年度台州市自然资源和规划系统基层所规范化建设考核",
            f"{year}年度台州市自然资源和规划系统基层所规范化建设考核")


def demo_campaign_loaded() -> bool:
    return Campaign.objects.filter(name__in=_names(local_today().year)).exists()


def _head_name(head: User | None) -> str:
    """The person's name of the head account (its full name reads "海门所 张志宏")."""
    return (head.full_name.split()[-1] if head and head.full_name else "") or "所长"


def _backdate(campaign: Campaign, when) -> None:
    """Last year's campaign was published early this year: its stamps say so (the demo's history, not an edit)."""
    from .models import Result

    Result.objects.filter(submission__campaign=campaign, revoked_at__isnull=True).update(published_at=when)
    Submission.objects.filter(campaign=campaign).update(published_at=when)


def _last_year(city, county, county2, head, rng, year: int) -> Campaign:
    """Last year's campaign, published for every county: a bonus, a no-duty claim, a veto after the award (摘牌)."""
    last = year - 1
    city_unit = Unit.objects.get(code="331000")
    campaign = services.campaign_create(
        actor=city, organiser=city_unit, name=_names(year)[0], scheme_id="taizhou-office-2021",
        period_start=date(last, 1, 1), period_end=date(last, 12, 31), self_deadline=date(last, 11, 30),
        review_deadline=date(last, 12, 20), audit_deadline=date(year, 1, 15), audit_mode="sample",
        sample_ratio=Decimal("0.3"), seed=20210510 + last,
        targets=[(date(year, 1, 31), Decimal("0.8")), (date(year, 4, 30), Decimal("1"))],
    )
    cs = campaign_scheme(campaign)
    subs = {s.unit.code: s for s in Submission.objects.filter(campaign=campaign).select_related("unit")}
    for code, sub in sorted(subs.items()):
        claim = ("4.3.4", "本所辖区土地调查由分局统一组织，本所不承担此项职责。") if code == "331002S03" else None
        # The deadlines have passed: the offices submitted in time, entered here as the system.
        sub = _fill(sub, cs, None, rng, lost=rng.randint(1, 4), claim=claim)
        reviewer = county if code.startswith("331002") else county2 if code.startswith("331003") else None
        sub = _review(sub, cs, reviewer, rng, opinion_date=date(last, 12, 10))
        subs[code] = _audit(sub, city)
    services.bonus_register(actor=city, submission=subs["331002S02"], bonus_id="county-satisfied",
                            awarded_on=date(last, 8, 20), note=f"{last}年度椒江区满意站所")
    services.campaign_publish(actor=city, campaign=campaign)
    _backdate(campaign, timezone.make_aware(datetime(year, 1, 20, 10, 0)))
    services.veto_register(actor=city, submission=subs["331002S05"], veto_id="dereliction-petition",
                           occurred_on=date(last, 12, 3),
                           description="因违法建设处置不力引发群体性上访，造成不良社会影响。")
    return campaign


def _this_year(city, county, county2, head, rng, year: int) -> Campaign:
    """This year's campaign in mid-flight: drafts, submitted, returned with a reason, under review, under audit."""
    city_unit = Unit.objects.get(code="331000")
    # Deadlines are enforced against the real date: set from the day the demo is built, within the year's work.
    self_deadline = local_today() + timedelta(days=14)
    campaign = services.campaign_create(
        actor=city, organiser=city_unit, name=_names(year)[1], scheme_id="taizhou-office-2021",
        period_start=date(year, 1, 1), period_end=date(year, 12, 31), self_deadline=self_deadline,
        review_deadline=self_deadline + timedelta(days=14), audit_deadline=self_deadline + timedelta(days=28),
        audit_mode="sample", sample_ratio=Decimal("0.3"), seed=20210510 + year,
        targets=[(self_deadline + timedelta(days=35), Decimal("0.5")), (date(year + 1, 4, 30), Decimal("1"))],
    )
    cs = campaign_scheme(campaign)
    subs = {s.unit.code: s for s in Submission.objects.filter(campaign=campaign).select_related("unit")}
    for code in ("331002S01", "331003S01", "331004S01", "331082S01"):  # one pilot office per county (四(二))
        services.submission_set_pilot(actor=None, submission=subs[code], pilot=True)

    # 椒江 (the demo county): the head's office was returned with a reason; two wait for review; two are drafts.
    sub = _fill(subs["331002S01"], cs, head, rng, lost=1, uploads={"2.2": [_photo()]}, head=_head_name(head))
    services.submission_return(actor=county, submission=sub, expected_version=sub.version,
                               reason="3.7项台帐未见汛期地质灾害巡查记录，请补充后重新上报。")
    _fill(subs["331002S02"], cs, None, rng)
    _fill(subs["331002S03"], cs, None, rng, claim=("4.3.4", "本所辖区土地调查由分局统一组织，本所不承担此项职责。"))
    sub = subs["331002S04"]
    services.submission_save_draft(actor=None, submission=sub, expected_version=sub.version,
                                   items={"1.1": {"score": 3}, "1.2": {"score": 2.5, "comment": "1人为中专学历"}})

    # 黄岩: reviewed (one under audit with lowered scores and a 数据不实 flag), submitted, returned, a pending claim.
    sub = _fill(subs["331003S04"], cs, None, rng, lost=0)
    sub = _review(sub, cs, county2, rng, lower={"2.2": Decimal(6), "2.5": Decimal(2), "4.6": Decimal(3)})
    if not sub.needs_audit:  # the demo's "one under audit": the city adds it to the sample's work
        Submission.objects.filter(pk=sub.pk).update(needs_audit=True)
    _fill(subs["331003S02"], cs, None, rng)
    sub = _fill(subs["331003S03"], cs, None, rng, lost=0)
    services.submission_return(actor=county2, submission=sub, expected_version=sub.version,
                               reason="2.2项未附统一标识的现场照片，请补充后重新上报。")
    _fill(subs["331003S05"], cs, None, rng, claim=("4.3.2", "规划修编基础工作由分局规划科承担。"))

    # 路桥 and 临海: reviewed ones waiting for the city (audited or ready to publish), submitted, a draft with 延期.
    for code in ("331004S01", "331004S03"):
        sub = _fill(subs[code], cs, None, rng)
        _review(sub, cs, None, rng)
    _fill(subs["331004S02"], cs, None, rng)
    _fill(subs["331082S01"], cs, None, rng, submit=False)
    services.submission_extend_deadline(actor=city, submission=subs["331082S01"],
                                        extended_to=self_deadline + timedelta(days=7),
                                        reason="所长参加省厅集中培训，经研究同意延期一周提交自评。")
    return campaign


@transaction.atomic
def build_campaign() -> Campaign:
    """Last year's campaign (published) and this year's (in mid-flight); returns this year's."""
    rng = random.Random(20210510)
    city, county, county2, head = _user("city"), _user("county"), _user("county2"), _user("head")
    year = local_today().year
    _last_year(city, county, county2, head, rng, year)
    return _this_year(city, county, county2, head, rng, year)


@transaction.atomic
def reset_campaigns() -> None:
    """Remove every campaign and what hangs on it (the audit trail stays: it is append-only)."""
    from .models import Bonus, Result, VetoEvent

    Result.objects.all().delete()
    VetoEvent.objects.all().delete()
    Bonus.objects.all().delete()
    Campaign.objects.all().delete()
