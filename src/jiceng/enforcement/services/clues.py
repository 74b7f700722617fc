"""Clues (违法线索) and the 12336 register: register, update with history, feed back, supervise, close."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.attachments import attachment_add
from jiceng.core.models import Attachment, EventType

from .. import deadlines
from ..access import require
from ..capabilities import CLUE_HANDLE, CLUE_REGISTER
from ..clock import compute
from ..geo import clean_geometry
from ..models import CloseReason, Clue, ClueSource, ClueState
from ..numbers import next_number

PHOTO_TYPES = ("jpg", "png")
AUDITED = ("number", "source", "source_ref", "description", "location", "parcel", "village", "place", "anonymous",
           "reporter_name", "reporter_phone", "supervised", "supervision_due", "reported_on", "state", "due_on")


def _snapshot(clue: Clue) -> dict:
    data = audit.snapshot(clue, AUDITED)
    # The reporter stays masked in the trail as on the page.
    data["reporter_name"] = clue.reporter_shown
    data["reporter_phone"] = clue.reporter_phone_shown
    return data


def _check_village(village, unit):
    if village is None:
        return
    county = unit
    while county is not None and county.kind != "county":
        county = type(county).objects.get_parent(county)
    if county is None or not village.is_descendant_of(county):
        raise ValidationError({"village": _("The village %(village)s is not in %(unit)s's county.") % {
            "village": village.name, "unit": unit.name}})


def clue_register(*, actor, unit, source: str, description: str, location=None, parcel: str = "", village=None,
                  place: str = "", photos=(), reporter_name: str = "", reporter_phone: str = "",
                  anonymous: bool = False, source_ref: str = "", registered_at: datetime | None = None,
                  supervised: bool = False, supervision_due: date | None = None) -> Clue:
    """Register a clue for `unit` with its response deadline, photos and audit row, in one transaction.

    `location`: a GeoJSON Point/Polygon (dict or text), or None when a parcel, village or place is given.
    `photos`: uploads (checked as JPEG/PNG) or Attachments already stored for the unit.
    `source`: a ClueSource value; the patrols app passes ClueSource.PATROL and its record in `source_ref`.
    The reporter is optional; `anonymous=True` drops any name and phone given.
    """
    require(actor, CLUE_REGISTER, unit)
    errors = {}
    if source not in ClueSource.values:
        errors["source"] = _("Unknown source %(source)s.") % {"source": source}
    description = (description or "").strip()
    if not description:
        errors["description"] = _("Describe what was reported or found.")
    try:
        geometry = clean_geometry(location)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        geometry = None
    if not (geometry or parcel.strip() or village or place.strip()) and "location" not in errors:
        errors["location"] = _("Give the location: a point or area on the map, a parcel, a village or a place.")
    if supervised and supervision_due is None:
        errors["supervision_due"] = _("A supervised matter needs the date its answer is due.")
    try:
        _check_village(village, unit)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    registered_at = registered_at or timezone.now()
    opened_on = timezone.localtime(registered_at).date()
    if anonymous:
        reporter_name, reporter_phone = "", ""
    with transaction.atomic():
        clue = Clue(unit=unit, state=ClueState.REGISTERED, opened_on=opened_on, created_by=actor, source=source,
                    source_ref=source_ref[:80], registered_at=registered_at, description=description,
                    location=geometry, parcel=parcel.strip(), village=village, place=place.strip(),
                    anonymous=anonymous, reporter_name=reporter_name.strip(), reporter_phone=reporter_phone,
                    supervised=supervised, supervision_due=supervision_due, supervision_count=1 if supervised else 0)
        try:
            clue.full_clean(exclude=["unit", "village", "created_by", "photos"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict) from None
        clue.set_deadline(compute(deadlines.CLUE_RESPONSE, opened_on))
        clue.number = f"XS{opened_on.year}-{next_number(unit, 'clue', opened_on.year):05d}"
        clue.save()
        stored = _photos(actor, unit, photos)
        if stored:
            clue.photos.add(*stored)
        audit.record(EventType.CREATE, actor=actor, subject=clue, unit=unit, after={
            **_snapshot(clue), "photos": [p.audit_summary() for p in stored]})
    return clue


def _photos(actor, unit, photos) -> list[Attachment]:
    stored = []
    for i, photo in enumerate(photos or ()):
        if isinstance(photo, Attachment):
            if photo.unit_id != unit.pk:
                raise ValidationError({"photos": _("Photo %(n)d belongs to another unit.") % {"n": i + 1}})
            stored.append(photo)
        else:
            stored.append(attachment_add(actor=actor, unit=unit, upload=photo, purpose="enforcement.clue_photo",
                                         field="photos", allowed=PHOTO_TYPES))
    return stored


def _locked(clue: Clue, expected_version: int | None) -> Clue:
    locked = Clue.objects.select_for_update().get(pk=clue.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(_("This clue was changed by someone else (version %(theirs)d, yours %(yours)d); "
                                "reload it and try again.") % {"theirs": locked.version, "yours": expected_version})
    return locked


EDITABLE = ("description", "location", "parcel", "village", "place", "source_ref", "reported_on")


def clue_update(*, actor, clue: Clue, changes: dict, expected_version: int | None = None, reason: str = "") -> Clue:
    """Edit a clue's details; the before and after of every changed field go into its history (the audit trail)."""
    require(actor, CLUE_HANDLE, clue.unit)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("These fields cannot be edited here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    if "location" in changes:
        changes = {**changes, "location": clean_geometry(changes["location"])}
    if "village" in changes:
        _check_village(changes["village"], clue.unit)
    with transaction.atomic():
        clue = _locked(clue, expected_version)
        before = _snapshot(clue)
        for name, value in changes.items():
            setattr(clue, name, value.strip() if isinstance(value, str) else value)
        if not clue.description:
            raise ValidationError({"description": _("Describe what was reported or found.")})
        clue.version += 1
        clue.save()
        old, new = audit.diff(before, _snapshot(clue))
        audit.record(EventType.UPDATE, actor=actor, subject=clue, before=old, after=new, reason=reason)
    return clue


def clue_feedback(*, actor, clue: Clue, text: str, on: date | None = None) -> Clue:
    """Record the result fed back to the reporter (refused for an anonymous report with no contact)."""
    require(actor, CLUE_HANDLE, clue.unit)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"feedback": _("Write what the reporter was told.")})
    with transaction.atomic():
        clue = _locked(clue, None)
        clue.feedback, clue.feedback_on = text, on or timezone.localdate()
        clue.version += 1
        clue.save()
        audit.record(EventType.UPDATE, actor=actor, subject=clue, after={"feedback": text,
                                                                          "feedback_on": clue.feedback_on})
    return clue


