"""The demo region: built through the services, the same every time, with passing and failing offices."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import F

from jiceng.accounts.demo import ACCOUNTS, DEMO_PASSWORD
from jiceng.core import audit_chain, demo
from jiceng.core.models import AuditEvent
from jiceng.org import selectors
from jiceng.org.models import Staff, Unit

pytestmark = pytest.mark.django_db


def _fingerprint():
    units = list(
        Unit.objects.order_by("path").values_list(
            "path", "kind", "name", "code", "office_type", "floor_area", "computers", "networked", "has_petition_room"
        )
    )
    staff = list(
        Staff.objects.order_by("unit__path", "post", "name", "birth_date").values_list(
            "unit__code", "name", "gender", "birth_date", "education", "employment_type", "post",
            "establishment_unit__code",
        )
    )
    return units, staff


@pytest.fixture
def built():
    demo.build(["accounts"])


def _city_user():
    from jiceng.accounts.models import User

    return User.objects.get(username="city")


def test_the_demo_has_a_city_four_counties_offices_townships_villages_and_grids(built):
    kinds = {kind: Unit.objects.filter(kind=kind).count() for kind in
             ["city", "county", "office", "township", "service_centre", "village", "grid"]}
    assert kinds == {"city": 1, "county": 4, "office": 20, "township": 2, "service_centre": 2, "village": 6,
                     "grid": 12}
    assert Staff.objects.count() > 100


def test_the_demo_is_the_same_on_every_build(built):
    first = _fingerprint()
    demo.reset()
    assert Unit.objects.count() == 0 and Staff.objects.count() == 0
    demo.build(["accounts"])
    assert _fingerprint() == first


def test_the_demo_shows_both_passing_and_failing_offices(built):
    cards = {office.name: lines for office, lines in selectors.offices_with_standards(_city_user())}
    failed = {name: {line.key for line in lines if line.status == "fail"} for name, lines in cards.items()}
    passing = [name for name, keys in failed.items() if not keys]
    assert passing, "no office passes every standard"
    assert "staff_count" in failed["路桥中心所"]
    assert "education_share" in failed["新前所"]
    assert {"area_per_person", "rooms"} <= failed["峰江所"]
    assert "computers" in failed["宁溪所"]


def test_someone_sits_on_another_office_establishment(built):
    """Seed 003: staff occupying another office's authorised post (占用其他所编制)."""
    borrowed = Staff.objects.exclude(establishment_unit=None).exclude(establishment_unit_id=F("unit_id"))
    assert borrowed.count() == 1


def test_the_demo_is_on_the_audit_trail_and_the_trail_verifies(built):
    assert AuditEvent.objects.filter(object_type="org.staff").count() == Staff.objects.count()
    result = audit_chain.verify()
    assert result.ok and result.checked == AuditEvent.objects.count()


def test_the_demo_command_loads_once_and_reset_rebuilds(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert "demo region loaded" in out and "city" in out and DEMO_PASSWORD in out
    units = Unit.objects.count()
    call_command("demo")
    assert "already loaded" in capsys.readouterr().out
    assert Unit.objects.count() == units
    first = _fingerprint()
    call_command("demo", reset=True)
    assert "demo region loaded" in capsys.readouterr().out
    assert _fingerprint() == first
    assert audit_chain.verify().ok


@pytest.mark.parametrize("account", ACCOUNTS, ids=lambda a: a.username)
def test_every_demo_account_logs_in(client, built, account):
    response = client.post("/accounts/login/", {"username": account.username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, account.username
    assert client.get("/").status_code == 200


def test_demo_accounts_see_what_their_role_allows(client, built):
    def staff_seen(username):
        client.logout()
        client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
        return client.get("/org/staff/").context["page"].paginator.count

    everyone = Staff.objects.filter(active=True).count()
    assert staff_seen("city") == everyone
    county = staff_seen("county")
    assert 0 < county < everyone
    assert staff_seen("county2") == Staff.objects.filter(unit__path__startswith=Unit.objects.get(code="331003").path).count()
    assert 0 < staff_seen("head") < county
    assert staff_seen("sysadmin") == 0


def test_the_reset_is_itself_on_the_audit_trail(built):
    staff = Staff.objects.count()
    demo.reset()
    row = AuditEvent.objects.order_by("-seq").first()
    assert row.reason == "demo reset" and row.actor_name == "system"
    assert row.details["removed"]["org.staff"] == staff
    assert row.details["removed"]["accounts.user"] == len(ACCOUNTS)
    assert audit_chain.verify().ok


def test_the_reset_clears_data_other_apps_hang_on_units_and_accounts(region, users):
    """A campaign protects its units from deletion; the reset must still start afresh."""
    from assessments.matrix import matrix_objects
    from jiceng.accounts.models import User

    objects = matrix_objects(region, users)
    model = type(objects["submission"])
    demo.reset()
    assert Unit.objects.count() == 0 and User.objects.count() == 0 and model.objects.count() == 0
    demo.build(["accounts"])
    assert Unit.objects.filter(kind="county").count() == 4
