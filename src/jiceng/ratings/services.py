"""Rating links, ratings and the rectification steps; each write one transaction with its audit record."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.deadlines import Deadline
from jiceng.core.models import EventType
from jiceng.core.scoping import holds
from jiceng.core.workdays import calendar

from . import deadlines, tokens
from .capabilities import INVITE
from .models import (
    BAD_MAX,
    Channel,
    Level,
    Rating,
    RatingInvite,
    Rectification,
    RectificationState,
    dimensions,
)

APPLICANT = "applicant"  # the audit trail's actor name for the applicant rating without an account


def case_finished(case) -> bool:
    """A case has ended once it left the open states (delivered, or not accepted)."""
    return case.state not in type(case).open_states


@transaction.atomic
def issue_invite(*, actor, case, channel: str, now: datetime | None = None) -> tuple[RatingInvite, str]:
    """A new rating link for `case`; returns the invite and the clear token (shown once, as QR code and link).

    On site each visit gets its own link (一次一评); online there is one per case (一事一评): a new online
    link replaces an unused one, and none is issued once the case is rated online.
    """
    if actor is not None and not holds(actor, INVITE, case.unit):
        raise PermissionDenied
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose on site or online.")})
    now = now or timezone.now()
    token = tokens.new_token()
    expires = now + timedelta(days=deadlines.link_days())
    if channel == Channel.ONLINE:
        if Rating.objects.filter(case=case, channel=Channel.ONLINE).exists():
            raise ValidationError(_("This case has been rated online already (once per case)."), code="rated")
        invite = RatingInvite.objects.select_for_update().filter(case=case, channel=channel).first()
        if invite is not None:
            invite.token_hash, invite.issued_at, invite.expires_at, invite.issued_by = (
                tokens.token_hash(token), now, expires, actor)
            invite.save(update_fields=["token_hash", "issued_at", "expires_at", "issued_by"])
        else:
            invite = RatingInvite.objects.create(unit=case.unit, case=case, channel=channel, visit=1,
                                                 token_hash=tokens.token_hash(token), issued_at=now,
                                                 expires_at=expires, issued_by=actor)
    else:
        last = RatingInvite.objects.filter(case=case, channel=channel).order_by("-visit").first()
        invite = RatingInvite.objects.create(unit=case.unit, case=case, channel=channel,
                                             visit=(last.visit + 1) if last else 1,
                                             token_hash=tokens.token_hash(token), issued_at=now, expires_at=expires,
                                             issued_by=actor)
    audit.record(EventType.CREATE, actor=actor, actor_name=None if actor else "system", subject=invite,
                 after={"case": case.number, "channel": channel, "visit": invite.visit,
                        "expires_at": invite.expires_at})
    return invite, token


def invite_for(token: str, now: datetime | None = None) -> RatingInvite:
    """The invite of a token; an unknown, forged or expired token is the same 404."""
    if not tokens.looks_valid(token or ""):
        raise Http404
    invite = (RatingInvite.objects.select_related("case", "case__item_version", "unit")
              .filter(token_hash=tokens.token_hash(token)).first())
    if invite is None or invite.expires_at <= (now or timezone.now()):
        raise Http404
    return invite


def refusal_of(invite: RatingInvite) -> str | None:
    """Why this invite cannot be used to rate now (None: it can)."""
    if invite.used_at is not None:
        return _("This visit has been rated already: thank you. A second rating is not possible.")
    if invite.channel == Channel.ONLINE and Rating.objects.filter(case=invite.case, channel=Channel.ONLINE).exists():
        return _("This case has been rated online already (once per case).")
    if not case_finished(invite.case):
        return _("The case is not finished yet: you can rate it once it has ended.")
    return None


def _post_of(case):
    from jiceng.staffing.models import WindowPost

    return (WindowPost.objects.filter(Q(holder_a__user=case.handler_id) | Q(holder_b__user=case.handler_id))
            .filter(Q(unit=case.unit) | Q(unit__in=case.unit.get_ancestors()))
            .order_by("-unit__path", "pk").first())


def clean_scores(channel: str, data) -> dict[str, int]:
    """Every dimension of the channel rated 1…5; the refusals name each dimension."""
    scores, errors = {}, {}
    for key, label in dimensions(channel):
        raw = data.get(key)
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = None
        if value not in Level.values:
            errors[key] = _("%(dimension)s: choose one of the five levels.") % {"dimension": label}
        else:
            scores[key] = value
    if errors:
        raise ValidationError(errors)
    return scores


def rate(*, token: str, data, now: datetime | None = None) -> Rating:
    """The applicant's rating through the link; a 差评 opens its rectification in the same transaction."""
    now = now or timezone.now()
    invite = invite_for(token, now)
    scores = clean_scores(invite.channel, data)
    comment = (data.get("comment") or "").strip()[:2000]
    real_name = not data.get("anonymous")
    with transaction.atomic():
        invite = RatingInvite.objects.select_for_update().select_related("case", "case__unit").get(pk=invite.pk)
        refusal = refusal_of(invite)
        if refusal:
            raise ValidationError(refusal, code="refused")
        case = invite.case
        rating = Rating.objects.create(unit=case.unit, invite=invite, case=case, channel=invite.channel,
                                       handler_id=case.handler_id, post=_post_of(case), level=scores["overall"],
                                       scores=scores, comment=comment, real_name=real_name, rated_at=now,
                                       rated_on=timezone.localdate(now))
        invite.used_at = now
        invite.save(update_fields=["used_at"])
        audit.record(EventType.CREATE, actor_name=APPLICANT, subject=rating,
                     after={"case": case.number, "channel": rating.channel, "level": rating.level,
                            "scores": scores, "real_name": real_name})
        if rating.level <= BAD_MAX:
            open_rectification(rating)
    return rating


def open_rectification(rating: Rating) -> Rectification:
    """Every 差评 opens a rectification owned by the case's handler (谁办理谁负责), on the call-back clock."""
    cal = calendar()
    callback = Deadline.compute(cal, deadlines.callback_rule(), rating.rated_on)
    fix = Deadline.compute(cal, deadlines.fix_rule(), rating.rated_on)
    row = Rectification(unit=rating.unit, rating=rating, owner_id=rating.handler_id, state=RectificationState.OPEN,
                        opened_on=rating.rated_on, callback_due=callback.due, fix_due=fix.due)
    row.set_deadline(callback)
    row.save()
    audit.record(EventType.CREATE, actor_name="system", subject=row,
                 after={"rating": rating.pk, "owner": row.owner.get_username(), "callback_due": row.callback_due,
                        "fix_due": row.fix_due})
    return row


def rectification_step(*, actor, row: Rectification, step: str, expected_version: int, text: str = "",
                       now: datetime | None = None) -> Rectification:
    """One step of the rectification's workflow; `text` fills the step's one required input."""
    from .workflows import RECTIFICATION

    transition = RECTIFICATION.transitions.get(step)
    if transition is None:
        raise ValidationError(_("Unknown step."), code="unknown_step")
    values = {i.name: text for i in transition.inputs if i.required}
    return RECTIFICATION.perform(row, step, actor=actor, expected_version=expected_version, values=values, now=now)
