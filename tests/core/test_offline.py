"""The offline queue's server side (core.offline): a record sent twice is one row, the worker's script and scope."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from jiceng.core import offline
from jiceng.core.models import OfflineSubmission

pytestmark = pytest.mark.django_db


def _case_maker(region, subject="离线巡查"):
    from ledger_app.models import Case

    def create():
        return Case.objects.create(unit=region.office_a1, subject=subject, state="open", opened_on=date(2026, 12, 1))

    return create


def test_a_key_sent_twice_makes_one_row_and_returns_the_first(region, users):
    from ledger_app.models import Case

    key = str(uuid.uuid4())
    first = offline.run_once(key=key, user=users["office_staff"], kind="test", create=_case_maker(region))
    second = offline.run_once(key=key, user=users["office_staff"], kind="test", create=_case_maker(region, "又一次"))
    assert not first.duplicate and second.duplicate
    assert Case.objects.count() == 1
    assert second.submission.pk == first.submission.pk
    assert second.submission.object_id == str(first.obj.pk)
    assert OfflineSubmission.objects.count() == 1


def test_a_malformed_key_is_refused_naming_the_field(region, users):
    with pytest.raises(ValidationError) as exc:
        offline.run_once(key="not-a-uuid", user=users["office_staff"], kind="test", create=_case_maker(region))
    assert offline.FIELD in exc.value.message_dict


def test_another_accounts_key_is_refused_not_answered(region, users):
    key = str(uuid.uuid4())
    offline.run_once(key=key, user=users["office_staff"], kind="test", create=_case_maker(region))
    with pytest.raises(ValidationError):
        offline.run_once(key=key, user=users["office_head"], kind="test", create=_case_maker(region))


def test_a_refused_record_stores_no_key(region, users):
    key = str(uuid.uuid4())

    def refuse():
        raise ValidationError({"subject": "bad"})

    with pytest.raises(ValidationError):
        offline.run_once(key=key, user=users["office_staff"], kind="test", create=refuse)
    assert not OfflineSubmission.objects.exists()
    again = offline.run_once(key=key, user=users["office_staff"], kind="test", create=_case_maker(region))
    assert not again.duplicate


def _view(region):
    @offline.idempotent("test.case")
    def view(request):
        if not request.POST.get("subject"):
            return HttpResponse("form with errors")
        obj = _case_maker(region, request.POST["subject"])()
        return obj, HttpResponse("made", status=201)

    return view


def test_the_decorator_answers_the_queue_201_then_409(region, users):
    from ledger_app.models import Case

    view = _view(region)
    key = str(uuid.uuid4())
    rf = RequestFactory()

    def post():
        request = rf.post("/x/", {"subject": "发现"}, HTTP_X_OFFLINE_KEY=key, HTTP_X_OFFLINE_QUEUE="1")
        request.user = users["office_staff"]
        return view(request)

    assert post().status_code == 201
    assert post().status_code == 409
    assert Case.objects.filter(subject="发现").count() == 1


def test_the_decorator_passes_an_invalid_form_through_without_a_key(region, users):
    view = _view(region)
    key = str(uuid.uuid4())
    request = RequestFactory().post("/x/", {"subject": ""}, HTTP_X_OFFLINE_KEY=key, HTTP_X_OFFLINE_QUEUE="1")
    request.user = users["office_staff"]
    assert view(request).status_code == 400
    assert not OfflineSubmission.objects.exists()


def test_the_service_worker_may_control_the_whole_site(client):
    response = client.get("/audit/offline/sw.js")
    assert response.status_code == 200
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Content-Type"].startswith("text/javascript")
    assert b"jiceng-offline" in response.content
