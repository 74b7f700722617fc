"""The unit tree: materialised paths, the kind hierarchy, scoped selectors and scoped writes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from factories import make_staff
from jiceng.core.models import AuditEvent, EventType
from jiceng.org import selectors, services
from jiceng.org.models import Staff, Unit, UnitKind


def test_paths_nest_so_a_subtree_is_a_prefix(region):
    assert region.county_a.path.startswith(region.city.path)
    assert region.grid_a.path.startswith(region.village_a.path)
    assert region.village_a.path.startswith(region.township_a.path)
    assert not region.office_b1.path.startswith(region.county_a.path)
    assert region.grid_a.depth == 5


def test_this_unit_and_below_is_one_prefix_query(region):
    with CaptureQueriesContext(connection) as ctx:
        codes = list(Unit.objects.filter(path__startswith=region.county_a.path).values_list("code", flat=True))
    assert len(ctx.captured_queries) == 1
    assert "LIKE" in ctx.captured_queries[0]["sql"].upper()
    assert sorted(codes) == ["CA", "CA1", "CA2", "CAT", "CATV", "CATVG"]


def test_a_prefix_does_not_match_a_sibling_with_a_longer_number(region, users):
    """Fixed-width steps: child 0001 of a node never matches the prefix of child 00010 (no such thing)."""
    for index in range(12):
        services.unit_create(actor=users["city_admin"], parent=region.county_b, kind="office", name=f"乙{index}",
                             code=f"CBX{index}")
    tenth = Unit.objects.get(code="CBX9")
    below = Unit.objects.filter(path__startswith=tenth.path)
    assert list(below) == [tenth]


def test_staff_below_a_unit_are_found_through_the_unit_path(region, users):
    deep = make_staff(region.grid_a, post="grid_worker")
    people = selectors.staff_list(users["city_admin"], unit=region.township_a)
    assert deep in people
    assert all(p.unit.path.startswith(region.township_a.path) for p in people)


@pytest.mark.parametrize(
    "parent_attr, kind",
    [
        ("city", "office"),
        ("county_a", "county"),
        ("office_a1", "grid"),
        ("county_a", "village"),
        ("village_a", "village"),
        ("grid_a", "grid"),
        ("township_a", "office"),
    ],
)
def test_a_unit_kind_in_the_wrong_place_is_refused_with_a_clear_error(region, users, parent_attr, kind):
    parent = getattr(region, parent_attr)
    with pytest.raises(ValidationError) as excinfo:
        services.unit_create(actor=users["city_admin"], parent=parent, kind=kind, name="x", code="X")
    # The message names both kinds, in the user's language.
    message = " ".join(excinfo.value.message_dict["kind"])
    assert str(UnitKind(kind).label) in message and str(UnitKind(parent.kind).label) in message
    assert not Unit.objects.filter(code="X").exists()


@pytest.mark.parametrize(
    "parent_attr, kind",
    [("city", "county"), ("county_a", "office"), ("county_a", "township"), ("township_a", "service_centre"),
     ("township_a", "village"), ("village_a", "grid"), ("township_a", "grid")],
)
def test_the_allowed_kinds_are_accepted(region, users, parent_attr, kind):
    unit = services.unit_create(actor=users["city_admin"], parent=getattr(region, parent_attr), kind=kind, name="x",
                                code="X")
    assert unit.get_parent().pk == getattr(region, parent_attr).pk


def test_only_a_city_can_be_a_root(db):
    with pytest.raises(ValidationError) as excinfo:
        services.unit_create(actor=None, parent=None, kind="county", name="x", code="X")
    assert "kind" in excinfo.value.message_dict


def test_a_duplicate_code_is_refused_field_by_field(region, users):
    with pytest.raises(ValidationError) as excinfo:
        services.unit_create(actor=users["city_admin"], parent=region.county_a, kind="office", name="x", code="CA1")
    assert "code" in excinfo.value.message_dict


def test_a_root_cannot_be_created_through_the_web_by_anyone(region, users):
    with pytest.raises(PermissionDenied):
        services.unit_create(actor=users["city_admin"], parent=None, kind="city", name="x", code="X")


def test_only_the_tree_structure_capability_adds_units(region, users):
    for role in ("county_reviewer", "office_head", "system_admin", "security_admin"):
        with pytest.raises(PermissionDenied):
            services.unit_create(actor=users[role], parent=region.county_a, kind="office", name="x", code="X")


def test_a_unit_cannot_be_added_under_a_parent_outside_the_editor_scope(region, users):
    from jiceng.accounts import services as accounts

    county_admin = accounts.user_create(actor=None, username="ca_admin", full_name="x", password="Temp#orary2026")
    accounts.membership_grant(actor=None, user=county_admin, unit=region.county_b, role="city_admin")
    with pytest.raises(Http404):
        services.unit_create(actor=county_admin, parent=region.county_a, kind="office", name="x", code="X")


def test_moving_staff_out_of_the_editor_subtree_is_refused_and_rolled_back(region, users):
    staff = make_staff(region.office_a1)
    with pytest.raises(Http404):
        services.staff_update(actor=users["office_head"], staff=staff, changes={"unit": region.office_b1})
    staff.refresh_from_db()
    assert staff.unit_id == region.office_a1.pk
    assert not AuditEvent.objects.filter(event_type=EventType.UPDATE, object_id=str(staff.pk)).exists()


def test_moving_staff_within_the_editor_subtree_is_allowed(region, users):
    staff = make_staff(region.office_a1)
    services.staff_update(actor=users["county_reviewer"], staff=staff, changes={"unit": region.office_a2})
    staff.refresh_from_db()
    assert staff.unit_id == region.office_a2.pk
    row = AuditEvent.objects.get(event_type=EventType.UPDATE, object_id=str(staff.pk))
    assert row.before == {"unit_id": region.office_a1.pk} and row.after == {"unit_id": region.office_a2.pk}


def test_staff_cannot_be_created_in_a_unit_outside_scope(region, users):
    with pytest.raises(Http404):
        services.staff_create(actor=users["office_head"], unit=region.office_a2, name="x", gender="m",
                              education="bachelor", employment_type="agency", post="staff")
    assert not Staff.objects.filter(name="x").exists()


def test_unit_facts_outside_the_editable_list_are_refused(region, users):
    with pytest.raises(ValidationError) as excinfo:
        services.unit_update(actor=users["city_admin"], unit=region.office_a1, changes={"code": "HACK", "path": "0"})
    assert set(excinfo.value.message_dict) == {"code", "path"}


def test_invalid_staff_values_are_refused_field_by_field_and_nothing_is_saved(region, users):
    count = Staff.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.staff_create(actor=users["office_head"], unit=region.office_a1, name="", gender="x",
                              education="bachelor", employment_type="agency", post="staff")
    assert {"name", "gender"} <= set(excinfo.value.message_dict)
    assert Staff.objects.count() == count


def test_the_staff_form_refuses_units_outside_the_user_scope(region, users):
    """The form's choices are narrowed before validation (a bound form must not validate against every unit)."""
    from jiceng.org.forms import StaffForm

    staff = region.office_a1.staff.get()
    data = {
        "unit": region.office_a2.pk,
        "establishment_unit": region.office_b1.pk,
        "name": staff.name,
        "gender": "m",
        "education": "bachelor",
        "political_status": "masses",
        "employment_type": "on_establishment",
        "post": "head",
    }
    form = StaffForm(data, instance=staff, user=users["office_head"])
    assert not form.is_valid()
    assert {"unit", "establishment_unit"} <= set(form.errors)
    assert "is-invalid" in form.fields["unit"].widget.attrs["class"]
    assert "is-invalid" not in form.fields["name"].widget.attrs["class"]


