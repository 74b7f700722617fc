"""An out-of-scope attempt inside a service's transaction is still recorded, after the rollback."""

import pytest
from django.test import RequestFactory

from factories import make_staff
from jiceng.core.middleware import PermissionRefusalMiddleware
from jiceng.core.models import AuditEvent, EventType
from jiceng.core.refusals import OutOfScope
from jiceng.org import services


@pytest.mark.django_db(transaction=True)
def test_refusal_in_a_service_is_carried_out_of_the_transaction_and_recorded_by_the_middleware(users, region):
    person = make_staff(region.office_a1)
    intruder = users["other_county_head"]
    with pytest.raises(OutOfScope) as excinfo:
        services.staff_update(actor=intruder, staff=person, changes={"name": "改名"})
    # The service's transaction rolled back: nothing was written, not even the refusal.
    assert not AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED).exists()

    request = RequestFactory().post("/whatever/")
    request.user = intruder
    PermissionRefusalMiddleware(lambda r: None).process_exception(request, excinfo.value)

    refusal = AuditEvent.objects.get(event_type=EventType.ACCESS_DENIED)
    assert refusal.actor_name == intruder.username
    assert refusal.object_id == str(person.pk)
    assert refusal.details["action"] == "edit"
    assert refusal.details["refusal"] == excinfo.value.refusal["details"]["refusal"]

    # Handled twice (middleware and a retry), it is still one record.
    PermissionRefusalMiddleware(lambda r: None).process_exception(request, excinfo.value)
    assert AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED).count() == 1
    person.refresh_from_db()
    assert person.name != "改名"
