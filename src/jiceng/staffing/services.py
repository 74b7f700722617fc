"""The staffing use cases: each one transaction with its audit record."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import audit, scoping
from jiceng.core.models import EventType
from jiceng.core.scoping import holds
from jiceng.core.workflow import Step, hook

from . import discipline
from .capabilities import ATTEND, MANAGE
from .models import (
    Absence,
    AbsenceKind,
    Breach,
    BreachKind,
    BreachState,
    LeaveKind,
    LeaveRequest,
    LeaveState,
    SignIn,
    Training,
    WindowPost,
    Worker,
)
from .workflows import BREACH, LEAVE


def _require(actor, capability: str, unit) -> None:
    if actor is not None and not holds(actor, capability, unit):
        raise PermissionDenied


def local_today() -> date:
    return timezone.localdate()


# --- people and posts ----------------------------------------------------------------------------------


@transaction.atomic
def worker_create(*, actor, user, unit, kind="window", staff=None, work_since=None, two_committees=False) -> Worker:
    _require(actor, MANAGE, unit)
    worker = Worker.objects.create(user=user, unit=unit, kind=kind, staff=staff, work_since=work_since,
                                   two_committees=two_committees)
    audit.record(EventType.CREATE, actor=actor, subject=worker, after=audit.snapshot(worker))
    return worker


@transaction.atomic
def post_create(*, actor, unit, name: str, holder_a: Worker, holder_b: Worker, a_since: date,
                b_since: date | None = None) -> WindowPost:
    _require(actor, MANAGE, unit)
    if holder_a.pk == holder_b.pk:
        raise ValidationError({"holder_b": _("The B holder must be another person than the A holder.")})
    for field, worker in (("holder_a", holder_a), ("holder_b", holder_b)):
        if not scoping.related(worker.unit, unit):
            raise ValidationError({field: _("%(name)s does not work in %(unit)s.") % {"name": worker, "unit": unit}})
    post = WindowPost.objects.create(unit=unit, name=name.strip(), holder_a=holder_a, holder_b=holder_b,
                                     a_since=a_since, b_since=b_since)
    audit.record(EventType.CREATE, actor=actor, subject=post, after=audit.snapshot(post))
    return post


def current_absences(worker: Worker, day: date):
    return Absence.objects.filter(worker=worker, returned_at__isnull=True, starts__lte=day, ends__gte=day)


def substitute_for(user, day: date, unit=None):
    """The B holder who takes `user`'s new cases on `day` (user is an absent A holder), or None.

    Only a B holder who is not absent themselves; among several posts, the one in `unit`'s subtree first.
    """
    worker = Worker.objects.filter(user=user).first()
    if worker is None:
        return None
    absences = current_absences(worker, day).select_related("post__holder_b__user", "post__unit")
    candidates = []
    for absence in absences:
        b = absence.post.holder_b
        if b.active and not current_absences(b, day).exists():
            in_unit = unit is not None and scoping.within(unit, absence.post.unit)
            candidates.append((not in_unit, absence.post.pk, b.user))
    return min(candidates, key=lambda c: c[:2])[2] if candidates else None


def _hand_over_open_cases(absence: Absence, *, actor) -> int:
    """Hand every open case of the absent A holder on this post's unit over to B (window.services.hand_over)."""
    from .handover import hand_over_open

    return hand_over_open(absence.worker.user, absence.post.holder_b.user, absence.post.unit,
                                          actor=actor, reason=_("A holder absent (%(kind)s %(starts)s to %(ends)s)")
                                          % {"kind": absence.get_kind_display(), "starts": absence.starts,
                                             "ends": absence.ends})


@transaction.atomic
def mark_absent(*, actor, post: WindowPost, kind: str, starts: date, ends: date, note: str = "",
                today: date | None = None) -> Absence:
    """Mark the A holder of `post` absent; from `starts` new cases go to B, and A's open cases are handed over."""
    _require(actor, MANAGE, post.unit)
    today = today or local_today()
    errors = {}
    if kind not in AbsenceKind.values:
        errors["kind"] = _("Choose leave, training or duty elsewhere.")
    if ends < starts:
        errors["ends"] = _("The absence ends before it starts.")
    if Absence.objects.filter(post=post, returned_at__isnull=True, starts__lte=ends, ends__gte=starts).exists():
        errors["starts"] = _("%(name)s is already marked absent on this post at that time.") % {"name": post.holder_a}
    if errors:
        raise ValidationError(errors)
    absence = Absence.objects.create(unit=post.unit, post=post, worker=post.holder_a, kind=kind, starts=starts,
                                     ends=ends, note=note.strip(), created_by=actor)
    if starts <= today:
        absence.handed_over = _hand_over_open_cases(absence, actor=actor)
        absence.save(update_fields=["handed_over"])
    audit.record(EventType.CREATE, actor=actor, subject=absence, after=audit.snapshot(absence))
    return absence


