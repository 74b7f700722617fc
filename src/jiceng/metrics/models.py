"""Stored indicator values (numerator and denominator per unit × period), the dirty months waiting for a
refresh, the values an assessment froze, and the 数据不实 flags."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import UnitOwned


class IndicatorValue(UnitOwned):
    """One unit's sums for one period of an indicator's grain, from the rows placed at that unit itself.

    A unit's value over its subtree is the ratio of the sums of these rows (metrics.values), never a mean of rates.
    """

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    indicator = models.CharField(_("indicator"), max_length=80)
    period = models.CharField(_("period"), max_length=10)
    numerator = models.DecimalField(_("numerator"), max_digits=20, decimal_places=4)
    denominator = models.DecimalField(_("denominator"), max_digits=20, decimal_places=4)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [models.UniqueConstraint(fields=["indicator", "unit", "period"], name="metrics_value_key")]
        indexes = [models.Index(fields=["indicator", "period"], name="metrics_value_period")]

    def __str__(self):
        return f"{self.indicator} {self.unit_id} {self.period}: {self.numerator}/{self.denominator}"


class DirtyMonth(models.Model):
    """A (model, unit, month) whose rows changed since the last refresh ("" month: a snapshot model's today)."""

    model = models.CharField(max_length=100)
    unit_id = models.BigIntegerField()
    month = models.CharField(max_length=7, blank=True)
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["model", "unit_id", "month"], name="metrics_dirty_key")]

    def __str__(self):
        return f"{self.model} {self.unit_id} {self.month or '-'}"


class FrozenValue(UnitOwned):
    """An indicator's figures as an assessment used them (`key` names the use, e.g. "campaign:12")."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    key = models.CharField(max_length=80, db_index=True)
    indicator = models.CharField(_("indicator"), max_length=80)
    period = models.CharField(_("period"), max_length=10)
    numerator = models.DecimalField(_("numerator"), max_digits=20, decimal_places=4, null=True)
    denominator = models.DecimalField(_("denominator"), max_digits=20, decimal_places=4, null=True)
    value = models.FloatField(_("value"), null=True)
    frozen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "indicator", "unit", "period"], name="metrics_frozen_key")]

    def __str__(self):
        return f"{self.key} {self.indicator} {self.period}"


class FlagState(models.TextChoices):
    OPEN = "open", _("Awaiting the reviewer")
    CONFIRMED = "confirmed", _("Confirmed: data not true (数据不实)")
    DISMISSED = "dismissed", _("Dismissed")


class DataFlag(UnitOwned):
    """数据不实: a self-score above what the indicator supports, with both figures, for the reviewer to decide."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    key = models.CharField(max_length=80, db_index=True)  # the submission, e.g. "submission:7"
    item = models.CharField(_("item"), max_length=40)
    indicator = models.CharField(_("indicator"), max_length=80)
    period = models.CharField(_("period"), max_length=10)
    claimed = models.DecimalField(_("self-score"), max_digits=8, decimal_places=2)
    supported = models.DecimalField(_("score the data supports"), max_digits=8, decimal_places=2)
    value = models.FloatField(_("value"), null=True)
    numerator = models.DecimalField(_("numerator"), max_digits=20, decimal_places=4, null=True)
    denominator = models.DecimalField(_("denominator"), max_digits=20, decimal_places=4, null=True)
    state = models.CharField(_("state"), max_length=20, choices=FlagState.choices, default=FlagState.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("data flag")
        verbose_name_plural = _("data flags")
        constraints = [models.UniqueConstraint(fields=["key", "item"], name="metrics_flag_key")]

    def __str__(self):
        return f"数据不实 {self.key} {self.item}"
