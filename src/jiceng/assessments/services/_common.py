"""What every write of the assessment workflow shares: scope, the row lock and version, reasons, marks."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.models import EventType, Outcome
from jiceng.core.scoping import holds
from jiceng.org.models import Unit

from .. import schemes
from ..errors import Conflict
from ..models import (
    PUBLISH,
    ItemMark,
    Status,
    Submission,
)

DECLARATION_FIELDS = ["decl_name", "decl_staff_count", "decl_head", "decl_phone", "decl_address", "decl_situation"]
OFFICE_EDITABLE = (Status.DRAFT, Status.RETURNED)


# --- helpers ------------------------------------------------------------------------------------


def _who(actor) -> str:
    """The person's name kept on marks, decisions and results (shown in histories and documents): the
    account's full name, or its login name when it has none."""
    if actor is None:
        return "system"
    return (getattr(actor, "full_name", "") or "").strip() or actor.get_username()


def _audit(event, *, actor, subject, **kwargs):
    return audit.record(event, actor=actor, actor_name=None if actor else "system", subject=subject, **kwargs)


def _scoped(actor, submission: Submission, method: str) -> Submission:
    """The submission if `actor` may act on it through `method` of the query set; else 404, recorded.

    Runs before the transaction of the change, so the refusal stays on the
    record although the change is not made.
    """
    if actor is None:
        return submission
    allowed = getattr(Submission.objects, method)(actor)
    if allowed.filter(pk=submission.pk).exists():
        return submission
    if Submission.objects.filter(pk=submission.pk).exists():
        audit.record_now(
            EventType.ACCESS_DENIED,
            actor=actor,
            subject=submission,
            outcome=Outcome.DENIED,
            details={"action": method},
        )
    raise Http404


def _holds(actor, action: str, unit: Unit) -> bool:
    if actor is None:
        return True
    return holds(actor, action, unit)


def _require_city(actor, unit: Unit) -> None:
    if not _holds(actor, PUBLISH, unit):
        raise PermissionDenied(_("Only the city bureau that runs the campaign may do this."))


def _locked(submission: Submission, expected_version: int | None, level: str | None = None) -> Submission:
    """Re-read and lock the row; refuse a change based on a stale version."""
    sub = Submission.objects.select_for_update().select_related("campaign", "unit").get(pk=submission.pk)
    if expected_version is not None and sub.version != expected_version:
        raise Conflict(
            _(
                "Someone else saved this submission in the meantime (version %(current)s, yours was "
                "%(yours)s). Nothing was saved; the current values are shown."
            )
            % {"current": sub.version, "yours": expected_version},
            current=_current_values(sub, level),
        )
    return sub


def _current_values(sub: Submission, level: str | None) -> dict:
    values: dict[str, Any] = {"version": sub.version, "status": sub.status}
    if level is not None:
        values["marks"] = {
            m.item_id: {"score": m.score, "comment": m.comment, "by": m.actor_name, "at": m.updated_at}
            for m in sub.marks.filter(level=level)
        }
    return values


def _bump(sub: Submission, *fields: str) -> None:
    sub.version += 1
    sub.save(update_fields=["version", *fields])


def _need_reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("A reason is required: %(what)s") % {"what": what}})
    return reason


def _parse_score(cs, item_id: str, raw: Any) -> Decimal | None:
    """A score from a form or a caller, checked against the item's maximum and the scheme's step."""
    if raw is None or raw == "":
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValidationError({f"score_{item_id}": _("Item %(item)s: %(value)s is not a number.") % {
            "item": item_id, "value": raw}}) from None
    top = schemes.item_max(cs, item_id)
    if not value.is_finite() or value < 0 or value > top:
        raise ValidationError({f"score_{item_id}": _("Item %(item)s: the score must be between 0 and %(max)s.") % {
            "item": item_id, "max": top}})
    if schemes.is_check(cs, item_id) and value not in (0, top):
        raise ValidationError({f"score_{item_id}": _("Item %(item)s is met or not met: give 0 or %(max)s.") % {
            "item": item_id, "max": top}})
    step = Decimal(cs.definition.step)
    if value % step:
        raise ValidationError({f"score_{item_id}": _("Item %(item)s: scores go in steps of %(step)s.") % {
            "item": item_id, "step": step}})
    return value


