"""The staffing demo: at every demo service centre, its two window clerks on two AB posts, a year of sign-ins
with a few breaches (some confirmed, one to confirm), leave requests (one waiting for the centre head) and
trainings; the people's facts give some eligibility warnings (an A holder due for rotation, a clerk over 45).

Built after the window's demo, whose accounts (window, window2, centrehead … per centre) it uses.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from jiceng.core import audit
from jiceng.core.models import EventType


def loaded() -> bool:
    from .models import WindowPost

    return WindowPost.objects.exists()


def _user(centre, role):
    from jiceng.accounts.models import Membership

    return [m.user for m in Membership.objects.filter(unit=centre, role=role).select_related("user").order_by("user_id")]


def _staff(centre, user, birth, education, since):
    from jiceng.org.models import Staff

    name = user.full_name.split()[-1] if user.full_name else user.username
    return Staff.objects.create(unit=centre, name=name, gender="f", birth_date=birth, education=education,
                                employment_type="on_establishment", post="window", post_start=since)


def build():
    from jiceng.core.workdays import calendar
    from jiceng.org.models import Unit, UnitKind

    from . import services
    from .models import SignIn

    rng = random.Random(13)
    today = timezone.localdate()
    cal = calendar()
    built = 0
    for centre in Unit.objects.filter(kind=UnitKind.SERVICE_CENTRE).order_by("code"):
        clerks = _user(centre, "window_staff")
        heads = _user(centre, "centre_head")
        if len(clerks) < 2 or not heads:
            continue
        head = heads[0]
        a = services.worker_create(actor=None, user=clerks[0], unit=centre,
                                   staff=_staff(centre, clerks[0], date(1988, 3, 12), "bachelor", date(2016, 7, 1)),
                                   work_since=date(2016, 7, 1))
        b = services.worker_create(actor=None, user=clerks[1], unit=centre,
                                   staff=_staff(centre, clerks[1], date(1979, 10, 2), "junior_college",
                                                date(2012, 3, 1)), work_since=date(2012, 3, 1))
        services.post_create(actor=None, unit=centre, name="不动产登记窗口", holder_a=a, holder_b=b,
                             a_since=date(2022, 9, 1), b_since=date(2024, 1, 2))
        services.post_create(actor=None, unit=centre, name="用地审批窗口", holder_a=b, holder_b=a,
                             a_since=date(2024, 1, 2), b_since=date(2022, 9, 1))
        # A year of sign-ins (朝九晚五), written in bulk with one audit record for the batch.
        rows = []
        lates = {a.pk: [], b.pk: []}
        day = date(today.year, 1, 1)
        while day < today:
            if cal.count(day - timedelta(days=1), day, "working") == 1:
                for w in (a, b):
                    start = time(8, rng.choice([35, 40, 45, 50, 52, 55, 58])) if rng.random() > 0.015 else time(9, 14)
                    if start > time(9, 0):
                        lates[w.pk].append(day)
                    tz = timezone.get_current_timezone()
                    rows.append(SignIn(unit=centre, worker=w, day=day,
                                       signed_in_at=datetime.combine(day, start, tz),
                                       signed_out_at=datetime.combine(day, time(17, rng.randint(0, 20)), tz)))
            day += timedelta(days=1)
        SignIn.objects.bulk_create(rows)
        with_audit(centre, len(rows))
        # Breaches: A's first late morning and a phone at the window, confirmed in turn; B's 串岗 dismissed.
        first_late = lates[a.pk][0] if lates[a.pk] else date(today.year, 3, 9)
        for worker, kind, when, decision in ((a, "late", first_late, "confirm"),
                                             (a, "phone", date(today.year, 6, 17), "confirm"),
                                             (b, "wandering", date(today.year, 9, 8), "dismiss")):
            breach = services.breach_record(actor=head, worker=worker, kind=kind, occurred_on=when, note="中心巡查发现")
            services.breach_step(actor=head, breach=breach, step=decision, expected_version=breach.version,
                                 note="本人已签字确认" if decision == "confirm" else "经核实为协助邻窗办理业务")
        # One still to confirm: the centre head's to-do.
        services.breach_record(actor=head, worker=a, kind="off_post", occurred_on=today - timedelta(days=2),
                               note="10:20-10:45 离开窗口未请假")
        # Leave: a sick day in August (approved, back), an annual leave in December waiting for the head.
        sick = services.leave_request(actor=a.user, kind="sick", starts=date(today.year, 8, 11),
                                      ends=date(today.year, 8, 12), reason="发热就医")
        sick = services.leave_step(actor=head, leave=sick, step="approve", expected_version=sick.version)
        services.leave_step(actor=a.user, leave=sick, step="back", expected_version=sick.version)
        services.leave_request(actor=b.user, kind="annual", starts=today + timedelta(days=10),
                               ends=today + timedelta(days=14), reason="年休假探亲")
        for worker, titles in ((a, ["一窗综合受理业务培训", "政务服务平台应用培训"]), (b, ["告知承诺制专题培训"])):
            for n, title in enumerate(titles):
                services.training_record(actor=head, worker=worker, title=title,
                                         held_on=date(today.year, 4 + 4 * n, 15), hours=4)
        built += 1
    return built


def with_audit(centre, n):
    audit.record(EventType.CREATE, actor_name="system", unit=centre, reason="demo attendance",
                 details={"sign_ins": n})