def clue_supervise(*, actor, clue: Clue, due: date, reason: str = "") -> Clue:
    """A superior supervises (督办) the clue, with the date the answer is due; a second time is flagged as repeat."""
    require(actor, CLUE_HANDLE, clue.unit)
    with transaction.atomic():
        clue = _locked(clue, None)
        clue.supervised, clue.supervision_due, clue.supervision_answered_on = True, due, None
        clue.supervision_count += 1
        clue.version += 1
        clue.save()
        audit.record(EventType.UPDATE, actor=actor, subject=clue, reason=reason, after={
            "supervision_due": due, "supervision_count": clue.supervision_count})
    return clue


def clue_supervision_answer(*, actor, clue: Clue, on: date | None = None) -> Clue:
    require(actor, CLUE_HANDLE, clue.unit)
    if not clue.supervised:
        raise ValidationError(_("This clue is not a supervised matter."))
    with transaction.atomic():
        clue = _locked(clue, None)
        clue.supervision_answered_on = on or timezone.localdate()
        clue.reported_on = clue.reported_on or clue.supervision_answered_on
        clue.version += 1
        clue.save()
        audit.record(EventType.UPDATE, actor=actor, subject=clue, after={
            "supervision_answered_on": clue.supervision_answered_on, "late": clue.supervision_late})
    return clue


def clue_close(*, actor, clue: Clue, reason: str, note: str = "", referred_to: str = "",
               expected_version: int | None = None) -> Clue:
    """Close a clue that is no case: not a violation, a duplicate, or another department's matter (referral recorded)."""
    require(actor, CLUE_HANDLE, clue.unit)
    errors = {}
    if reason not in CloseReason.values:
        errors["close_reason"] = _("Choose why the clue is closed.")
    if reason == CloseReason.OTHER_DEPARTMENT and not referred_to.strip():
        errors["referred_to"] = _("Name the department the matter was referred to.")
    if not note.strip():
        errors["close_note"] = _("Say what was found.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        clue = _locked(clue, expected_version)
        if clue.state != ClueState.REGISTERED:
            raise ValidationError(_("The clue is already %(state)s.") % {"state": clue.get_state_display()})
        clue.state, clue.close_reason, clue.close_note = ClueState.CLOSED, reason, note.strip()
        if reason == CloseReason.OTHER_DEPARTMENT:
            clue.referred_to, clue.referred_on = referred_to.strip(), timezone.localdate()
        clue.closed_at = timezone.now()
        clue.version += 1
        clue.save()
        audit.record(EventType.UPDATE, actor=actor, subject=clue, reason=note, after={
            "state": clue.state, "close_reason": reason, "referred_to": clue.referred_to})
    return clue
