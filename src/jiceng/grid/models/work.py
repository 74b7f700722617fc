"""Daily work: log entries (第二十条), matters escalated, sign-offs, meetings (第十八条), surveys (第三十二条)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.ledger import LedgerRow
from jiceng.core.models import UnitOwned

from .grids import GridWorker
from .people import Household, Resident


class EntryKind(models.TextChoices):
    VISIT = "visit", _("Home visit")
    SERVICE = "service", _("Service done for a resident (代办)")
    PATROL = "patrol", _("Grid patrol")
    MATTER = "matter", _("Matter found")


class LogEntry(UnitOwned):
    """One line of a worker's daily log. `client_id` makes a phone's resend a no-op (offline queue)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="grid_log_entries",
                             verbose_name=_("grid"))
    worker = models.ForeignKey(GridWorker, on_delete=models.PROTECT, related_name="log_entries")
    day = models.DateField(_("day"), db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="visits")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, null=True, blank=True, related_name="visits")
    category = models.CharField(_("category"), max_length=30, blank=True)
    found = models.TextField(_("what was found / done"), blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    client_id = models.UUIDField(unique=True, null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("log entry")
        indexes = [models.Index(fields=["worker", "day"]), models.Index(fields=["resident", "day"]),
                   models.Index(fields=["household", "day"])]


class MatterKind(models.TextChoices):
    DISPUTE = "dispute", _("Dispute (矛盾纠纷)")
    PETITION = "petition", _("Petition (信访)")
    INCIDENT = "incident", _("Incident")


class Matter(LedgerRow):
    """A matter found in the grid and escalated to the township, with a deadline (第十四条)."""

    open_states = ("escalated",)

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="grid_matters",
                             verbose_name=_("grid"))
    entry = models.OneToOneField(LogEntry, on_delete=models.PROTECT, related_name="matter")
    kind = models.CharField(_("kind"), max_length=10, choices=MatterKind.choices)
    summary = models.TextField(_("summary"))
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("matter")


class SignoffKind(models.TextChoices):
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")


class Signoff(UnitOwned):
    """The community director's signature on a worker's week or month (第二十条): it locks the days."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="grid_signoffs",
                             verbose_name=_("grid"))
    worker = models.ForeignKey(GridWorker, on_delete=models.PROTECT, related_name="signoffs")
    kind = models.CharField(max_length=5, choices=SignoffKind.choices)
    start = models.DateField()
    end = models.DateField()
    entries = models.PositiveIntegerField(default=0)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["worker", "kind", "start"], name="grid_signoff_once")]


class MeetingLevel(models.TextChoices):
    VILLAGE_WEEKLY = "village", _("Village weekly meeting")
    TOWNSHIP_MONTHLY = "township", _("Township monthly meeting")


class Meeting(UnitOwned):
    """A work meeting (第十八条): the village's each week, the township's each month."""

    level = models.CharField(_("level"), max_length=10, choices=MeetingLevel.choices)
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("meeting")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    worker = models.ForeignKey(GridWorker, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "worker"], name="grid_attendance_once")]

    def __str__(self):
        return f"{self.worker_id}@{self.meeting_id}"


class Survey(UnitOwned):
    """A satisfaction survey of one worker's grid for one period (第三十二条): drawn by the system."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="grid_surveys",
                             verbose_name=_("grid"))
    worker = models.ForeignKey(GridWorker, on_delete=models.PROTECT, related_name="surveys")
    period = models.CharField(_("period"), max_length=10)  # 2026-Q4 or 2026
    seed = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    drawn = models.JSONField(default=list)  # resident ids in draw order
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    drawn_at = models.DateTimeField()

    class Meta:
        verbose_name = _("satisfaction survey")
        constraints = [models.UniqueConstraint(fields=["worker", "period"], name="grid_survey_once")]


class SurveyAnswer(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    satisfied = models.BooleanField()
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "resident"], name="grid_answer_once")]

    def __str__(self):
        return f"{self.survey_id}:{self.resident_id}"
