"""Intake (收件), hand-over (首问负责), routing, and the applicant's codes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from jiceng.core.models import AuditEvent
from jiceng.core.refusals import OutOfScope
from jiceng.window import routing, services
from jiceng.window.codes import clean_credit_code, credit_check_char
from jiceng.window.models import Case, Handover, State

from .conftest import CREDIT_CODE, ID_NUMBER, at, person

pytestmark = pytest.mark.django_db


def test_credit_code_check_character():
    assert clean_credit_code(" 91350100m000100y43 ") == CREDIT_CODE
    assert credit_check_char(CREDIT_CODE[:17]) == "3"
    for bad, code in ((CREDIT_CODE[:17] + "4", "credit_check"), ("9135010", "credit_length"),
                      ("91350100M000100I43", "credit_characters"), ("91AB0100M000100Y43", "credit_region")):
        with pytest.raises(ValidationError) as err:
            clean_credit_code(bad)
        assert err.value.code == code, bad
    with pytest.raises(ValidationError, match="3"):  # names the right check character
        clean_credit_code(CREDIT_CODE[:17] + "4")


def test_intake_records_receiver_handler_version_and_masks(centre, people, item):
    materials = list(item.current.materials.values_list("pk", flat=True))
    case = services.intake(centre, item, actor=people["window"], materials_ticked=materials[:2],
                           now=at(2026, 9, 28), **person())
    case.refresh_from_db()
    assert case.state == State.RECEIVED
    assert case.number == "CATS-20260928-0001"
    assert case.received_by == people["window"] and case.handler == people["window"]
    assert case.item_version == item.current and case.item_version.number == 1
    assert case.applicant_id_number == ID_NUMBER
    assert case.materials_ticked == sorted(materials[:2])
    # 第三十二条: 5 working days: 9-29, 9-30, 10-8, 10-9 and Saturday 10-10 (a swapped working day).
    assert case.due_on.isoformat() == "2026-10-10"
    event = AuditEvent.objects.filter(object_id=str(case.pk), event_type="record.create", object_type="window.case").get()
    assert ID_NUMBER not in str(event.after) and "138****8000" in str(event.after)
    second = services.intake(centre, item, actor=people["window"], now=at(2026, 9, 28, 10), **person())
    assert second.number == "CATS-20260928-0002"


def test_intake_organisation_needs_a_valid_credit_code(centre, people, item):
    with pytest.raises(ValidationError) as err:
        services.intake(centre, item, actor=people["window"], applicant_kind="organisation",
                        applicant_name="甲镇某合作社", credit_code=CREDIT_CODE[:17] + "0", now=at(2026, 9, 28))
    assert "credit_code" in err.value.message_dict
    assert Case.objects.count() == 0
    case = services.intake(centre, item, actor=people["window"], applicant_kind="organisation",
                           applicant_name="甲镇某合作社", credit_code=CREDIT_CODE, now=at(2026, 9, 28))
    assert case.credit_code == CREDIT_CODE


def test_intake_bad_input_names_every_field_and_saves_nothing(centre, people, item):
    with pytest.raises(ValidationError) as err:
        services.intake(centre, item, actor=people["window"], applicant_kind="person", applicant_name="",
                        id_number="110105194912310021", phone="12345", channel="agent", materials_ticked=[999999],
                        now=at(2026, 9, 28))
    fields = err.value.message_dict
    assert {"applicant_name", "applicant_id_number", "phone", "agent_name", "consent", "materials_ticked"} <= set(fields)
    assert "校验码" in " ".join(fields["applicant_id_number"])  # zh-hans is the default language
    assert Case.objects.count() == 0


def test_agent_intake_records_consent(centre, people, item):
    case = services.intake(centre, item, actor=people["window"], channel="agent", agent_name="李代办",
                           consent="申请人马志强2026-09-27签字委托，委托书存档", now=at(2026, 9, 28), **person())
    assert case.channel == "agent" and "委托" in case.consent


def test_intake_in_a_year_without_schedule_is_refused(centre, people, item):
    with pytest.raises(ValidationError, match="2031"):
        services.intake(centre, item, actor=people["window"], now=at(2031, 3, 3), **person())
    assert Case.objects.count() == 0


def test_intake_out_of_scope_is_refused(centre, people, item):
    with pytest.raises(OutOfScope):
        services.intake(centre, item, actor=people["outsider"], now=at(2026, 9, 28), **person())
    with pytest.raises(OutOfScope):
        services.intake(centre, item, actor=people["back"], now=at(2026, 9, 28), **person())


def test_hand_over_keeps_the_receiver(centre, people, item):
    case = services.intake(centre, item, actor=people["window"], now=at(2026, 9, 28), **person())
    row = services.hand_over(case, people["window2"], actor=people["window"], reason="AB岗：A岗休假")
    case.refresh_from_db()
    assert case.handler == people["window2"] and case.received_by == people["window"]
    assert row.from_user == people["window"] and Handover.objects.filter(case=case).count() == 1
    assert case.version == 2
    with pytest.raises(ValidationError) as err:
        services.hand_over(case, people["window2"], actor=people["window"], reason="")
    assert {"reason", "to_user"} <= set(err.value.message_dict)
    with pytest.raises(ValidationError, match="不在本单位窗口"):
        services.hand_over(case, people["back"], actor=people["window"], reason="错派")


def test_routing_resolvers_by_dotted_path(centre, people, item, monkeypatch):
    monkeypatch.setattr(routing, "_RESOLVERS", [])
    routing.register_resolver("tests.window.resolvers.nobody")
    routing.register_resolver("tests.window.resolvers.second_clerk")
    routing.register_resolver("tests.window.resolvers.second_clerk")
    assert routing.resolvers() == ["tests.window.resolvers.nobody", "tests.window.resolvers.second_clerk"]
    case = services.intake(centre, item, actor=people["window"], now=at(2026, 9, 28), **person())
    assert case.handler.username == "w_clerk2" and case.received_by == people["window"]