def start_due_absences(today: date | None = None) -> int:
    """Absences marked ahead that have begun: hand the open cases over now, on behalf of who marked them.

    An absence marked on or after its first day handed over at once (`mark_absent`); one marked ahead
    waits for this (the daily task `staffing.tasks.start_absences`). Each absence in its own transaction.
    """
    today = today or local_today()
    moved = 0
    due = Absence.objects.filter(returned_at__isnull=True, starts__lte=today, ends__gte=today, handed_over=0,
                                 created_by__isnull=False).select_related("post__holder_b__user", "post__unit",
                                                                          "worker__user", "created_by")
    for absence in due:
        with transaction.atomic():
            n = _hand_over_open_cases(absence, actor=absence.created_by)
            if n:
                Absence.objects.filter(pk=absence.pk).update(handed_over=n)
                audit.record(EventType.UPDATE, actor=absence.created_by, subject=absence,
                             after={"handed_over": n}, reason="absence begins")
            moved += n
    return moved


@transaction.atomic
def end_absence(*, actor, absence: Absence, now: datetime | None = None) -> Absence:
    """The A holder is back: the absence ends, new cases go to A again (cases handed to B stay with B)."""
    _require(actor, MANAGE, absence.unit)
    absence = Absence.objects.select_for_update().get(pk=absence.pk)
    if absence.returned_at is not None:
        raise ValidationError(_("This absence has ended already."), code="ended")
    absence.returned_at = now or timezone.now()
    absence.save(update_fields=["returned_at"])
    audit.record(EventType.UPDATE, actor=actor, subject=absence, after={"returned_at": absence.returned_at})
    return absence


_LEAVE_TO_ABSENCE = {LeaveKind.TRAINING: AbsenceKind.TRAINING, LeaveKind.DUTY: AbsenceKind.DUTY}


def absences_for_leave(leave: LeaveRequest, *, actor) -> list[Absence]:
    """An approved leave marks its worker absent on every post they hold as A (inside the approval's transaction)."""
    made = []
    for post in WindowPost.objects.filter(holder_a=leave.worker).select_related("unit", "holder_a", "holder_b"):
        made.append(mark_absent(actor=None if actor is None else actor, post=post,
                                kind=_LEAVE_TO_ABSENCE.get(leave.kind, AbsenceKind.LEAVE), starts=leave.starts,
                                ends=leave.ends, note=_("Leave request %(pk)s") % {"pk": leave.pk}))
    return made


@hook("staffing.leave_absence")
def _leave_absence(step: Step) -> None:
    """An approved leave of a post's A holder marks them absent on the post (new and open cases go to B)."""
    absences_for_leave(step.obj, actor=step.actor)


@hook("staffing.leave_back")
def _leave_back(step: Step) -> None:
    """Back from leave: the absences the leave opened end (the A holder takes new cases again)."""
    end_absences_for_leave(step.obj, actor=step.actor)


def end_absences_for_leave(leave: LeaveRequest, *, actor) -> None:
    note = _("Leave request %(pk)s") % {"pk": leave.pk}
    for absence in Absence.objects.filter(worker=leave.worker, note=note, returned_at__isnull=True):
        absence.returned_at = timezone.now()
        absence.save(update_fields=["returned_at"])
        audit.record(EventType.UPDATE, actor=actor, actor_name=None if actor else "system", subject=absence,
                     after={"returned_at": absence.returned_at})


# --- attendance ----------------------------------------------------------------------------------------


def worker_of(user) -> Worker | None:
    return Worker.objects.filter(user=user, active=True).select_related("unit").first()


@transaction.atomic
def sign_in(*, actor, now: datetime | None = None) -> SignIn:
    """Sign in for today; after 09:00 a 迟到 breach is proposed at once."""
    worker = worker_of(actor)
    if worker is None:
        raise ValidationError(_("You are not recorded as window staff: there is nothing to sign in to."))
    _require(actor, ATTEND, worker.unit)
    now = timezone.localtime(now or timezone.now())
    if SignIn.objects.filter(worker=worker, day=now.date()).exists():
        raise ValidationError(_("You have signed in today already."), code="twice")
    row = SignIn.objects.create(unit=worker.unit, worker=worker, day=now.date(), signed_in_at=now)
    audit.record(EventType.CREATE, actor=actor, subject=row, after={"day": row.day, "signed_in_at": now})
    if discipline.late(now.hour, now.minute):
        _propose(worker, BreachKind.LATE, now.date(), _("Signed in at %(time)s") % {"time": now.strftime("%H:%M")},
                 "", actor=actor)
    return row


