"""The window's use cases: intake (收件), notice, accept, refuse, review, decide, deliver, hand-over, clock.

Each runs in one transaction with its audit record; a state change goes through the declared
workflow (workflows.CASE). Bad input raises ValidationError naming the field and the reason,
before anything is written. The catalogue's use cases are in catalogue.py.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.calendar import Extension, Stop, YearNotCovered
from jiceng.core import audit, pii
from jiceng.core.deadlines import Deadline
from jiceng.core.models import EventType
from jiceng.core.refusals import OutOfScope
from jiceng.core.scoping import holds
from jiceng.core.workdays import calendar, message

from . import deadlines, routing
from .capabilities import EXTEND, HAND_OVER, INTAKE
from .codes import clean_credit_code
from .models import ApplicantKind, Case, Channel, Handover, ItemClass, Notice, Outcome, State
from .workflows import CASE


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _day(now: datetime) -> date:
    return timezone.localdate(now)


def _compute(rule, start: date, stops=(), extensions=()) -> Deadline:
    """A deadline on the site's calendar; a year without a loaded schedule is refused with a clear message."""
    try:
        return Deadline.compute(calendar(), rule, start, stops, extensions)
    except YearNotCovered as exc:
        raise ValidationError(message(exc), code="year_not_covered") from None


def _refuse_scope(actor, capability, unit, subject=None):
    if not holds(actor, capability, unit):
        raise OutOfScope({"actor": actor, "subject": subject, "details": {"action": capability}})


# --- intake -----------------------------------------------------------------------------------------------


def clean_applicant(kind: str, name: str, id_number: str, credit_code: str, phone: str) -> dict:
    """The applicant's fields, normalised; every problem at once, by field."""
    errors: dict[str, list[str]] = {}
    out = {"applicant_kind": kind, "applicant_name": (name or "").strip(), "applicant_id_number": "",
           "credit_code": "", "phone": ""}
    if kind not in ApplicantKind.values:
        errors["applicant_kind"] = [_("Choose a person or an organisation.")]
    if not out["applicant_name"]:
        errors["applicant_name"] = [_("The applicant's name is required.")]
    if kind == ApplicantKind.PERSON:
        try:
            out["applicant_id_number"] = pii.clean_id_number(id_number)
        except ValidationError as exc:
            errors["applicant_id_number"] = [_("ID card number: %(reason)s") % {"reason": " ".join(exc.messages)}]
    elif kind == ApplicantKind.ORGANISATION:
        try:
            out["credit_code"] = clean_credit_code(credit_code)
        except ValidationError as exc:
            errors["credit_code"] = [_("Credit code: %(reason)s") % {"reason": " ".join(exc.messages)}]
    if phone:
        try:
            out["phone"] = pii.clean_mobile(phone)
        except ValidationError as exc:
            errors["phone"] = [_("Phone: %(reason)s") % {"reason": " ".join(exc.messages)}]
    if errors:
        raise ValidationError(errors)
    return out


def _next_number(unit, day: date) -> str:
    from jiceng.org.models import Unit

    Unit.objects.select_for_update().filter(pk=unit.pk).values_list("pk", flat=True).first()  # serialise numbering
    n = Case.objects.filter(unit=unit, received_on=day).count() + 1
    return f"{unit.code}-{day:%Y%m%d}-{n:04d}"


