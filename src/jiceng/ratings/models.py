"""Ratings of window cases (好差评) and the rectification of every 差评 (整改)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.ledger import LedgerRow
from jiceng.core.models import UnitOwned


class Channel(models.TextChoices):
    ONSITE = "onsite", _("On site (once per visit)")
    ONLINE = "online", _("Online (once per case)")


class Level(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Very satisfied (非常满意)")
    SATISFIED = 4, _("Satisfied (满意)")
    BASIC = 3, _("Basically satisfied (基本满意)")
    DISSATISFIED = 2, _("Dissatisfied (不满意)")
    VERY_DISSATISFIED = 1, _("Very dissatisfied (非常不满意)")


# The bottom two levels are 差评; the top three count as 好评.
BAD_MAX = 2

ONSITE_DIMENSIONS = (
    ("overall", _("Overall satisfaction (整体满意度)")),
    ("efficiency", _("Service efficiency (服务效率)")),
    ("skill", _("Service level (服务水平)")),
    ("attitude", _("Service attitude (服务态度)")),
)
ONLINE_DIMENSIONS = (
    ("overall", _("Overall satisfaction (整体满意度)")),
    ("efficiency", _("Efficiency (办事效率)")),
    ("guide", _("Accuracy of the guide (办事指南精确度)")),
    ("convenience", _("Convenience (办事便捷度)")),
    ("platform", _("Ease of the platform (平台操作性)")),
)


def dimensions(channel: str):
    return ONLINE_DIMENSIONS if channel == Channel.ONLINE else ONSITE_DIMENSIONS


class RatingInvite(UnitOwned):
    """A per-case rating link: only the token's hash is stored; the clear token is shown once (QR code)."""

    case = models.ForeignKey("window.Case", on_delete=models.CASCADE, related_name="rating_invites",
                             verbose_name=_("case"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    visit = models.PositiveSmallIntegerField(_("visit"), default=1)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    issued_at = models.DateTimeField(_("issued at"))
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")

    class Meta:
        verbose_name = _("rating link")
        verbose_name_plural = _("rating links")
        constraints = [models.UniqueConstraint(fields=["case", "channel", "visit"], name="ratings_invite_visit")]


class Rating(UnitOwned):
    """One rating: the overall level (5…1), the channel's dimensions, a comment; 差评 opens a rectification."""

    invite = models.OneToOneField(RatingInvite, on_delete=models.PROTECT, related_name="rating")
    case = models.ForeignKey("window.Case", on_delete=models.PROTECT, related_name="ratings", verbose_name=_("case"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("rated staff member"))
    post = models.ForeignKey("staffing.WindowPost", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="ratings", verbose_name=_("window post"))
    level = models.PositiveSmallIntegerField(_("rating"), choices=Level.choices, db_index=True)
    scores = models.JSONField(_("dimensions"), default=dict)
    comment = models.TextField(_("comment"), blank=True)
    real_name = models.BooleanField(_("real-name rating"), default=True)
    # A rating the applicant gave (主动评价); False for a system default rating.
    active = models.BooleanField(_("given by the applicant"), default=True)
    rated_at = models.DateTimeField(_("rated at"))
    rated_on = models.DateField(_("rated on"), db_index=True)
    annulled = models.BooleanField(_("annulled on appeal"), default=False)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-rated_at"]
        constraints = [models.UniqueConstraint(fields=["case"], condition=models.Q(channel="online"),
                                               name="ratings_online_once_per_case")]
        indexes = [models.Index(fields=["unit", "rated_on"], name="ratings_unit_rated_on")]

    @property
    def is_bad(self) -> bool:
        return self.level <= BAD_MAX


class RectificationState(models.TextChoices):
    OPEN = "open", _("To verify and call back")
    CALLED_BACK = "called_back", _("Called back, to fix")
    APPEALED = "appealed", _("Appeal under review")
    FIXED = "fixed", _("Fixed")
    EXPLAINED = "explained", _("Explained (no legal basis)")
    ANNULLED = "annulled", _("Rating annulled on appeal")


CLOSED_STATES = (RectificationState.FIXED, RectificationState.EXPLAINED, RectificationState.ANNULLED)


class Rectification(LedgerRow):
    """The rectification of one 差评, owned by whoever handled the case (谁办理谁负责)."""

    open_states = (RectificationState.OPEN, RectificationState.CALLED_BACK, RectificationState.APPEALED)

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="rectification")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("responsible"))
    callback_due = models.DateField(_("call back by"))
    fix_due = models.DateField(_("fix by"))
    called_back_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    callback_note = models.TextField(_("call-back record"), blank=True)
    fix_note = models.TextField(_("what was fixed"), blank=True)
    explanation = models.TextField(_("explanation (no legal basis)"), blank=True)
    appealed_at = models.DateTimeField(_("appealed at"), null=True, blank=True)
    appeal_reason = models.TextField(_("appeal"), blank=True)
    appeal_decision = models.TextField(_("appeal decision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("appeal decided by"))

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["due_on", "pk"]

    def get_state_display(self) -> str:
        return str(dict(RectificationState.choices).get(self.state, self.state))