@transaction.atomic
def sign_out(*, actor, now: datetime | None = None) -> SignIn:
    """Sign out; before 17:00 an 早退 breach is proposed at once."""
    worker = worker_of(actor)
    now = timezone.localtime(now or timezone.now())
    row = SignIn.objects.select_for_update().filter(worker=worker, day=now.date()).first() if worker else None
    if row is None:
        raise ValidationError(_("You have not signed in today."), code="not_signed_in")
    if row.signed_out_at is not None:
        raise ValidationError(_("You have signed out today already."), code="twice")
    row.signed_out_at = now
    row.save(update_fields=["signed_out_at"])
    audit.record(EventType.UPDATE, actor=actor, subject=row, after={"signed_out_at": now})
    if discipline.early(now.hour, now.minute):
        _propose(worker, BreachKind.EARLY, now.date(), _("Signed out at %(time)s") % {"time": now.strftime("%H:%M")},
                 "", actor=actor)
    return row


@transaction.atomic
def leave_request(*, actor, kind: str, starts: date, ends: date, reason: str, worker: Worker | None = None
                  ) -> LeaveRequest:
    """Ask for leave (请假); an overlap with another requested or approved leave is refused."""
    worker = worker or worker_of(actor)
    if worker is None:
        raise ValidationError(_("You are not recorded as window staff: there is no one to ask leave for."))
    if worker.user_id != getattr(actor, "pk", None):
        _require(actor, MANAGE, worker.unit)
    else:
        _require(actor, ATTEND, worker.unit)
    errors = {}
    if kind not in LeaveKind.values:
        errors["kind"] = _("Choose a kind of leave.")
    if ends < starts:
        errors["ends"] = _("The leave ends before it starts.")
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the leave.")
    overlap = LeaveRequest.objects.filter(worker=worker, state__in=(LeaveState.REQUESTED, LeaveState.APPROVED),
                                          starts__lte=ends, ends__gte=starts).order_by("starts").first()
    if overlap is not None and not errors:
        errors["starts"] = _("This leave overlaps the leave from %(starts)s to %(ends)s (%(state)s).") % {
            "starts": overlap.starts, "ends": overlap.ends, "state": overlap.get_state_display()}
    if errors:
        raise ValidationError(errors)
    leave = LeaveRequest.objects.create(unit=worker.unit, worker=worker, kind=kind, starts=starts, ends=ends,
                                        reason=reason.strip())
    audit.record(EventType.CREATE, actor=actor, subject=leave, after=audit.snapshot(leave))
    return leave


def leave_step(*, actor, leave: LeaveRequest, step: str, expected_version: int, note: str = "") -> LeaveRequest:
    if step == "refuse":
        return LEAVE.perform(leave, step, actor=actor, expected_version=expected_version, reason=note)
    values = {"decision_note": note} if step == "approve" else {}
    return LEAVE.perform(leave, step, actor=actor, expected_version=expected_version, values=values)


# --- discipline ----------------------------------------------------------------------------------------


def _propose(worker: Worker, kind: str, day: date, note: str, exposed_by: str, *, actor) -> Breach:
    earlier = Breach.objects.filter(worker=worker, state=BreachState.CONFIRMED, occurred_on__year=day.year).count()
    breach = Breach.objects.create(unit=worker.unit, worker=worker, kind=kind, occurred_on=day, note=note,
                                   exposed_by=exposed_by,
                                   proposed_measure=discipline.measure_for(earlier, bool(exposed_by)),
                                   created_by=actor)
    audit.record(EventType.CREATE, actor=actor, actor_name=None if actor else "system", subject=breach,
                 after=audit.snapshot(breach))
    return breach


@transaction.atomic
def breach_record(*, actor, worker: Worker, kind: str, occurred_on: date, note: str = "",
                  exposed_by: str = "") -> Breach:
    """Record a breach; the measure of seed 002 is proposed from the year's confirmed count (or exposure)."""
    _require(actor, MANAGE, worker.unit)
    errors = {}
    if kind not in BreachKind.values:
        errors["kind"] = _("Choose the kind of breach.")
    if exposed_by not in ("", "inspection", "media"):
        errors["exposed_by"] = _("Choose who exposed it, or nobody.")
    if occurred_on > local_today():
        errors["occurred_on"] = _("A breach cannot lie in the future.")
    if errors:
        raise ValidationError(errors)
    return _propose(worker, kind, occurred_on, (note or "").strip(), exposed_by, actor=actor)


def breach_step(*, actor, breach: Breach, step: str, expected_version: int, note: str = "") -> Breach:
    if step == "dismiss":
        return BREACH.perform(breach, step, actor=actor, expected_version=expected_version, reason=note)
    return BREACH.perform(breach, step, actor=actor, expected_version=expected_version,
                          values={"decision_note": note})


@transaction.atomic
def training_record(*, actor, worker: Worker, title: str, held_on: date, hours=0) -> Training:
    _require(actor, MANAGE, worker.unit)
    if not (title or "").strip():
        raise ValidationError({"title": _("Name the training.")})
    row = Training.objects.create(unit=worker.unit, worker=worker, title=title.strip(), held_on=held_on, hours=hours)
    audit.record(EventType.CREATE, actor=actor, subject=row, after=audit.snapshot(row))
    return row