def intake(unit, item, *, actor, applicant_kind: str, applicant_name: str, id_number: str = "",
           credit_code: str = "", phone: str = "", channel: str = Channel.WINDOW, agent_name: str = "",
           consent: str = "", materials_ticked=(), now: datetime | None = None) -> Case:
    """Receive an application (收件) at ``unit`` for ``item``'s current version; the case starts RECEIVED.

    The receiver is recorded and stays responsible (首问负责); the handler comes from routing.handler_for.
    The clock of 第三十二条 starts: a notice is due within 5 working days, else the case counts as
    accepted from the day received.
    """
    _refuse_scope(actor, INTAKE, unit)
    now = _now(now)
    today = _day(now)
    version = item.current
    errors: dict[str, list[str]] = {}
    if version is None or not item.active:
        errors["item"] = [_("This item is not open for applications.")]
    elif item.unit_id != unit.pk and not version.cross_township:
        errors["item"] = [_("This item belongs to another unit and is not accepted across townships.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    if channel == Channel.AGENT:
        if not (agent_name or "").strip():
            errors["agent_name"] = [_("An agent application names the agent.")]
        if not (consent or "").strip():
            errors["consent"] = [_("An agent application records the applicant's consent.")]
    ticked = sorted({int(pk) for pk in materials_ticked})
    if version is not None:
        known = set(version.materials.values_list("pk", flat=True))
        unknown = [pk for pk in ticked if pk not in known]
        if unknown:
            errors["materials_ticked"] = [_("Not a material of this item: %(ids)s") % {"ids": unknown}]
    try:
        applicant = clean_applicant(applicant_kind, applicant_name, id_number, credit_code, phone)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        applicant = {}
    if errors:
        raise ValidationError(errors)
    notice_clock = _compute(deadlines.NOTICE, today)
    with transaction.atomic():
        case = Case(unit=unit, state=State.RECEIVED, opened_on=today, created_by=actor, item=item,
                    item_version=version, channel=channel, agent_name=(agent_name or "").strip(),
                    consent=(consent or "").strip(), materials_ticked=ticked, received_by=actor,
                    handler=routing.handler_for(unit, item, actor), received_at=now, received_on=today,
                    number=_next_number(unit, today), **applicant)
        case.set_deadline(notice_clock)
        case.save()
        audit.record(EventType.CREATE, actor=actor, subject=case, unit=unit,
                     after={"number": case.number, "item": item.code, "version": version.number,
                            "channel": channel, "handler": case.handler.get_username(),
                            "applicant": applicant["applicant_name"],
                            "id_number": pii.mask_id_number(applicant["applicant_id_number"]),
                            "phone": pii.mask_phone(applicant["phone"])})
    return case


def hand_over(case: Case, to_user, *, actor, reason: str, now: datetime | None = None) -> Handover:
    """Give the case to ``to_user`` to handle; the receiver stays recorded (首问负责), the hand-over is kept."""
    _refuse_scope(actor, HAND_OVER, case.unit, case)
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = [_("Say why the case is handed over.")]
    if to_user is None or not getattr(to_user, "is_active", False):
        errors["to_user"] = [_("Choose an active colleague.")]
    elif to_user.pk == case.handler_id:
        errors["to_user"] = [_("%(name)s handles this case already.") % {"name": to_user}]
    elif not holds(to_user, INTAKE, case.unit):
        errors["to_user"] = [_("%(name)s does not work the window of this unit.") % {"name": to_user}]
    if not case.is_open:
        errors["case"] = [_("A closed case is not handed over.")]
    if errors:
        raise ValidationError(errors)
    now = _now(now)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        row = Handover.objects.create(unit=locked.unit, case=locked, from_user_id=locked.handler_id, to_user=to_user,
                                      by=actor, reason=reason, at=now)
        before = locked.handler.get_username()
        locked.handler = to_user
        locked.version += 1
        locked.save(update_fields=["handler", "version"])
        audit.record(EventType.UPDATE, actor=actor, subject=locked, reason=reason,
                     before={"handler": before}, after={"handler": to_user.get_username()},
                     details={"action": "window.hand_over"})
    case.refresh_from_db()
    return row


# --- intake outcomes --------------------------------------------------------------------------------------


def _start_processing(case: Case, accepted_on: date) -> None:
    version = case.item_version
    case.accepted_on = accepted_on
    promised = _compute(deadlines.promised(version.promised_days), accepted_on)
    statutory = _compute(deadlines.statutory(version.statutory_days), accepted_on)
    case.set_deadline(promised)
    case.promised_due = promised.due
    case.statutory_data = statutory.to_json()
    case.statutory_due = statutory.due


def notice_overdue(case: Case, today: date) -> bool:
    """第三十二条: the 5 working days for a notice are past (the case counts as accepted from receipt)."""
    return case.state == State.RECEIVED and case.due_on is not None and today > case.due_on


def accept(case: Case, *, actor, expected_version: int, now: datetime | None = None) -> Case:
    """Accept (受理); accepted late, without a notice in time, counts from the day received (第三十二条)."""
    now = _now(now)
    today = _day(now)
    with transaction.atomic():
        deemed = notice_overdue(case, today)
        start = case.deadline.start if deemed else today
        case = CASE.perform(case, "accept", actor=actor, expected_version=expected_version, now=now,
                            audit_after={"accepted_on": start.isoformat(), "deemed": deemed})
        case.deemed_accepted = deemed
        _start_processing(case, start)
        case.save(update_fields=["accepted_on", "deemed_accepted", "deadline_data", "promised_due",
                                 "statutory_data", "statutory_due"])
    return case


def deem_accepted(today: date | None = None) -> int:
    """Accept every case whose notice window passed without a notice (the daily task); returns how many."""
    today = today or timezone.localdate()
    done = 0
    for case in Case.objects.filter(state=State.RECEIVED, due_on__lt=today).select_related("item_version"):
        accept(case, actor=None, expected_version=case.version)
        done += 1
    return done


def give_notice(case: Case, *, actor, expected_version: int, items: list[dict], now: datetime | None = None) -> Notice:
    """The one-time notice (一次性告知): every missing or wrong material at once; the clock stops meanwhile."""
    now = _now(now)
    today = _day(now)
    lines = [{"material": str(i.get("material", "")).strip(), "problem": str(i.get("problem", "")).strip()}
             for i in items or []]
    bad = [n for n, i in enumerate(lines, start=1) if not i["material"] or not i["problem"]]
    if not lines:
        raise ValidationError({"items": [_("List every missing or wrong material (at least one).")]})
    if bad:
        raise ValidationError({"items": [_("Line %(n)d: name the material and what is missing or wrong.") % {"n": n}
                                         for n in bad]})
    if notice_overdue(case, today):
        raise ValidationError({"case": [_("The 5 working days for a notice ended on %(due)s: the application counts "
                                          "as accepted from the day it was received (行政许可法 第三十二条). Accept it.")
                                        % {"due": case.due_on}]}, code="notice_too_late")
    with transaction.atomic():
        was_accepted = case.state == State.ACCEPTED
        case = CASE.perform(case, "notice", actor=actor, expected_version=expected_version, now=now,
                            audit_after={"items": lines})
        count = Notice.objects.filter(case=case).count() + 1
        notice = Notice.objects.create(unit=case.unit, case=case, number=f"{case.number}-B{count}", given_on=today,
                                       given_by=actor, items=lines)
        case.noticed_on = case.noticed_on or today
        cal = calendar()
        if was_accepted:  # the processing clocks stop while the applicant corrects
            stop = Stop(today, None, "补正")
            case.set_deadline(case.deadline.with_stop(cal, stop))
            statutory = Deadline.from_json(case.statutory_data).with_stop(cal, stop)
            case.statutory_data, case.statutory_due = statutory.to_json(), statutory.due
        else:
            case.set_deadline(None)
        case.save(update_fields=["noticed_on", "deadline_data", "statutory_data", "statutory_due"])
    return notice


def return_materials(case: Case, *, actor, expected_version: int, now: datetime | None = None) -> Case:
    """The applicant returns the corrected materials: the clock resumes (or the notice window starts again)."""
    now = _now(now)
    today = _day(now)
    with transaction.atomic():
        accepted = case.accepted_on is not None
        case = CASE.perform(case, "return_accepted" if accepted else "return_received", actor=actor,
                            expected_version=expected_version, now=now)
        Notice.objects.filter(case=case, returned_on__isnull=True).update(returned_on=today)
        cal = calendar()
        if accepted:
            open_stop = next(s for s in case.deadline.stops if s.last is None)
            stop = Stop(open_stop.first, today, "补正")
            case.set_deadline(case.deadline.with_stop(cal, stop))
            statutory = Deadline.from_json(case.statutory_data).with_stop(cal, stop)
            case.statutory_data, case.statutory_due = statutory.to_json(), statutory.due
            case.promised_due = case.due_on
        else:
            case.set_deadline(_compute(deadlines.NOTICE, today))
        case.save(update_fields=["deadline_data", "statutory_data", "statutory_due", "promised_due"])
    return case


def refuse(case: Case, *, actor, expected_version: int, reason: str, basis: str, now: datetime | None = None) -> Case:
    """Do not accept (不予受理决定), with the reason and the legal basis."""
    now = _now(now)
    with transaction.atomic():
        case = CASE.perform(case, "refuse", actor=actor, expected_version=expected_version, reason=reason,
                            values={"refusal_basis": basis}, now=now)
        case.closed_at = now
        case.save(update_fields=["closed_at"])
    return case


# --- review, decision, delivery ---------------------------------------------------------------------------


def review(case: Case, *, actor, expected_version: int, opinion: str, now: datetime | None = None) -> Case:
    return CASE.perform(case, "review", actor=actor, expected_version=expected_version,
                        values={"review_opinion": opinion}, now=_now(now))


def decide(case: Case, *, actor, expected_version: int, outcome: str, text: str, now: datetime | None = None) -> Case:
    """The decision (决定) by an authorised chief representative; the delivery clock (第四十四条) starts."""
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": [_("Choose granted or denied.")]})
    now = _now(now)
    today = _day(now)
    delivery = _compute(deadlines.DELIVERY, today)
    with transaction.atomic():
        case = CASE.perform(case, "decide", actor=actor, expected_version=expected_version,
                            values={"outcome": outcome, "decision_text": text}, now=now)
        case.decided_on = today
        case.working_days = calendar().count(case.accepted_on, today, "working") if case.accepted_on else None
        case.delivery_due = delivery.due
        case.set_deadline(delivery)
        case.save(update_fields=["decided_on", "working_days", "delivery_due", "deadline_data"])
    return case


def deliver(case: Case, *, actor, expected_version: int, now: datetime | None = None) -> Case:
    now = _now(now)
    with transaction.atomic():
        case = CASE.perform(case, "deliver", actor=actor, expected_version=expected_version, now=now)
        case.closed_at = now
        case.save(update_fields=["closed_at"])
    return case


# --- the clock --------------------------------------------------------------------------------------------


def _locked_open(case: Case, expected_version: int) -> Case:
    locked = Case.objects.select_for_update().select_related("item_version").get(pk=case.pk)
    if locked.version != expected_version:
        raise ValidationError(_("Someone else changed this case in the meantime (version %(current)s, yours was "
                                "%(yours)s). Nothing was saved.") % {"current": locked.version, "yours": expected_version},
                              code="conflict")
    if locked.state not in (State.ACCEPTED, State.REVIEWED):
        raise ValidationError({"case": [_("Only a case under review has a running time limit.")]})
    return locked


def extend(case: Case, *, actor, expected_version: int, reason: str, now: datetime | None = None) -> Case:
    """The one extension (第四十二条: 10 working days, 15 for joint or parallel handling), approved by ``actor``."""
    _refuse_scope(actor, EXTEND, case.unit, case)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the time limit must be extended.")]})
    with transaction.atomic():
        locked = _locked_open(case, expected_version)
        if locked.extended:
            raise ValidationError({"case": [_("The time limit was extended once already; the law allows one "
                                              "extension.")]}, code="extended_twice")
        n = deadlines.extension_days(locked.item_version.item_class == ItemClass.PARALLEL)
        ext = Extension(n, reason, approved_by=actor.get_full_name() or actor.get_username())
        cal = calendar()
        statutory = Deadline.from_json(locked.statutory_data).with_extension(cal, ext)
        locked.statutory_data, locked.statutory_due = statutory.to_json(), statutory.due
        locked.extended = True
        locked.version += 1
        locked.save(update_fields=["statutory_data", "statutory_due", "extended", "version"])
        audit.record(EventType.UPDATE, actor=actor, subject=locked, reason=reason,
                     after={"statutory_due": statutory.due, "extension_days": n}, details={"action": "window.extend"})
    return locked


def stop_clock(case: Case, *, actor, expected_version: int, reason: str, now: datetime | None = None) -> Case:
    """第四十五条: a hearing, test, inspection or expert review does not count; the clock stops from today."""
    _refuse_scope(actor, INTAKE, case.unit, case)
    if reason not in deadlines.STOP_REASONS:
        raise ValidationError({"reason": [_("Choose one of: %(reasons)s") % {"reasons": "、".join(deadlines.STOP_REASONS)}]})
    today = _day(_now(now))
    with transaction.atomic():
        locked = _locked_open(case, expected_version)
        if any(s.last is None for s in locked.deadline.stops):
            raise ValidationError({"case": [_("The clock is stopped already.")]})
        _stop(locked, Stop(today, None, reason))
        audit.record(EventType.UPDATE, actor=actor, subject=locked, reason=reason, after={"clock": "stopped"},
                     details={"action": "window.stop_clock"})
    return locked


def resume_clock(case: Case, *, actor, expected_version: int, now: datetime | None = None) -> Case:
    _refuse_scope(actor, INTAKE, case.unit, case)
    today = _day(_now(now))
    with transaction.atomic():
        locked = _locked_open(case, expected_version)
        open_stop = next((s for s in locked.deadline.stops if s.last is None), None)
        if open_stop is None:
            raise ValidationError({"case": [_("The clock is running already.")]})
        _stop(locked, Stop(open_stop.first, today, open_stop.reason))
        audit.record(EventType.UPDATE, actor=actor, subject=locked, after={"clock": "running", "due": locked.due_on},
                     details={"action": "window.resume_clock"})
    return locked


def _stop(locked: Case, stop: Stop) -> None:
    cal = calendar()
    locked.set_deadline(locked.deadline.with_stop(cal, stop))
    statutory = Deadline.from_json(locked.statutory_data).with_stop(cal, stop)
    locked.statutory_data, locked.statutory_due = statutory.to_json(), statutory.due
    locked.promised_due = locked.due_on
    locked.version += 1
    locked.save(update_fields=["deadline_data", "statutory_data", "statutory_due", "promised_due", "version"])
