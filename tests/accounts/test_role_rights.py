"""What each role can and cannot do, through the web pages.

Answers the code gives (see also tests/test_permission_matrix.py): a business
object outside the user's editable scope gets 404, like a missing one, so the
view-only roles (office staff, window staff, grid worker) get 404 on the edit
routes of objects they can see; a page guarded by a capability the role lacks
(accounts, roles, audit trail, adding staff without any editable unit) gets 403.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from factories import make_staff
from jiceng.core.models import AuditEvent, EventType


def _staff_form(staff, **changes):
    data = {
        "unit": staff.unit_id,
        "name": staff.name,
        "gender": staff.gender,
        "education": staff.education,
        "political_status": staff.political_status,
        "employment_type": staff.employment_type,
        "post": staff.post,
        "active": "on",
        "reason": "test",
    }
    data.update(changes)
    return data


def _text(response):
    return response.content.decode()


def _staff(unit):
    return unit.staff.get()


# --- city administrator ------------------------------------------------------


def test_city_admin_sees_every_county(client_for, region, users):
    client = client_for(users["city_admin"])
    text = _text(client.get(reverse("org:staff_list")))
    for unit in (region.office_a1, region.office_a2, region.office_b1, region.grid_a):
        assert _staff(unit).name in text
    assert client.get(reverse("org:unit_detail", args=[region.office_b1.pk])).status_code == 200


def test_city_admin_may_edit_in_any_county(client_for, region, users):
    client = client_for(users["city_admin"])
    staff = _staff(region.office_b1)
    response = client.post(reverse("org:staff_edit", args=[staff.pk]), _staff_form(staff, name="改名者"))
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.name == "改名者"


def test_city_admin_may_add_a_unit_but_only_where_the_tree_allows(region, users):
    from django.core.exceptions import ValidationError

    from jiceng.org import services

    office = services.unit_create(
        actor=users["city_admin"], parent=region.county_b, kind="office", name="乙二所", code="CB2"
    )
    assert office.get_parent().pk == region.county_b.pk
    with pytest.raises(ValidationError):
        services.unit_create(actor=users["city_admin"], parent=region.office_b1, kind="office", name="x", code="X")


# --- county reviewer ----------------------------------------------------------


def test_county_reviewer_sees_only_county_a(client_for, region, users):
    client = client_for(users["county_reviewer"])
    text = _text(client.get(reverse("org:staff_list")))
    assert _staff(region.office_a1).name in text and _staff(region.grid_a).name in text
    assert _staff(region.office_b1).name not in text
    assert client.get(reverse("org:unit_detail", args=[region.office_b1.pk])).status_code == 404
    assert client.get(reverse("org:unit_detail", args=[region.city.pk])).status_code == 404


def test_county_reviewer_cannot_change_the_unit_tree(region, users):
    from django.core.exceptions import PermissionDenied

    from jiceng.org import services

    with pytest.raises(PermissionDenied):
        services.unit_create(actor=users["county_reviewer"], parent=region.county_a, kind="office", name="x", code="X")


# --- office head --------------------------------------------------------------


def test_office_head_edits_staff_of_their_own_office(client_for, region, users):
    client = client_for(users["office_head"])
    staff = _staff(region.office_a1)
    response = client.post(reverse("org:staff_edit", args=[staff.pk]), _staff_form(staff, education="postgraduate"))
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.education == "postgraduate"


def test_office_head_cannot_see_or_edit_staff_of_the_sibling_office(client_for, region, users):
    client = client_for(users["office_head"])
    staff = _staff(region.office_a2)
    assert client.get(reverse("org:staff_detail", args=[staff.pk])).status_code == 404
    response = client.post(reverse("org:staff_edit", args=[staff.pk]), _staff_form(staff, name="被改"))
    assert response.status_code == 404
    staff.refresh_from_db()
    assert staff.name != "被改"


def test_office_head_cannot_see_sibling_county_staff(client_for, region, users):
    client = client_for(users["office_head"])
    staff = _staff(region.office_b1)
    assert client.get(reverse("org:staff_detail", args=[staff.pk])).status_code == 404
    assert staff.name not in _text(client.get(reverse("org:staff_list")))


def test_office_head_cannot_move_a_person_to_the_sibling_office(client_for, region, users):
    client = client_for(users["office_head"])
    staff = _staff(region.office_a1)
    response = client.post(reverse("org:staff_edit", args=[staff.pk]), _staff_form(staff, unit=region.office_a2.pk))
    # The form offers only editable units, so the choice is refused field by field.
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    staff.refresh_from_db()
    assert staff.unit_id == region.office_a1.pk


def test_office_head_adds_staff_to_their_office(client_for, region, users):
    client = client_for(users["office_head"])
    data = _staff_form(_staff(region.office_a1), name="新来的")
    response = client.post(reverse("org:staff_create"), data)
    assert response.status_code == 302
    assert region.office_a1.staff.filter(name="新来的").exists()


def test_office_head_edits_the_facts_of_their_own_office_only(client_for, region, users):
    client = client_for(users["office_head"])
    assert client.get(reverse("org:unit_edit", args=[region.office_a1.pk])).status_code == 200
    assert client.get(reverse("org:unit_edit", args=[region.office_a2.pk])).status_code == 404
    assert client.get(reverse("org:unit_edit", args=[region.county_a.pk])).status_code == 404


def test_office_head_deletes_only_their_own_staff(client_for, region, users):
    client = client_for(users["office_head"])
    mine, theirs = make_staff(region.office_a1), _staff(region.office_a2)
    assert client.post(reverse("org:staff_delete", args=[theirs.pk]), {"reason": "x"}).status_code == 404
    assert client.post(reverse("org:staff_delete", args=[mine.pk]), {"reason": "left"}).status_code == 302
    assert not region.office_a1.staff.filter(pk=mine.pk).exists()
    assert region.office_a2.staff.filter(pk=theirs.pk).exists()


# --- view-only roles ----------------------------------------------------------

VIEW_ONLY = [
    ("office_staff", "office_a1"),
    ("window_staff", "township_a"),
    ("grid_worker", "grid_a"),
]


def _seen_staff(region, unit_attr):
    unit = getattr(region, unit_attr)
    return make_staff(unit) if unit_attr == "township_a" else unit.staff.first()


@pytest.mark.parametrize("role, unit_attr", VIEW_ONLY)
def test_view_only_roles_see_their_subtree(client_for, region, users, role, unit_attr):
    client = client_for(users[role])
    staff = _seen_staff(region, unit_attr)
    assert client.get(reverse("org:staff_detail", args=[staff.pk])).status_code == 200
    assert client.get(reverse("org:unit_detail", args=[getattr(region, unit_attr).pk])).status_code == 200
    assert staff.name in _text(client.get(reverse("org:staff_list")))


@pytest.mark.parametrize("role, unit_attr", VIEW_ONLY)
def test_view_only_roles_get_404_on_edit_routes(client_for, region, users, role, unit_attr):
    client = client_for(users[role])
    staff = _seen_staff(region, unit_attr)
    unit = getattr(region, unit_attr)
    assert client.get(reverse("org:staff_edit", args=[staff.pk])).status_code == 404
    assert client.post(reverse("org:staff_edit", args=[staff.pk]), _staff_form(staff, name="x")).status_code == 404
    assert client.post(reverse("org:staff_delete", args=[staff.pk]), {"reason": "x"}).status_code == 404
    assert client.get(reverse("org:unit_edit", args=[unit.pk])).status_code == 404
    staff.refresh_from_db()
    assert staff.name != "x"


@pytest.mark.parametrize("role, unit_attr", VIEW_ONLY)
def test_view_only_roles_get_403_on_the_add_staff_page(client_for, region, users, role, unit_attr):
    client = client_for(users[role])
    assert client.get(reverse("org:staff_create")).status_code == 403
    response = client.post(reverse("org:staff_create"), _staff_form(_seen_staff(region, unit_attr), name="偷加"))
    assert response.status_code == 403
    assert not getattr(region, unit_attr).staff.filter(name="偷加").exists()


@pytest.mark.parametrize("role, unit_attr", VIEW_ONLY)
def test_view_only_roles_are_not_offered_edit_buttons(client_for, region, users, role, unit_attr):
    client = client_for(users[role])
    unit = getattr(region, unit_attr)
    text = _text(client.get(reverse("org:unit_detail", args=[unit.pk])))
    assert reverse("org:unit_edit", args=[unit.pk]) not in text
    assert reverse("org:staff_create") not in _text(client.get(reverse("org:staff_list")))


def test_grid_worker_does_not_see_the_rest_of_the_township(client_for, region, users):
    client = client_for(users["grid_worker"])
    assert client.get(reverse("org:unit_detail", args=[region.village_a.pk])).status_code == 404
    assert _staff(region.office_a1).name not in _text(client.get(reverse("org:staff_list")))


# --- the three separated administrators (三员分立) -----------------------------

BUSINESS_PAGES = ["org:staff_list", "org:unit_tree", "home"]


def test_system_admin_manages_accounts(client_for, users):
    client = client_for(users["system_admin"])
    assert client.get(reverse("accounts:user_list")).status_code == 200
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "lisi", "full_name": "李四", "email": "", "password": "Temp#orary2026"},
    )
    assert response.status_code == 302
    from jiceng.accounts.models import User

    assert User.objects.get(username="lisi").must_change_password


def test_system_admin_sees_no_units_or_staff(client_for, region, users):
    client = client_for(users["system_admin"])
    for name in BUSINESS_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200
        text = _text(response)
        assert _staff(region.office_a1).name not in text and region.office_a1.name not in text
    assert client.get(reverse("org:unit_detail", args=[region.city.pk])).status_code == 404
    assert client.get(reverse("org:staff_detail", args=[_staff(region.office_a1).pk])).status_code == 404


def test_system_admin_cannot_read_the_audit_trail_or_assign_roles(client_for, users):
    client = client_for(users["system_admin"])
    assert client.get(reverse("core:audit_list")).status_code == 403
    assert client.get(reverse("accounts:membership_list")).status_code == 403


def test_security_admin_assigns_roles(client_for, region, users):
    client = client_for(users["security_admin"])
    response = client.post(
        reverse("accounts:membership_list"),
        {"user": users["no_role"].pk, "unit": region.office_b1.pk, "role": "office_staff", "reason": "hired"},
    )
    assert response.status_code == 302
    assert users["no_role"].memberships.get().role == "office_staff"


def test_security_admin_cannot_grant_a_role_to_themselves(client_for, region, users):
    client = client_for(users["security_admin"])
    me = users["security_admin"]
    response = client.post(
        reverse("accounts:membership_list"),
        {"user": me.pk, "unit": region.city.pk, "role": "audit_admin", "reason": "more power"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert set(me.memberships.values_list("role", flat=True)) == {"security_admin"}
    # Nor revoke their own role.
    own = me.memberships.get()
    client.post(reverse("accounts:membership_revoke", args=[own.pk]), {"reason": "x"})
    assert me.memberships.filter(pk=own.pk).exists()


@pytest.mark.parametrize(
    "holder, new_role",
    [
        ("system_admin", "security_admin"),
        ("system_admin", "audit_admin"),
        ("audit_admin", "system_admin"),
        ("audit_admin", "city_admin"),
        ("city_admin", "audit_admin"),
        ("office_head", "system_admin"),
    ],
)
def test_the_three_admin_roles_never_combine_with_another_role(client_for, region, users, holder, new_role):
    client = client_for(users["security_admin"])
    target = users[holder]
    response = client.post(
        reverse("accounts:membership_list"),
        {"user": target.pk, "unit": region.city.pk, "role": new_role, "reason": "combine"},
    )
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert new_role not in set(target.memberships.values_list("role", flat=True))


def test_an_admin_role_may_be_held_twice_in_different_units_by_the_same_person(region, users):
    """Not a combination: the same separated role in two places is still one duty."""
    from jiceng.accounts import services

    services.membership_grant(actor=users["security_admin"], user=users["system_admin"], unit=region.county_a,
                              role="system_admin")
    assert users["system_admin"].memberships.count() == 2


def test_security_admin_sees_no_business_data_and_no_audit_trail(client_for, region, users):
    client = client_for(users["security_admin"])
    assert _staff(region.office_a1).name not in _text(client.get(reverse("org:staff_list")))
    assert client.get(reverse("core:audit_list")).status_code == 403
    assert client.get(reverse("accounts:user_list")).status_code == 403


def test_audit_admin_reads_the_audit_trail(client_for, region, users):
    client = client_for(users["audit_admin"])
    response = client.get(reverse("core:audit_list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == AuditEvent.objects.count() > 0
    filtered = client.get(reverse("core:audit_list"), {"event_type": EventType.ROLE_GRANT})
    assert {e.event_type for e in filtered.context["page"]} == {EventType.ROLE_GRANT}


def test_audit_admin_changes_nothing(client_for, region, users):
    client = client_for(users["audit_admin"])
    staff = _staff(region.office_a1)
    count = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0  # the last seq (not the count: PostgreSQL numbers rows from a sequence)
    assert client.post(reverse("org:staff_edit", args=[staff.pk]), _staff_form(staff, name="x")).status_code == 404
    assert client.post(reverse("org:staff_create"), _staff_form(staff, name="y")).status_code == 403
    assert client.post(reverse("accounts:user_create"), {"username": "z", "full_name": "z", "password": "Temp#orary2026"}).status_code == 403
    assert client.post(
        reverse("accounts:membership_list"),
        {"user": users["no_role"].pk, "unit": region.city.pk, "role": "city_admin", "reason": "x"},
    ).status_code == 403
    staff.refresh_from_db()
    assert staff.name != "x"
    assert not users["no_role"].memberships.exists()
    # The only new rows are the refusals themselves.
    new = AuditEvent.objects.filter(seq__gt=count)
    assert set(new.values_list("event_type", flat=True)) == {EventType.ACCESS_DENIED}


# --- no role --------------------------------------------------------------------


def test_a_user_without_a_role_sees_nothing(client_for, region, users):
    client = client_for(users["no_role"])
    home = client.get(reverse("home"))
    assert home.status_code == 200 and home.context["offices"] == []
    for name in ["org:staff_list", "org:unit_tree"]:
        text = _text(client.get(reverse(name)))
        assert _staff(region.office_a1).name not in text and region.city.name not in text
    assert client.get(reverse("org:unit_detail", args=[region.office_a1.pk])).status_code == 404
    for name in ["core:audit_list", "accounts:user_list", "accounts:membership_list", "org:staff_create"]:
        assert client.get(reverse(name)).status_code == 403, name


def test_the_menu_shows_only_what_the_role_may_open(client_for, users):
    def menu(role):
        response = client_for(users[role]).get(reverse("home"))
        return {item["url"] for item in response.context["nav_items"]}

    assert reverse("core:audit_list") in menu("audit_admin")
    assert reverse("core:audit_list") not in menu("city_admin")
    assert reverse("accounts:user_list") in menu("system_admin")
    assert reverse("org:staff_list") not in menu("system_admin")
    assert reverse("accounts:membership_list") in menu("security_admin")
    assert reverse("org:staff_list") in menu("grid_worker")
