"""The factories build through the services: real rows, with their audit record and their role."""

from __future__ import annotations

import pytest

from factories import CampaignFactory, OfficeFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_office_factory_builds_its_county_and_city_through_the_service():
    from jiceng.core.models import AuditEvent, EventType

    office = OfficeFactory()
    from jiceng.org.models import Unit

    county = Unit.objects.get(path=office.path[:-4])
    assert (office.kind, county.kind, Unit.objects.get(path=office.path[:4]).kind) == ("office", "county", "city")
    created = AuditEvent.objects.filter(event_type=EventType.CREATE).count()
    assert created == 3  # one audit record per unit


def test_a_user_factory_grants_the_role_at_the_unit():
    from jiceng.core.capabilities import Role

    office = OfficeFactory()
    user = UserFactory(role=Role.OFFICE_HEAD, unit=office)
    assert list(user.memberships.values_list("role", "unit")) == [(Role.OFFICE_HEAD, office.pk)]
    assert user.check_password("Test#pass2026")


def test_the_user_factory_keeps_the_separated_administrators_apart():
    from django.core.exceptions import ValidationError

    from jiceng.accounts import services
    from jiceng.core.capabilities import Role

    office = OfficeFactory()
    admin = UserFactory(role=Role.AUDIT_ADMIN, unit=type(office).objects.get(path=office.path[:4]))
    with pytest.raises(ValidationError):
        services.membership_grant(actor=None, user=admin, unit=office, role=Role.OFFICE_HEAD)


def test_staff_and_campaign_factories_enrol_real_rows():
    office = OfficeFactory()
    staff = StaffFactory(unit=office, post="head")
    assert staff.unit == office and staff.post == "head"
    city = type(office).objects.get(path=office.path[:4])
    campaign = CampaignFactory(organiser=city, units=[office])
    assert list(campaign.submissions.values_list("unit", flat=True)) == [office.pk]
