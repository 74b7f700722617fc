"""Every 差评 tracked to closure: call-back, fix or explanation, appeal decided by someone above; the figures."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from jiceng.core.workflow import Incomplete, NotAllowed
from jiceng.ratings import figures, inbox, services
from jiceng.ratings.models import Rating, Rectification

from .conftest import at, finish, received

pytestmark = pytest.mark.django_db
GOOD = {"overall": "5", "efficiency": "5", "skill": "5", "attitude": "5"}
BAD = {"overall": "2", "efficiency": "2", "skill": "2", "attitude": "2", "comment": "态度差"}


def _rated(case, people, data, *, day=(2026, 11, 4), anonymous=False):
    _, token = services.issue_invite(actor=people["window"], case=case, channel="onsite")
    data = {**data, **({"anonymous": "1"} if anonymous else {})}
    return services.rate(token=token, data=data, now=at(*day, 15))


def _step(row, actor, step, text="已处理"):
    row = Rectification.objects.get(pk=row.pk)
    return services.rectification_step(actor=actor, row=row, step=step, expected_version=row.version, text=text)


def test_call_back_then_fix_closes_and_moves_the_clock(ended_case, people):
    row = _rated(ended_case, people, BAD).rectification
    owner = ended_case.handler
    row = _step(row, owner, "call_back", "电话回访马志强，说明办理进度")
    assert row.state == "called_back" and row.called_back_at is not None
    assert row.due_on == row.fix_due
    row = _step(row, owner, "fix", "窗口增设叫号提示")
    assert row.state == "fixed" and row.closed_at is not None and not row.is_open


def test_the_call_back_needs_its_record_and_only_the_owner_or_the_head_acts(ended_case, people):
    row = _rated(ended_case, people, BAD).rectification
    with pytest.raises(Incomplete):
        _step(row, ended_case.handler, "call_back", "")
    with pytest.raises(ValidationError, match="handled the case|办理"):
        _step(row, people["window2"], "call_back")
    assert Rectification.objects.get(pk=row.pk).state == "open"
    assert _step(row, people["head"], "call_back").state == "called_back"


def test_fix_before_the_call_back_is_refused(ended_case, people):
    row = _rated(ended_case, people, BAD).rectification
    with pytest.raises(NotAllowed):
        _step(row, ended_case.handler, "fix")


def test_an_appeal_is_decided_by_someone_above_not_by_the_rated_person(ended_case, people, centre):
    rating = _rated(ended_case, people, BAD)
    owner = ended_case.handler
    row = _step(rating.rectification, owner, "call_back")
    row = _step(row, owner, "appeal", "申请人误评：材料缺失系本人原因，已一次性告知")
    # the rated person, even holding the centre head's role there, cannot decide their own appeal
    with pytest.raises(ValidationError, match="own appeal|自己"):
        _step(row, _as_head(owner, centre), "uphold", "成立")
    assert Rectification.objects.get(pk=row.pk).state == "appealed"
    row = _step(row, people["head"], "uphold", "核实属误评")
    assert row.state == "annulled" and row.decided_by == people["head"]
    assert Rating.objects.get(pk=rating.pk).annulled


def _as_head(user, centre):
    from jiceng.accounts.models import Membership

    Membership.objects.create(user=user, unit=centre, role="centre_head")
    return type(user).objects.get(pk=user.pk)


def test_a_refused_appeal_goes_back_to_the_fix(ended_case, people):
    owner = ended_case.handler
    row = _step(_rated(ended_case, people, BAD).rectification, owner, "call_back")
    row = _step(row, owner, "appeal", "误评")
    row = _step(row, people["head"], "refuse_appeal", "评价属实")
    assert row.state == "called_back"
    assert _step(row, owner, "explain", "申请人诉求无法律依据，已解释").state == "explained"


def test_the_head_sees_the_poor_rating_to_handle_and_the_staff_their_call_back(ended_case, people):
    _rated(ended_case, people, BAD)
    head_items = [i.kind for i in inbox.items_for(people["head"])]
    assert head_items == ["ratings.rectification"]
    assert [i.kind for i in inbox.items_for(ended_case.handler)] == ["ratings.rectification"]
    assert inbox.items_for(people["window2"]) == []
    assert inbox.items_for(people["outsider"]) == []


def test_figures_per_unit_and_staff_and_the_ranking(centre, people, item, region):
    from .tests_staffing_helpers import post_for

    cases = [finish(received(centre, people, item, day=date(2026, 11, 2 + i)), people, day=date(2026, 11, 2 + i))
             for i in range(4)]
    post_for(people, centre)
    _rated(cases[0], people, GOOD)
    _rated(cases[1], people, GOOD)
    bad_named = _rated(cases[2], people, BAD)
    _step(bad_named.rectification, cases[2].handler, "call_back")
    # cases[3] ends unrated
    period = figures.Period.parse("2026-11")
    [row] = figures.by_unit(people["head"], period)
    assert (row["ended"], row["unrated"], row["ratings"], row["good"], row["bad"]) == (4, 1, 3, 2, 1)
    assert row["good_rate"] == 66.7 and row["unrated_rate"] == 25.0
    assert row["callback_rate"] == 100.0 and row["rectified_rate"] == 0.0
    [staff] = figures.by_staff(people["head"], period)
    assert staff["ratings"] == 3
    [window] = figures.ranking(people["head"], period)
    assert window["post__name"] == "宅基地窗口" and window["place"] == 1
    assert figures.by_unit(people["outsider"], period) == []


def test_the_figures_page_exports_a_real_workbook(client_for, ended_case, people):
    _rated(ended_case, people, BAD, anonymous=True)
    response = client_for(people["head"]).get(reverse("ratings:figures"), {"period": "2026-11", "format": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    units = list(book.worksheets[0].values)
    assert units[1][0] == "CATS" and units[1][4] == 1  # one rating
    assert units[1][9] is None  # anonymous poor rating: no real-name call-back rate
