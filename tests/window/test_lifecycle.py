"""申请与受理 → 审查 → 决定 → 送达: notice, acceptance, refusal, review, decision, delivery and the clock."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from jiceng.core.workflow import NotAllowed
from jiceng.window import services
from jiceng.window.models import Authorisation, Case, Notice, State

from .conftest import at, person

pytestmark = pytest.mark.django_db


def authorise(people, centre, **extra):
    with transaction.atomic():
        return Authorisation.objects.create(unit=centre, user=people["chief"], department="自然资源所",
                                            document="甲政发〔2026〕12号", powers=["decide", "seal"],
                                            valid_from=date(2026, 1, 1), recorded_by=people["head"], **extra)


def fresh(case):
    return Case.objects.get(pk=case.pk)


def test_national_day_case_with_correction_stop_and_extension(centre, people, item):
    """Worked by hand over the 2026 Mid-Autumn / National Day week (holidays 10-1..10-7, Saturday 10-10 worked).

    Accepted Mon 9-28; counted from 9-29: 9-29, 9-30, 10-8 (3 days), then the 补正 notice on Fri 10-9 stops
    the clock until the materials come back on Tue 10-13. 17 statutory days remain from 10-14: 10-14, 15, 16,
    19 … 11-5; the promised 15 leave 12: … 10-29. The one extension (+10) moves the statutory day to 11-19.
    """
    w = people["window"]
    case = services.intake(centre, item, actor=w, now=at(2026, 9, 28), **person())
    case = services.accept(case, actor=w, expected_version=case.version, now=at(2026, 9, 28, 9, 20))
    case = fresh(case)
    assert case.accepted_on == date(2026, 9, 28)
    assert (case.promised_due, case.statutory_due) == (date(2026, 10, 23), date(2026, 10, 30))
    assert case.due_on == case.promised_due  # the promise drives the colour
    notice = services.give_notice(case, actor=w, expected_version=case.version, now=at(2026, 10, 9),
                                  items=[{"material": "户口簿", "problem": "复印件不清晰"}])
    case = fresh(case)
    assert case.state == State.CORRECTING and case.due_on is None and notice.number.endswith("-B1")
    assert case.statutory_due is None  # stopped
    case = services.return_materials(case, actor=w, expected_version=case.version, now=at(2026, 10, 13))
    case = fresh(case)
    assert case.state == State.ACCEPTED
    assert (case.promised_due, case.statutory_due) == (date(2026, 10, 29), date(2026, 11, 5))
    assert Notice.objects.get(pk=notice.pk).returned_on == date(2026, 10, 13)
    assert "补正" in case.deadline.explain() and "2026-10-29" in case.deadline.explain()
    case = services.extend(case, actor=people["chief"], expected_version=case.version, reason="需实地踏勘",
                           now=at(2026, 10, 20))
    assert fresh(case).statutory_due == date(2026, 11, 19)
    with pytest.raises(ValidationError) as err:
        services.extend(fresh(case), actor=people["chief"], expected_version=fresh(case).version, reason="再延")
    assert "延长过一次" in " ".join(err.value.messages)
    assert fresh(case).statutory_due == date(2026, 11, 19)


def test_full_path_and_decision_needs_authority(centre, people, item):
    w, back, chief = people["window"], people["back"], people["chief"]
    case = services.intake(centre, item, actor=w, now=at(2026, 11, 2), **person())
    case = services.accept(case, actor=w, expected_version=case.version, now=at(2026, 11, 2, 9, 30))
    with pytest.raises(NotAllowed):  # out of order: a decision before the review
        services.decide(case, actor=chief, expected_version=case.version, outcome="granted", text="准予")
    case = services.review(case, actor=back, expected_version=case.version, opinion="材料齐全，符合条件",
                           now=at(2026, 11, 5))
    with pytest.raises(ValidationError) as err:  # no recorded authorisation
        services.decide(case, actor=chief, expected_version=case.version, outcome="granted", text="准予")
    assert "首席代表" in " ".join(err.value.messages)
    assert fresh(case).state == State.REVIEWED and fresh(case).decided_at is None
    authorise(people, centre)
    case = services.decide(case, actor=chief, expected_version=case.version, outcome="granted", text="准予使用宅基地",
                           now=at(2026, 11, 9, 15))
    case = fresh(case)
    assert case.state == State.DECIDED and case.decided_on == date(2026, 11, 9) and case.working_days == 5
    assert case.delivery_due == date(2026, 11, 23)  # 第四十四条: 10 working days
    case = services.deliver(case, actor=w, expected_version=case.version, now=at(2026, 11, 10))
    case = fresh(case)
    assert case.state == State.DELIVERED and case.closed_at is not None and not case.is_open
    with pytest.raises(NotAllowed):  # completing twice
        services.deliver(case, actor=w, expected_version=case.version)


def test_expired_or_revoked_authorisation_does_not_decide(centre, people, item):
    authorise(people, centre, valid_until=date(2026, 6, 30))
    w = people["window"]
    case = services.intake(centre, item, actor=w, now=at(2026, 11, 2), **person())
    case = services.accept(case, actor=w, expected_version=case.version)
    case = services.review(case, actor=people["back"], expected_version=case.version, opinion="同意")
    with pytest.raises(ValidationError):
        services.decide(case, actor=people["chief"], expected_version=case.version, outcome="granted", text="准予",
                        now=at(2026, 11, 9))


def test_notice_late_means_accepted_from_the_day_received(centre, people, item):
    w = people["window"]
    case = services.intake(centre, item, actor=w, now=at(2026, 11, 2), **person())  # notice due 11-9
    with pytest.raises(ValidationError) as err:
        services.give_notice(case, actor=w, expected_version=case.version, now=at(2026, 11, 10),
                             items=[{"material": "户口簿", "problem": "未提交"}])
    assert "第三十二条" in " ".join(err.value.messages)
    assert fresh(case).state == State.RECEIVED and not Notice.objects.exists()
    case = services.accept(case, actor=w, expected_version=case.version, now=at(2026, 11, 10))
    case = fresh(case)
    assert case.deemed_accepted and case.accepted_on == date(2026, 11, 2)


def test_deem_accepted_daily(centre, people, item):
    case = services.intake(centre, item, actor=people["window"], now=at(2026, 11, 2), **person())
    assert services.deem_accepted(date(2026, 11, 9)) == 0
    assert services.deem_accepted(date(2026, 11, 10)) == 1
    case = fresh(case)
    assert case.state == State.ACCEPTED and case.accepted_on == date(2026, 11, 2) and case.deemed_accepted


def test_notice_before_acceptance_then_accept(centre, people, item):
    w = people["window"]
    case = services.intake(centre, item, actor=w, now=at(2026, 11, 2), **person())
    with pytest.raises(ValidationError):  # every line needs the material and the problem
        services.give_notice(case, actor=w, expected_version=case.version, items=[{"material": "户口簿"}])
    services.give_notice(case, actor=w, expected_version=case.version, now=at(2026, 11, 3),
                         items=[{"material": "户口簿", "problem": "未提交"}, {"material": "申请表", "problem": "未签字"}])
    case = fresh(case)
    assert case.state == State.CORRECTING and case.noticed_on == date(2026, 11, 3)
    case = services.return_materials(case, actor=w, expected_version=case.version, now=at(2026, 11, 16))
    case = fresh(case)
    assert case.state == State.RECEIVED and case.due_on == date(2026, 11, 23)  # a new 5-day window
    case = services.accept(case, actor=w, expected_version=case.version, now=at(2026, 11, 16, 10))
    assert fresh(case).accepted_on == date(2026, 11, 16) and not fresh(case).deemed_accepted


def test_refuse_needs_reason_and_basis(centre, people, item):
    w = people["window"]
    case = services.intake(centre, item, actor=w, now=at(2026, 11, 2), **person())
    with pytest.raises(ValidationError):
        services.refuse(case, actor=w, expected_version=case.version, reason="", basis="")
    assert fresh(case).state == State.RECEIVED
    case = services.refuse(case, actor=w, expected_version=case.version, reason="申请人非本村村民",
                           basis="《土地管理法》第六十二条")
    case = fresh(case)
    assert case.state == State.REFUSED and case.closed_at and case.refusal_basis.startswith("《土地")


def test_hearing_stops_the_clock(centre, people, item):
    w = people["window"]
    case = services.intake(centre, item, actor=w, now=at(2026, 11, 2), **person())
    case = services.accept(case, actor=w, expected_version=case.version, now=at(2026, 11, 2))
    before = fresh(case).statutory_due
    with pytest.raises(ValidationError):
        services.stop_clock(fresh(case), actor=w, expected_version=fresh(case).version, reason="喝茶")
    case = services.stop_clock(fresh(case), actor=w, expected_version=fresh(case).version, reason="听证",
                               now=at(2026, 11, 4))
    assert fresh(case).due_on is None
    case = services.resume_clock(fresh(case), actor=w, expected_version=fresh(case).version, now=at(2026, 11, 11))
    case = fresh(case)
    assert case.statutory_due > before and "听证" in case.deadline.explain()
