"""The city's campaign housekeeping: a create that runs once per form (a double click), and cancelling a campaign
that nobody has started work in."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiceng.core.models import AuditEvent, EventType
from jiceng.org.models import Unit

from ..models import Campaign, Status, Submission
from ._common import _audit, _need_reason, _require_city
from .campaigns import campaign_create


def _created_with(form_token: str) -> Campaign | None:
    event = (AuditEvent.objects.filter(event_type=EventType.CREATE, object_type=Campaign._meta.label_lower,
                                       details__form_token=form_token)
             .order_by("-seq").first())
    if event is None:
        return None
    return Campaign.objects.filter(pk=event.object_id).first()


def campaign_create_once(*, form_token: str, **fields) -> tuple[Campaign, bool]:
    """`campaign_create`, at most once per form token: (the campaign, whether it was created now).

    The create form carries a token drawn when it is shown; a second post of the
    same form (a double click, a reload) returns the campaign the first one
    created instead of a second campaign. The organiser's row is locked first,
    so two posts arriving together are taken one after the other.
    """
    form_token = (form_token or "").strip()
    if not form_token:
        return campaign_create(**fields), True
    _require_city(fields.get("actor"), fields["organiser"])
    with transaction.atomic():
        Unit.objects.select_for_update().filter(pk=fields["organiser"].pk).first()
        existing = _created_with(form_token)
        if existing is not None:
            return existing, False
        return campaign_create(form_token=form_token, **fields), True


def cancel_refusal(campaign: Campaign) -> str:
    """Why the campaign can no longer be cancelled ("" if it can): only while every office is still at its draft
    untouched (nothing saved, nothing submitted)."""
    started = Submission.objects.filter(campaign=campaign).exclude(status=Status.DRAFT, version=1).count()
    if started:
        return _("%(n)s offices have already started their self-evaluation: the campaign can no longer be "
                 "cancelled.") % {"n": started}
    return ""


@transaction.atomic
def campaign_cancel(*, actor, campaign: Campaign, reason: str) -> None:
    """Cancel (remove) a campaign created by mistake, before any office has saved anything; with a reason."""
    _require_city(actor, campaign.unit)
    campaign = Campaign.objects.select_for_update().select_related("unit").get(pk=campaign.pk)
    reason = _need_reason(reason, _("say why the campaign is cancelled."))
    refusal = cancel_refusal(campaign)
    if refusal:
        raise ValidationError(refusal)
    participants = sorted(Submission.objects.filter(campaign=campaign).values_list("unit__code", flat=True))
    _audit(EventType.DELETE, actor=actor, subject=campaign, reason=reason,
           before={"name": campaign.name, "scheme": campaign.scheme_id, "participants": participants})
    campaign.delete()
