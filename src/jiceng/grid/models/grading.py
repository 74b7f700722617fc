"""Grades (第三十一至三十三条), complaints and dismissal cases (第三十四、三十五条)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import UnitOwned

from .grids import GridWorker


class GradeKind(models.TextChoices):
    MONTH = "month", _("Monthly (village, no grade)")
    QUARTER = "quarter", _("Quarterly (township)")
    YEAR = "year", _("Yearly")


class GradeStatus(models.TextChoices):
    PENDING_OPINIONS = "pending", _("Awaiting the opinions for 优秀")
    FINAL = "final", _("Final")


class Grade(UnitOwned):
    """One worker's assessment for one period, stored so later periods read it instead of retyping it."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="grid_grades",
                             verbose_name=_("grid"))
    worker = models.ForeignKey(GridWorker, on_delete=models.PROTECT, related_name="grades")
    kind = models.CharField(_("kind"), max_length=10, choices=GradeKind.choices)
    period = models.CharField(_("period"), max_length=10)  # 2026-11, 2026-Q4, 2026
    scheme_id = models.CharField(max_length=60, blank=True)
    performance = models.DecimalField(_("performance score"), max_digits=5, decimal_places=1, null=True)
    satisfied = models.PositiveIntegerField(_("satisfied answers"), default=0)
    answered = models.PositiveIntegerField(_("answers"), default=0)
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=2, null=True)
    grade = models.CharField(_("grade"), max_length=10, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    figures = models.JSONField(default=dict, blank=True)  # the prefilled figures and where they come from
    status = models.CharField(max_length=10, choices=GradeStatus.choices, default=GradeStatus.FINAL)
    politics_opinion = models.TextField(_("opinion of the 政法委"), blank=True)
    centre_opinion = models.TextField(_("opinion of the 综治中心"), blank=True)
    # 第三十三条 consequences
    full_pay = models.BooleanField(_("full pay"), default=False)
    award = models.DecimalField(_("award"), max_digits=8, decimal_places=2, default=0)
    candidacy_priority = models.BooleanField(_("priority for two-committees candidacy"), default=False)
    graded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    graded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("grid worker grade")
        constraints = [models.UniqueConstraint(fields=["worker", "kind", "period"], name="grid_grade_once")]

    @property
    def satisfaction(self):
        return self.satisfied / self.answered if self.answered else None


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint by a resident")
    MONEY = "money", _("Asked a resident for money or goods")
    LEAK = "leak", _("Leaked residents' private data")
    INCIDENT = "incident", _("Major incident or collective petition through neglect")


class Complaint(UnitOwned):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="grid_complaints",
                             verbose_name=_("grid"))
    worker = models.ForeignKey(GridWorker, on_delete=models.PROTECT, related_name="complaints")
    kind = models.CharField(_("kind"), max_length=10, choices=ComplaintKind.choices, default=ComplaintKind.COMPLAINT)
    received_on = models.DateField(_("received on"))
    summary = models.TextField(_("summary"))
    verified = models.BooleanField(_("verified"), default=False)

    class Meta:
        verbose_name = _("complaint")


class DismissalState(models.TextChoices):
    RAISED = "raised", _("Raised")
    VILLAGE_OPINION = "village_opinion", _("Village opinion signed")
    DECIDED = "decided", _("Township decided to dismiss")
    HANDED_OVER = "handed_over", _("Hand-over done")
    FILED = "filed", _("Filed with 民政, 财政, 人社")
    DROPPED = "dropped", _("Not dismissed")


class DismissalCase(UnitOwned):
    """A 第三十四条 case: raised by the daily check or a person, decided by a person (第三十五条)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="grid_dismissals",
                             verbose_name=_("grid"))
    worker = models.ForeignKey(GridWorker, on_delete=models.PROTECT, related_name="dismissal_cases")
    trigger = models.CharField(_("ground (第三十四条)"), max_length=2)
    evidence = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=20, choices=DismissalState.choices, default=DismissalState.RAISED)
    version = models.PositiveIntegerField(default=1)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    raised_on = models.DateField()
    village_opinion = models.TextField(_("village's signed opinion"), blank=True)
    decision = models.TextField(_("township's written decision"), blank=True)
    decided_on = models.DateField(null=True, blank=True)
    handover_due = models.DateField(null=True, blank=True)
    handover_note = models.TextField(_("hand-over record"), blank=True)
    audit_needed = models.BooleanField(_("financial audit needed"), default=False)
    filing_note = models.TextField(_("record for 民政, 财政, 人社"), blank=True)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dismissal case")
        constraints = [models.UniqueConstraint(
            fields=["worker", "trigger"], condition=models.Q(state__in=["raised", "village_opinion", "decided",
                                                                        "handed_over"]),
            name="grid_one_open_case_per_ground")]
