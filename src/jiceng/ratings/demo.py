"""The ratings demo: the applicants of the window's ended demo cases rate most of them, on site or online;
a few 差评, their rectifications in every state (some still waiting for the call-back: the centre head's
and the clerk's to-do), one appeal upheld. Built after the staffing demo (the ratings name the post).
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

GOOD = {"overall": 5, "efficiency": 5, "skill": 5, "attitude": 5}
COMMENTS = ["排队时间太长，窗口只开了一个", "工作人员态度生硬，解释不清楚", "材料要求前后说法不一致，跑了两趟",
            "办理时间超过了承诺时限"]


def loaded() -> bool:
    from .models import Rating

    return Rating.objects.exists()


def _scores(rng, channel, overall):
    from .models import dimensions

    return {key: (overall if key == "overall" else max(1, min(5, overall + rng.choice((-1, 0, 0, 1)))))
            for key, _ in dimensions(channel)}


def build():
    from jiceng.accounts.models import Membership
    from jiceng.window.models import Case

    from . import services
    from .models import Rectification

    rng = random.Random(1313)
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    cases = list(Case.objects.exclude(state__in=Case.open_states).filter(closed_at__isnull=False)
                 .select_related("unit").order_by("closed_at", "pk"))
    heads = {m.unit_id: m.user for m in Membership.objects.filter(role="centre_head")}
    made = 0
    for case in cases:
        if rng.random() < 0.18:
            continue  # left unrated (未评价)
        closed = timezone.localtime(case.closed_at)
        when = datetime.combine(closed.date(), time(min(closed.hour, 16), closed.minute), tz) + timedelta(minutes=8)
        if when.date() > today:
            continue
        channel = "online" if case.channel == "online" or rng.random() < 0.25 else "onsite"
        roll = rng.random()
        overall = 5 if roll < 0.72 else 4 if roll < 0.86 else 3 if roll < 0.93 else 2 if roll < 0.98 else 1
        _, token = services.issue_invite(actor=None, case=case, channel=channel, now=when - timedelta(minutes=5))
        data = {k: str(v) for k, v in _scores(rng, channel, overall).items()}
        if overall <= 2:
            data["comment"] = rng.choice(COMMENTS)
        if rng.random() < 0.1:
            data["anonymous"] = "1"
        rating = services.rate(token=token, data=data, now=when)
        made += 1
        if overall > 2:
            continue
        row = Rectification.objects.get(rating=rating)
        age = (today - rating.rated_on).days
        if age < 6:
            continue  # still to call back: on the to-do lists
        head = heads.get(case.unit_id)
        owner = row.owner
        row = services.rectification_step(actor=owner, row=row, step="call_back", expected_version=row.version,
                                          text="已电话回访申请人，说明情况并致歉", now=when + timedelta(days=2))
        if age < 20:
            continue  # called back, the fix still open
        if rng.random() < 0.15 and head is not None:
            row = services.rectification_step(actor=owner, row=row, step="appeal", expected_version=row.version,
                                              text="申请人将其他部门的办理时限误记为本窗口", now=when + timedelta(days=3))
            services.rectification_step(actor=head, row=row, step="uphold", expected_version=row.version,
                                        text="经核实属误评，撤销该评价", now=when + timedelta(days=5))
        elif rng.random() < 0.2:
            services.rectification_step(actor=owner, row=row, step="explain", expected_version=row.version,
                                        text="申请人要求超出法定条件，已依法解释", now=when + timedelta(days=6))
        else:
            services.rectification_step(actor=owner, row=row, step="fix", expected_version=row.version,
                                        text="增设取号提示和材料清单样表，窗口人员服务规范再培训",
                                        now=when + timedelta(days=8))
    return made
