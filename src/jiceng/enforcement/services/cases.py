"""Officers and violation cases: register an officer, open a case (from a clue or found directly), its steps,
the penalty, the hearing, the decision extension, publication on the website, exposure, the archive checklist."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.deadlines import Extension
from jiceng.core.models import EventType

from .. import deadlines
from ..access import require
from ..capabilities import CASE_APPROVE, CASE_WORK, OFFICER_MANAGE
from ..clock import compute, extend
from ..geo import clean_geometry
from ..models import ARCHIVE_CHECKLIST, Case, CaseState, Clue, ClueSource, ClueState, Officer, Resource
from ..numbers import next_number
from ..workflows import CASE

S = CaseState
DECIDED_STATES = (S.DECIDED, S.SERVED, S.EXECUTED, S.CLOSED, S.ARCHIVED)


def officer_register(*, actor, unit, user, name: str, certificate_no: str, valid_from: date, valid_to: date) -> Officer:
    """Record an officer's enforcement certificate (执法证); a later call renews it."""
    require(actor, OFFICER_MANAGE, unit)
    errors = {}
    if not certificate_no.strip():
        errors["certificate_no"] = _("Give the certificate number.")
    if valid_to < valid_from:
        errors["valid_to"] = _("The certificate cannot end before it starts.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        officer, created = Officer.objects.update_or_create(user=user, defaults={
            "unit": unit, "name": name.strip(), "certificate_no": certificate_no.strip(),
            "valid_from": valid_from, "valid_to": valid_to})
        audit.record(EventType.CREATE if created else EventType.UPDATE, actor=actor, subject=officer, unit=unit,
                     after={"certificate_no": officer.certificate_no, "valid_from": valid_from, "valid_to": valid_to})
    return officer


def case_open(*, actor, unit=None, clue: Clue | None = None, title: str, party: str, party_is_person: bool = True,
              found_on: date | None = None, resource: str = Resource.LAND, place: str = "", location=None,
              officers=(), major: bool = False, found_by_patrol: bool | None = None,
              joint_departments: str = "") -> Case:
    """Open a case (found), from a clue (the clue becomes a case) or directly; the initial check is due in 3 working days."""
    unit = clue.unit if clue is not None else unit
    require(actor, CASE_WORK, unit)
    errors = {}
    if not title.strip():
        errors["title"] = _("Name the case (what was done where).")
    if not party.strip():
        errors["party"] = _("Name the party (person or organisation).")
    if resource not in Resource.values:
        errors["resource"] = _("Choose land or mineral.")
    try:
        geometry = clean_geometry(location if location is not None else (clue.location if clue else None))
    except ValidationError as exc:
        errors.update(exc.message_dict)
        geometry = None
    if clue is not None and clue.state != ClueState.REGISTERED:
        errors["clue"] = _("The clue %(number)s is already %(state)s.") % {"number": clue.number,
                                                                           "state": clue.get_state_display()}
    bad = [o for o in officers if o.unit_id != unit.pk]
    if bad:
        errors["officers"] = _("%(name)s is not an officer of %(unit)s.") % {"name": bad[0].name, "unit": unit.name}
    if errors:
        raise ValidationError(errors)
    found_on = found_on or (clue.opened_on if clue else timezone.localdate())
    if found_by_patrol is None:
        found_by_patrol = clue is not None and clue.source == ClueSource.PATROL
    with transaction.atomic():
        case = Case(unit=unit, state=S.FOUND, opened_on=found_on, found_on=found_on, created_by=actor, clue=clue,
                    title=title.strip(), party=party.strip(), party_is_person=party_is_person, resource=resource,
                    place=place.strip() or (clue.place if clue else ""), location=geometry, major=major,
                    found_by_patrol=found_by_patrol, joint_departments=joint_departments.strip())
        case.set_deadline(compute(deadlines.INITIAL_CHECK, found_on))
        case.number = f"AJ{found_on.year}-{next_number(unit, 'case', found_on.year):04d}"
        case.save()
        if officers:
            case.officers.set(officers)
        if clue is not None:
            locked = Clue.objects.select_for_update().get(pk=clue.pk)
            locked.state, locked.closed_at, locked.version = ClueState.CASE, timezone.now(), locked.version + 1
            locked.save(update_fields=["state", "closed_at", "version"])
            audit.record(EventType.UPDATE, actor=actor, subject=locked, after={"state": locked.state,
                                                                                "case": case.number})
        audit.record(EventType.CREATE, actor=actor, subject=case, after={
            **audit.snapshot(case, ["number", "title", "resource", "found_on", "found_by_patrol", "major", "due_on"]),
            "clue": clue.number if clue else None})
    return case


def case_step(*, actor, case: Case, step: str, expected_version: int, values=None, reason: str = "",
              now=None) -> Case:
    """One step of the case workflow (workflows.CASE); refusals name what is missing."""
    return CASE.perform(case, step, actor=actor, expected_version=expected_version, values=values or {},
                        reason=reason, now=now)


PENALTY_FIELDS = ("fine", "penalty_text", "major", "hearing_qualifies")


