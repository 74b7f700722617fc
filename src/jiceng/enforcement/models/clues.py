"""Clues (违法线索) and the 12336 hotline register.

A clue comes from a patrol finding, a 12336 call, a WeChat or letter report, a satellite spot,
the media, a superior's assignment, a petition or another department. It is registered with a
response deadline (deadlines.CLUE_RESPONSE) and either becomes a case or closes with a reason.
A 12336 call is a clue with source HOTLINE and its ticket; a supervised matter (督办) carries
its own answer deadline, and a second supervision of the same matter is flagged (seed 001 3.3).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.ledger import LedgerRow
from jiceng.core.pii import MobileField, mask_phone


class ClueSource(models.TextChoices):
    PATROL = "patrol", _("Dynamic patrol")
    HOTLINE = "hotline", _("12336 hotline")
    WECHAT_LETTER = "wechat_letter", _("WeChat or letter report")
    SATELLITE = "satellite", _("Satellite spot")
    MEDIA = "media", _("Media")
    SUPERIOR = "superior", _("Assigned by a superior")
    PETITION = "petition", _("Petition")
    DEPARTMENT = "department", _("Another department")
    OTHER = "other", _("Other")


class ClueState(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    CASE = "case", _("Became a case")
    CLOSED = "closed", _("Closed")


class CloseReason(models.TextChoices):
    NOT_VIOLATION = "not_violation", _("Not a violation")
    OTHER_DEPARTMENT = "other_department", _("Another department's matter (referred)")
    DUPLICATE = "duplicate", _("Duplicate of another clue")


class Clue(LedgerRow):
    open_states = (ClueState.REGISTERED,)

    state = models.CharField(_("state"), max_length=30, db_index=True, choices=ClueState.choices)
    number = models.CharField(_("clue number"), max_length=40, blank=True, db_index=True)
    source = models.CharField(_("source"), max_length=20, choices=ClueSource.choices)
    # What the source calls it: the 12336 ticket, the patrol record, the letter's number.
    source_ref = models.CharField(_("source reference"), max_length=80, blank=True)
    registered_at = models.DateTimeField(_("registered at"))
    description = models.TextField(_("description"))
    location = models.JSONField(_("location (GeoJSON)"), null=True, blank=True)
    parcel = models.CharField(_("parcel"), max_length=100, blank=True)
    village = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("village"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    reporter_name = models.CharField(_("reporter"), max_length=50, blank=True)
    reporter_phone = MobileField(_("reporter's phone"), blank=True)
    photos = models.ManyToManyField("core.Attachment", blank=True, related_name="+", verbose_name=_("photos"))
    # The 12336 register (seed 001 3.2, 3.3).
    reported_on = models.DateField(_("reported to the detachment on"), null=True, blank=True)
    supervised = models.BooleanField(_("supervised matter (督办)"), default=False)
    supervision_due = models.DateField(_("supervision answer due"), null=True, blank=True)
    supervision_answered_on = models.DateField(_("supervision answered on"), null=True, blank=True)
    supervision_count = models.PositiveSmallIntegerField(_("times supervised"), default=0)
    # The outcome.
    feedback = models.TextField(_("result fed back to the reporter"), blank=True)
    feedback_on = models.DateField(_("fed back on"), null=True, blank=True)
    close_reason = models.CharField(_("closing reason"), max_length=20, choices=CloseReason.choices, blank=True)
    close_note = models.TextField(_("closing note"), blank=True)
    referred_to = models.CharField(_("referred to (department)"), max_length=100, blank=True)
    referred_on = models.DateField(_("referred on"), null=True, blank=True)

    class Meta:
        ordering = ["-registered_at", "-pk"]
        verbose_name = _("clue")
        verbose_name_plural = _("clues")
        indexes = [models.Index(fields=["unit", "state", "due_on"], name="enf_clue_unit_state_due")]

    def __str__(self):
        return self.number or f"#{self.pk}"

    @property
    def repeat_supervision(self) -> bool:
        """Supervised more than once: the first answer did not settle it (seed 001 3.3)."""
        return self.supervision_count > 1

    @property
    def supervision_late(self) -> bool:
        if not self.supervised or self.supervision_due is None:
            return False
        from django.utils import timezone

        answered = self.supervision_answered_on or timezone.localdate()
        return answered > self.supervision_due

    @property
    def reporter_shown(self) -> str:
        """The reporter as lists show them: anonymous, or the name masked after its first character."""
        if self.anonymous or not self.reporter_name:
            return str(_("Anonymous")) if self.anonymous else ""
        return self.reporter_name[0] + "*" * (len(self.reporter_name) - 1)

    @property
    def reporter_phone_shown(self) -> str:
        return mask_phone(self.reporter_phone) if self.reporter_phone else ""
