"""Daily work: log entries (idempotent by the phone's client id), matters, sign-offs, meetings."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.deadlines import DayUnit, Deadline, Rule
from jiceng.core.models import EventType
from jiceng.core.scoping import holds
from jiceng.core.workdays import calendar

from .. import selectors
from .. import visit_rules as vr
from ..capabilities import RECORD, SIGN_OFF
from ..models import (
    Attendance,
    EntryKind,
    GridWorker,
    LogEntry,
    Matter,
    Meeting,
    Resident,
    Signoff,
    SignoffKind,
)

# A matter escalated to the township is answered within this many working days (local setting: the seed
# says 及时上报 without a number).
MATTER_RULE = Rule(5, DayUnit.WORKING, "上报")


def locked(worker: GridWorker, day: date) -> Signoff | None:
    """The sign-off that covers `day` for `worker` (a signed week or month is locked, 第二十条)."""
    return Signoff.objects.filter(worker=worker, start__lte=day, end__gte=day).first()


def _worker_for(actor, unit, today: date) -> GridWorker:
    """The worker on whose log `actor` writes in grid `unit`: their own grid, or the partner's while covering."""
    own = selectors.my_workers(actor).filter(unit=unit).first()
    if own is not None:
        return own
    if unit.pk in selectors.covered_grid_ids(actor, today):
        return selectors.my_workers(actor).first()
    raise PermissionDenied(_("You do not work in %(grid)s.") % {"grid": unit.name})


def record_entry(*, actor, unit, day: date, kind: str, resident_id: int | None = None, found: str = "",
                 category: str = "", client_id=None, latitude=None, longitude=None, matter_kind: str = "",
                 today: date | None = None) -> tuple[LogEntry, bool]:
    """One line of the log; returns (entry, created). The same `client_id` sent again returns the first entry
    unchanged, so a visit queued offline is stored once whatever the phone resends."""
    today = today or timezone.localdate()
    if client_id:
        try:
            client_id = uuid.UUID(str(client_id))
        except ValueError as exc:
            raise ValidationError({"client_id": _("Not a UUID.")}) from exc
        existing = LogEntry.objects.filter(client_id=client_id).first()
        if existing is not None:
            if existing.recorded_by_id != getattr(actor, "pk", None):
                raise PermissionDenied(_("This entry belongs to someone else."))
            return existing, False
    if kind not in EntryKind.values:
        raise ValidationError({"kind": _("Unknown kind %(kind)s.") % {"kind": kind}})
    if day > today:
        raise ValidationError({"day": _("The day %(day)s has not come yet.") % {"day": day}})
    if not holds(actor, RECORD, unit) and unit.pk not in selectors.covered_grid_ids(actor, today):
        raise PermissionDenied(_("You may not record work in %(grid)s.") % {"grid": unit.name})
    worker = _worker_for(actor, unit, today)
    resident = None
    if resident_id:
        resident = selectors.residents(actor, today=today).filter(pk=resident_id, unit=unit).first()
        if resident is None:
            raise ValidationError({"resident": _("No such resident in %(grid)s.") % {"grid": unit.name}})
        if not category:
            category = ",".join(resident.category_codes())
    if kind == EntryKind.VISIT and resident is None:
        raise ValidationError({"resident": _("A visit names the resident visited.")})
    if kind == EntryKind.MATTER and matter_kind not in ("dispute", "petition", "incident"):
        raise ValidationError({"matter_kind": _("Say what kind of matter it is.")})
    if locked(worker, day):
        raise ValidationError({"day": _("%(day)s is in a signed-off period: the log is locked.") % {"day": day}})
    try:
        with transaction.atomic():
            entry = LogEntry.objects.create(
                unit=unit, worker=worker, day=day, kind=kind, resident=resident,
                household=resident.household if resident else None, category=category[:30], found=found,
                client_id=client_id, latitude=latitude, longitude=longitude, recorded_by=actor)
            if kind == EntryKind.MATTER:
                matter = Matter(unit=unit, entry=entry, kind=matter_kind, summary=found or matter_kind,
                                state="escalated", opened_on=day, created_by=actor)
                matter.set_deadline(Deadline.compute(calendar(), MATTER_RULE, day))
                matter.save()
            audit.record(EventType.CREATE, actor=actor, subject=entry, unit=unit,
                         after={"day": day, "kind": kind, "resident": resident_id, "client_id": client_id,
                                "covering": worker.unit_id != unit.pk,
                                "located": latitude is not None})
    except IntegrityError:
        # The same client id sent twice at once: the other request stored it.
        existing = LogEntry.objects.filter(client_id=client_id).first() if client_id else None
        if existing is None:
            raise
        return existing, False
    return entry, True


