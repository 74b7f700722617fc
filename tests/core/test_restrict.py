"""`Model.objects.restrict(user, action)`, the one scoped read, agrees with the single checks (issue 11, item 2).

For every user of the test region, every declared capability and every row:
`restrict` returns the row exactly when `holds(user, action, row's unit)` (units,
staff, campaigns) or `allows(user, action, row)` (submissions, whose scope also
runs through the auditing and reviewing units) says yes.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import models

from factories import make_staff, open_deadlines
from jiceng.core import capabilities
from jiceng.core.capabilities import EDIT, VIEW
from jiceng.core.models import UnitOwned, UnitOwnedQuerySet
from jiceng.core.scoping import allows, holds

ACTIONS = sorted({capability for _app, capability, _roles in capabilities.matrix()})


@pytest.fixture
def staff(region):
    return [make_staff(unit) for unit in (region.city, region.county_a, region.office_a1, region.office_a2,
                                          region.township_a, region.village_a, region.office_b1)]


@pytest.fixture
def campaigns(region, users):
    """A sampled campaign and a cross-checked one, so submissions have auditors other than the city."""
    from jiceng.assessments import services

    common = {
        "actor": users["city_admin"], "organiser": region.city, "scheme_id": "taizhou-office-2021",
        "period_start": date(2021, 5, 10), "period_end": date(2022, 4, 30), **open_deadlines(),
        "sample_ratio": Decimal("0.5"), "seed": 7,
    }
    return [services.campaign_create(name="抽查", audit_mode="sample", **common),
            services.campaign_create(name="交叉", audit_mode="cross", **common)]


def _compare(model, rows, users, unit_of=None):
    """Every (user, action, row): in restrict() exactly when the single check says so. Returns the count."""
    checked = 0
    for user in users.values():
        for action in ACTIONS:
            got = set(model.objects.restrict(user, action).values_list("pk", flat=True))
            for row in rows:
                expected = holds(user, action, unit_of(row)) if unit_of else allows(user, action, row)
                assert (row.pk in got) == expected, (model.__name__, user.username, action, str(row))
                checked += 1
    return checked


def test_the_region_declares_the_capabilities_checked_here():
    for action in (VIEW, EDIT, "assessment.review", "assessment.publish", "pii.unmask"):
        assert action in ACTIONS


def test_restrict_agrees_with_holds_on_units(users, region):
    from jiceng.org.models import Unit

    units = list(Unit.objects.all())
    assert _compare(Unit, units, users, unit_of=lambda u: u) == len(users) * len(ACTIONS) * len(units)


def test_restrict_agrees_with_holds_on_staff(users, staff):
    from jiceng.org.models import Staff

    assert _compare(Staff, staff, users, unit_of=lambda s: s.unit) == len(users) * len(ACTIONS) * len(staff)


def test_restrict_agrees_with_holds_on_campaigns_a_model_on_unit_owned(users, campaigns):
    from jiceng.assessments.models import Campaign

    # Campaign declares no queryset of its own: restrict comes from UnitOwned.
    assert "objects" not in Campaign.__dict__ or isinstance(Campaign.objects.all(), UnitOwnedQuerySet)
    assert isinstance(Campaign.objects.all(), UnitOwnedQuerySet)
    assert _compare(Campaign, campaigns, users, unit_of=lambda c: c.unit) > 0


def test_restrict_agrees_with_allows_on_submissions(users, campaigns):
    from jiceng.assessments.models import Submission

    subs = list(Submission.objects.select_related("unit", "reviewer", "auditor"))
    # The cross-check campaign makes a county audit the other county's offices.
    assert any(s.auditor_id != s.campaign.unit_id for s in subs)
    assert _compare(Submission, subs, users) == len(users) * len(ACTIONS) * len(subs)


def test_a_cross_checking_reviewer_reads_the_other_countys_office_but_not_as_its_own(users, region, campaigns):
    from jiceng.assessments.models import Submission

    reviewer = users["county_reviewer"]  # county A
    cross = Submission.objects.filter(campaign=campaigns[1], unit=region.office_b1).get()
    assert cross.auditor_id == region.county_a.pk
    assert Submission.objects.restrict(reviewer, VIEW).filter(pk=cross.pk).exists()
    assert Submission.objects.restrict(reviewer, "assessment.audit").filter(pk=cross.pk).exists()
    assert not Submission.objects.restrict(reviewer, "assessment.review").filter(pk=cross.pk).exists()
    assert not holds(reviewer, VIEW, cross.unit)  # the office itself stays outside county A's scope


def test_nobody_gets_anything_when_inactive_anonymous_or_unknown_action(users, region, staff):
    from django.contrib.auth.models import AnonymousUser

    from jiceng.org.models import Staff

    head = users["office_head"]
    assert Staff.objects.restrict(head, VIEW).exists()
    assert not Staff.objects.restrict(head, "no.such.capability").exists()
    assert not Staff.objects.restrict(AnonymousUser(), VIEW).exists()
    assert not Staff.objects.restrict(None, VIEW).exists()
    head.is_active = False
    assert not Staff.objects.restrict(head, VIEW).exists()
    assert not allows(head, VIEW, staff[2])


def test_a_model_on_unit_owned_gets_restrict_for_free_under_its_own_field_name(users):
    from django.test.utils import isolate_apps

    from jiceng.org.models import Unit

    # A test-only model in its own app registry (it has no table, and the demo and migrations never see it).
    with isolate_apps("jiceng.core"):
        class OfficeNote(UnitOwned):
            """The owning unit is called `office`: the base follows `unit_field`."""

            unit_field = "office"
            unit = None
            office = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")

            class Meta:
                app_label = "core"

    assert OfficeNote.scope_path_lookup == "office__path"
    assert {f.name for f in OfficeNote._meta.fields} == {"id", "office"}
    assert isinstance(OfficeNote.objects.all(), UnitOwnedQuerySet)
    reviewer = users["county_reviewer"]
    sql = str(OfficeNote.objects.restrict(reviewer, VIEW).query)
    assert "LIKE" in sql.upper() and reviewer.scope_paths(VIEW)[0] in sql
    assert '"office_id"' in sql
    # No scope: the query set is empty without touching the database.
    assert OfficeNote.objects.restrict(users["no_role"], VIEW).query.is_empty()


def test_get_scoped_or_404_uses_restrict_for_any_capability(users, region, staff):
    from django.http import Http404

    from jiceng.core.refusals import get_scoped_or_404
    from jiceng.org.models import Staff

    head = users["office_head"]  # office A1
    mine = staff[2]
    assert get_scoped_or_404(Staff.objects.all(), head, VIEW, pk=mine.pk) == mine
    with pytest.raises(Http404):
        get_scoped_or_404(Staff.objects.all(), head, "pii.unmask", pk=staff[-1].pk)


# --- the questions that are not about one row (may_any, covers, common_ancestor_path) ----------------


def test_may_any_agrees_with_restrict_for_every_user_and_action(users, region):
    from django.contrib.auth.models import AnonymousUser

    from jiceng.core.scoping import may_any
    from jiceng.org.models import Unit

    answers = set()
    for user in users.values():
        for action in ACTIONS:
            expected = Unit.objects.restrict(user, action).exists()
            assert may_any(user, action) == expected, (user.username, action)
            answers.add(expected)
    assert answers == {True, False}
    assert not may_any(AnonymousUser(), VIEW) and not may_any(None, VIEW)
    head = users["office_head"]
    head.is_active = False
    assert not may_any(head, VIEW)


def test_covers_agrees_with_holds_for_every_user_and_unit(users, region):
    from jiceng.core.scoping import covers, subtree_paths
    from jiceng.core.tabular.exporting import scope_covers
    from jiceng.org.models import Unit

    units = list(Unit.objects.all())
    for user in users.values():
        for action in ACTIONS:
            roots = subtree_paths(user, action)
            for unit in units:
                assert covers(roots, [unit.path]) == holds(user, action, unit), (user.username, action, unit.code)
                assert scope_covers(roots, [unit.path]) == holds(user, action, unit)
    # A file written from the whole city is not covered by a county's scope; unknown scope is never covered.
    city, county = subtree_paths(users["city_admin"], VIEW), subtree_paths(users["county_reviewer"], VIEW)
    assert covers(city, county) and not covers(county, city)
    assert not covers(city, None) and covers(county, [])


def test_common_ancestor_path_is_the_lowest_unit_above_every_path(region):
    from jiceng.core.imports import common_unit
    from jiceng.core.scoping import common_ancestor_path
    from jiceng.org.models import Unit

    units = list(Unit.objects.all())

    def above(unit, other):
        return unit.pk == other.pk or other.is_descendant_of(unit)

    for a in units:
        for b in units:
            common = [u for u in units if above(u, a) and above(u, b)]
            lowest = max(common, key=lambda u: u.depth) if common else None
            path = common_ancestor_path([a.path, b.path], Unit.steplen)
            assert path == (lowest.path if lowest else ""), (a.code, b.code)
            assert common_unit([a.path, b.path]) == lowest
    assert common_ancestor_path([], Unit.steplen) == "" and common_unit([]) is None
    assert common_unit([region.office_a1.path, region.village_a.path, region.office_a2.path]) == region.county_a


def test_staff_unmask_refuses_exactly_where_restrict_does(users, staff):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from jiceng.org.capabilities import UNMASK
    from jiceng.org.models import Staff
    from jiceng.org.services import staff_unmask

    outcomes = set()
    for user in users.values():
        visible = set(Staff.objects.restrict(user, VIEW).values_list("pk", flat=True))
        unmaskable = set(Staff.objects.restrict(user, UNMASK).values_list("pk", flat=True))
        for person in staff:
            try:
                value = staff_unmask(actor=user, staff=person, field="phone", reason="核对")
            except Http404:
                outcome = "not found"
            except PermissionDenied:
                outcome = "refused"
            else:
                assert value == person.phone
                outcome = "shown"
            expected = "not found" if person.pk not in visible else "shown" if person.pk in unmaskable else "refused"
            assert outcome == expected, (user.username, str(person))
            outcomes.add(outcome)
    assert outcomes == {"not found", "refused", "shown"}


def test_staff_page_flags_agree_with_restrict(users, staff, rf):
    from jiceng.org.capabilities import UNMASK
    from jiceng.org.models import Staff
    from jiceng.org.views_io import staff_detail_context

    assert issubclass(Staff, UnitOwned) and Staff.scope_path_lookup == "unit__path"
    seen = set()
    for user in users.values():
        editable = set(Staff.objects.restrict(user, EDIT).values_list("pk", flat=True))
        unmaskable = set(Staff.objects.restrict(user, UNMASK).values_list("pk", flat=True))
        for person in Staff.objects.restrict(user, VIEW):
            request = rf.get("/")
            request.user = user
            context = staff_detail_context(request, person.pk)
            assert context["can_edit"] == (person.pk in editable), (user.username, str(person))
            assert context["can_unmask"] == (person.pk in unmaskable), (user.username, str(person))
            seen.add((context["can_edit"], context["can_unmask"]))
    assert (True, True) in seen and (False, False) in seen


def test_the_api_refuses_users_without_scope_exactly_where_restrict_is_empty(users, region):
    from types import SimpleNamespace

    from django.core.exceptions import PermissionDenied

    from jiceng.api.auth import business_user
    from jiceng.org.api import StaffIn, staff_create
    from jiceng.org.models import Staff, Unit

    payload = StaffIn(unit=region.office_a1.pk, name="新人", gender="m", education="bachelor",
                      employment_type="agency", post="staff")
    before = Staff.objects.count()
    for user in users.values():
        request = SimpleNamespace(auth=user)
        if Unit.objects.restrict(user, VIEW).exists():
            assert business_user(request) is user
        else:
            with pytest.raises(PermissionDenied):
                business_user(request)
            continue
        if not Unit.objects.restrict(user, EDIT).exists():
            with pytest.raises(PermissionDenied):
                staff_create(request, payload)
    assert Staff.objects.count() == before