def test_the_scope_of_a_user_with_two_memberships_is_their_union(region, users):
    from jiceng.accounts import services as accounts

    accounts.membership_grant(actor=users["security_admin"], user=users["office_head"], unit=region.office_b1,
                              role="office_staff")
    user = type(users["office_head"]).objects.get(pk=users["office_head"].pk)
    visible = set(Unit.objects.visible_to(user).values_list("code", flat=True))
    editable = set(Unit.objects.editable_by(user).values_list("code", flat=True))
    assert visible == {"CA1", "CB1"}
    assert editable == {"CA1"}


def test_nested_memberships_collapse_to_the_outer_path(region, users):
    from jiceng.accounts import services as accounts

    accounts.membership_grant(actor=users["security_admin"], user=users["county_reviewer"], unit=region.office_a1,
                              role="office_head")
    user = type(users["county_reviewer"]).objects.get(pk=users["county_reviewer"].pk)
    assert user.scope_paths("view") == [region.county_a.path]


def test_an_inactive_user_sees_nothing(region, users):
    user = users["city_admin"]
    user.is_active = False
    assert not Unit.objects.visible_to(user).exists()
    assert not Staff.objects.visible_to(user).exists()


def test_the_breadcrumb_shows_only_visible_ancestors(region, users):
    crumbs = selectors.unit_ancestors_visible(users["county_reviewer"], region.grid_a)
    assert [u.code for u in crumbs] == ["CA", "CAT", "CATV"]
    all_crumbs = selectors.unit_ancestors_visible(users["city_admin"], region.grid_a)
    assert [u.code for u in all_crumbs] == ["C", "CA", "CAT", "CATV"]


def test_unit_children_are_the_visible_next_level(region, users):
    children = selectors.unit_children(users["city_admin"], region.county_a)
    assert [u.code for u in children] == ["CA1", "CA2", "CAT"]
    assert [u.staff_count for u in children] == [1, 1, 0]