def edit_entry(*, actor, entry: LogEntry, found: str) -> LogEntry:
    if entry.recorded_by_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the worker who wrote an entry may change it."))
    with transaction.atomic():
        entry = LogEntry.objects.select_for_update().get(pk=entry.pk)
        signed = locked(entry.worker, entry.day)
        if signed is not None:
            raise ValidationError({"day": _("The %(kind)s from %(start)s was signed off by %(who)s: the entry "
                                            "cannot be changed.") % {"kind": signed.get_kind_display(),
                                                                     "start": signed.start,
                                                                     "who": signed.signed_by.full_name
                                                                     or signed.signed_by.username}})
        before = {"found": entry.found}
        entry.found = found
        entry.save(update_fields=["found"])
        audit.record(EventType.UPDATE, actor=actor, subject=entry, unit=entry.unit, before=before,
                     after={"found": found})
    return entry


def sign_off(*, actor, worker: GridWorker, kind: str, day: date) -> Signoff:
    """第二十条: the community director signs a worker's week (Mon–Sun) or month; it locks those days."""
    if not holds(actor, SIGN_OFF, worker.unit):
        raise PermissionDenied(_("You may not sign off %(name)s's log.") % {"name": worker.name})
    period = vr.Period.WEEK if kind == SignoffKind.WEEK else vr.Period.MONTH
    start, end = vr.period_of(period, day)
    if end >= timezone.localdate() + timedelta(days=1) and kind == SignoffKind.MONTH:
        raise ValidationError({"day": _("The month is not over yet.")})
    with transaction.atomic():
        if Signoff.objects.filter(worker=worker, kind=kind, start=start).exists():
            raise ValidationError({"day": _("This %(kind)s is already signed off.") % {"kind": kind}})
        count = LogEntry.objects.filter(worker=worker, day__range=(start, end)).count()
        signed = Signoff.objects.create(unit=worker.unit, worker=worker, kind=kind, start=start, end=end,
                                        entries=count, signed_by=actor, signed_at=timezone.now())
        audit.record(EventType.UPDATE, actor=actor, subject=signed, unit=worker.unit,
                     after={"sign_off": kind, "start": start, "end": end, "entries": count})
    return signed


def hold_meeting(*, actor, unit, level: str, held_on: date, present: list[GridWorker], absent=(),
                 topic: str = "") -> Meeting:
    capability = SIGN_OFF if level == "village" else "grid.manage"
    if not holds(actor, capability, unit):
        raise PermissionDenied(_("You may not record meetings of %(unit)s.") % {"unit": unit.name})
    with transaction.atomic():
        meeting = Meeting.objects.create(unit=unit, level=level, held_on=held_on, topic=topic)
        Attendance.objects.bulk_create([Attendance(meeting=meeting, worker=w, present=True) for w in present]
                                       + [Attendance(meeting=meeting, worker=w, present=False) for w in absent])
        audit.record(EventType.CREATE, actor=actor, subject=meeting, unit=unit,
                     after={"level": level, "held_on": held_on, "present": len(present), "absent": len(absent)})
    return meeting


def resident_in_grid(resident: Resident, unit) -> bool:
    return resident.unit_id == unit.pk