def _parse_rate(cs, item_id: str, entry: dict) -> tuple[Decimal | None, int | None, int | None]:
    """A rate (numerator and denominator) for a threshold or linear item, scored by the engine.

    Returns (points, numerator, denominator); (None, None, None) when the entry gives no rate.
    """
    num, den = entry.get("numerator"), entry.get("denominator")
    if num in (None, "") and den in (None, ""):
        return None, None, None
    field = f"rate_{item_id}"
    rule = cs.items[cs.index[item_id]].rule
    if rule.type not in ("threshold", "linear") or not getattr(rule, "percent", False):
        raise ValidationError({field: _("Item %(item)s is not scored by a rate; give its points.") % {"item": item_id}})
    try:
        n, d = int(str(num).strip()), int(str(den).strip())
    except (TypeError, ValueError):
        raise ValidationError({field: _("Item %(item)s: give the rate as two whole numbers.") % {"item": item_id}}) \
            from None
    if n < 0 or d <= 0:
        raise ValidationError({field: _("Item %(item)s: the numerator cannot be negative and the denominator must be "
                                        "above 0.") % {"item": item_id}})
    if n > d:
        raise ValidationError({field: _("Item %(item)s: the numerator %(n)s is above the denominator %(d)s; a rate "
                                        "cannot exceed 100%%.") % {"item": item_id, "n": n, "d": d}})
    result = cs.score({"items": {item_id: {"metric": n / d}}}, partial=True)
    points = next(s.score for s in result.items if s.id == item_id)
    return Decimal(str(points)), n, d


def _check_items(cs, items: dict) -> None:
    known = set(cs.ids)
    unknown = sorted(set(items) - known)
    if unknown:
        raise ValidationError(
            {"items": _("These are not scored items of the scheme: %(ids)s") % {"ids": ", ".join(unknown)}}
        )


def _marks_of(sub: Submission, level: str) -> dict[str, ItemMark]:
    return {m.item_id: m for m in sub.marks.filter(level=level)}


def _write_marks(sub, cs, level: str, items: dict, actor, *, below: dict[str, Decimal] | None, below_na: set[str],
                 reason: str, reason_needed_for_rescore: bool) -> tuple[dict, dict]:
    """Store one level's scores and comments; returns the (before, after) of what changed.

    `below` is the level underneath (self for the county, the county for the
    city): a score that differs from it needs a comment on the item.
    """
    _check_items(cs, items)
    existing = _marks_of(sub, level)
    errors: dict[str, list[str]] = {}
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    rescored: list[str] = []
    parsed: dict[str, tuple[Decimal | None, str]] = {}
    rates: dict[str, tuple[int | None, int | None]] = {}
    for item_id, entry in items.items():
        try:
            rated, num, den = _parse_rate(cs, item_id, entry)
            score = rated if rated is not None else _parse_score(cs, item_id, entry.get("score"))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
            continue
        rates[item_id] = (num, den)
        comment = (entry.get("comment") or "").strip()
        parsed[item_id] = (score, comment)
        old = existing.get(item_id)
        old_score = old.score if old else None
        if below is not None and score is not None and not comment:
            reference = None if item_id in below_na else below.get(item_id)
            if reference is None or reference != score:
                errors.setdefault(f"comment_{item_id}", []).append(
                    _("Item %(item)s: your score differs from the one below it; say why in the comment.")
                    % {"item": item_id}
                )
        if old_score is not None and old_score != score:
            rescored.append(item_id)
    if errors:
        raise ValidationError(errors)
    if rescored and reason_needed_for_rescore and not (reason or "").strip():
        raise ValidationError(
            {"reason": _("Items already scored were changed (%(ids)s): give a reason for the change.")
             % {"ids": ", ".join(rescored)}}
        )
    name = _who(actor)
    for item_id, (score, comment) in parsed.items():
        old = existing.get(item_id)
        num, den = rates[item_id]
        if old is not None and old.score == score and old.comment == comment and \
                (old.numerator, old.denominator) == (num, den):
            continue
        if old is None and score is None and not comment:
            continue
        before[item_id] = {"score": old.score, "comment": old.comment} if old else None
        after[item_id] = {"score": score, "comment": comment}
        if num is not None:
            if old is not None and old.numerator is not None:
                before[item_id]["rate"] = f"{old.numerator}/{old.denominator}"
            after[item_id]["rate"] = f"{num}/{den}"
        ItemMark.objects.update_or_create(
            submission=sub, item_id=item_id, level=level,
            defaults={"score": score, "comment": comment, "actor": actor, "actor_name": name,
                      "numerator": num, "denominator": den},
        )
    return before, after
