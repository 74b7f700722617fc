"""The enforcement monthly report (综合月报, due by the 20th; seed 001 3.4) and the half-year analysis."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import UnitOwned


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly report")
    HALF_YEAR = "half_year", _("Half-year analysis")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed")
    RETURNED = "returned", _("Returned")


class MonthlyReport(UnitOwned):
    kind = models.CharField(_("report"), max_length=10, choices=ReportKind.choices, default=ReportKind.MONTHLY)
    year = models.PositiveSmallIntegerField(_("year"))
    # The month covered (a half-year analysis: 6 or 12).
    month = models.PositiveSmallIntegerField(_("month"))
    state = models.CharField(_("state"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT)
    figures = models.JSONField(_("figures"), default=dict)
    analysis = models.TextField(_("analysis"), blank=True)
    due_on = models.DateField(_("due on"))
    generated_at = models.DateTimeField(_("generated at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("submitted by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-year", "-month", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "kind", "year", "month"], name="enf_report_unique")]
        verbose_name = _("enforcement report")
        verbose_name_plural = _("enforcement reports")

    def __str__(self):
        return f"{self.year}-{self.month:02d} {self.get_kind_display()}"

    @property
    def late(self) -> bool:
        from django.utils import timezone

        submitted = timezone.localtime(self.submitted_at).date() if self.submitted_at else timezone.localdate()
        return submitted > self.due_on