def case_set_penalty(*, actor, case: Case, fine, penalty_text: str, major: bool | None = None,
                     hearing_qualifies: bool | None = None) -> Case:
    """The intended penalty (before the notice and decision are drawn up); refused once decided."""
    require(actor, CASE_WORK, case.unit)
    try:
        fine = Decimal(str(fine))
    except InvalidOperation:
        raise ValidationError({"fine": _("The fine must be an amount in yuan.")}) from None
    if fine < 0:
        raise ValidationError({"fine": _("The fine cannot be negative.")})
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.state in DECIDED_STATES:
            raise ValidationError(_("The decision is made; the penalty can no longer change."))
        before = audit.snapshot(case, PENALTY_FIELDS)
        case.fine, case.penalty_text = fine, penalty_text.strip()
        if major is not None:
            case.major = major
        if hearing_qualifies is not None:
            case.hearing_qualifies = hearing_qualifies
        case.version += 1
        case.save()
        old, new = audit.diff(before, audit.snapshot(case, PENALTY_FIELDS))
        audit.record(EventType.UPDATE, actor=actor, subject=case, before=old, after=new)
    return case


def case_hearing(*, actor, case: Case, requested_on: date, held_on: date) -> Case:
    """A hearing asked for within the period and held with 7 days' notice (行政处罚法 第六十四条)."""
    require(actor, CASE_WORK, case.unit)
    if case.state != S.NOTIFIED or not case.hearing_qualifies:
        raise ValidationError(_("A hearing is held only after the notice, for a penalty that qualifies."))
    if case.hearing_request_due and requested_on > case.hearing_request_due:
        raise ValidationError({"requested_on": _("The hearing had to be asked for by %(due)s.") % {
            "due": case.hearing_request_due}})
    if (held_on - requested_on).days < deadlines.HEARING_NOTICE_DAYS:
        raise ValidationError({"held_on": _("The party must be notified 7 days before the hearing.")})
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        case.hearing_requested, case.hearing_on = True, held_on
        case.version += 1
        case.save()
        audit.record(EventType.UPDATE, actor=actor, subject=case, after={"hearing_requested_on": requested_on,
                                                                          "hearing_on": held_on})
    return case


def case_extend_decision(*, actor, case: Case, days: int, reason: str, approved_by: str) -> Case:
    """An approved extension of the 90-day decision period (第六十条, 经负责人批准)."""
    require(actor, CASE_APPROVE, case.unit)
    if case.decision_deadline is None or case.state in DECIDED_STATES:
        raise ValidationError(_("Only a filed case still waiting for its decision can be extended."))
    if days <= 0 or not reason.strip() or not approved_by.strip():
        raise ValidationError(_("An extension needs its days, the reason and who approved it."))
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        deadline = extend(case.decision_deadline_value, Extension(days, reason.strip(), approved_by.strip()))
        case.decision_deadline = deadline.to_json()
        if case.state in (S.FILED, S.INVESTIGATED, S.NOTIFIED, S.REVIEWED):
            case.set_deadline(deadline)
        case.version += 1
        case.save()
        audit.record(EventType.UPDATE, actor=actor, subject=case, reason=reason,
                     after={"decision_due": deadline.due, "extension_days": days, "approved_by": approved_by})
    return case


def case_publish(*, actor, case: Case, on: date | None = None) -> Case:
    """Publish the decision on the website (seed 001 3.6); refused before the decision is made."""
    require(actor, CASE_WORK, case.unit)
    on = on or timezone.localdate()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.state not in DECIDED_STATES or case.decided_on is None:
            raise ValidationError(_("A decision cannot be published before it is made (the case is “%(state)s”).")
                                  % {"state": case.get_state_display()})
        if on < case.decided_on:
            raise ValidationError({"published_on": _("The publication date is before the decision of %(day)s.")
                                   % {"day": case.decided_on}})
        if case.published_on:
            raise ValidationError(_("This decision was published on %(day)s.") % {"day": case.published_on})
        case.published_on = on
        case.version += 1
        case.save()
        audit.record(EventType.UPDATE, actor=actor, subject=case, after={
            "published_on": on, "publication_due": case.publication_due, "on_time": case.publication_met})
    return case


def case_flags(*, actor, case: Case, exposed: bool | None = None, review_outcome: str | None = None,
               joint_departments: str | None = None) -> Case:
    """Record exposure (公开曝光), the review or litigation outcome and the joint enforcement departments."""
    require(actor, CASE_WORK, case.unit)
    fields = ("exposed", "review_outcome", "joint_departments")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        before = audit.snapshot(case, fields)
        if exposed is not None:
            if exposed and case.state not in (S.CLOSED, S.ARCHIVED):
                raise ValidationError({"exposed": _("Only a closed case is exposed (seed 001 3.5).")})
            case.exposed = exposed
        if review_outcome is not None:
            case.review_outcome = review_outcome
        if joint_departments is not None:
            case.joint_departments = joint_departments.strip()
        case.version += 1
        case.full_clean(exclude=["unit", "clue", "created_by", "officers"])
        case.save()
        old, new = audit.diff(before, audit.snapshot(case, fields))
        audit.record(EventType.UPDATE, actor=actor, subject=case, before=old, after=new)
    return case


def case_checklist(*, actor, case: Case, ticked: dict) -> Case:
    """Tick the items of the archive checklist that are in the file."""
    require(actor, CASE_WORK, case.unit)
    keys = {key for key, _label in ARCHIVE_CHECKLIST}
    unknown = set(ticked) - keys
    if unknown:
        raise ValidationError(_("Unknown checklist items: %(items)s.") % {"items": ", ".join(sorted(unknown))})
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        case.archive_checklist = {**case.archive_checklist, **{k: bool(v) for k, v in ticked.items()}}
        case.version += 1
        case.save()
        audit.record(EventType.UPDATE, actor=actor, subject=case, after={"archive_checklist": case.archive_checklist})
    return case
