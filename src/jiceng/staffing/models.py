"""Window posts with their A and B holders (AB岗), the people behind them, attendance and discipline.

Seeds 002 (西吉 窗口标准化) and 004 (灵武 窗口人员和代办员管理办法).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import UnitOwned


class WorkerKind(models.TextChoices):
    WINDOW = "window", _("Window staff")
    CHIEF = "chief", _("Chief representative")
    AGENT = "agent", _("Village agent")


class Worker(UnitOwned):
    """A person at a window: the account, the staff record (birth date, education) and the facts the seeds ask."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="window_worker",
                                verbose_name=_("account"))
    staff = models.ForeignKey("org.Staff", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("staff record"))
    kind = models.CharField(_("kind"), max_length=10, choices=WorkerKind.choices, default=WorkerKind.WINDOW)
    work_since = models.DateField(_("in approval work since"), null=True, blank=True)
    # 代办员 are 两委 members (seed 004 第三条).
    two_committees = models.BooleanField(_("village committee (两委) member"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("window worker")
        verbose_name_plural = _("window workers")
        ordering = ["unit__path", "pk"]

    def __str__(self):
        return str(self.user)


class WindowPost(UnitOwned):
    """A window post (窗口岗位) with its A holder and its B holder (AB岗)."""

    name = models.CharField(_("post"), max_length=100)
    holder_a = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="posts_a", verbose_name=_("A holder"))
    holder_b = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="posts_b", verbose_name=_("B holder"))
    a_since = models.DateField(_("A holder on the post since"))
    b_since = models.DateField(_("B holder on the post since"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("window post")
        verbose_name_plural = _("window posts")
        ordering = ["unit__path", "name"]
        constraints = [models.CheckConstraint(condition=~models.Q(holder_a=models.F("holder_b")),
                                              name="staffing_post_a_not_b")]

    def __str__(self):
        return self.name


class AbsenceKind(models.TextChoices):
    LEAVE = "leave", _("Leave")
    TRAINING = "training", _("Training")
    DUTY = "duty", _("Duty elsewhere")


class Absence(UnitOwned):
    """The A holder away from the post from `starts` to `ends`; new cases go to B, open ones are handed over."""

    post = models.ForeignKey(WindowPost, on_delete=models.CASCADE, related_name="absences", verbose_name=_("post"))
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="absences", verbose_name=_("absent"))
    kind = models.CharField(_("kind"), max_length=10, choices=AbsenceKind.choices)
    starts = models.DateField(_("from"))
    ends = models.DateField(_("to"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    handed_over = models.PositiveIntegerField(_("cases handed over"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["-starts"]

    def is_current(self, day: date) -> bool:
        return self.returned_at is None and self.starts <= day <= self.ends


class SignIn(UnitOwned):
    """One working day's sign-in and sign-out (朝九晚五, 坐班)."""

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="sign_ins", verbose_name=_("worker"))
    day = models.DateField(_("day"))
    signed_in_at = models.DateTimeField(_("signed in at"))
    signed_out_at = models.DateTimeField(_("signed out at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-ins")
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["worker", "day"], name="staffing_one_sign_in_a_day")]


class LeaveKind(models.TextChoices):
    PERSONAL = "personal", _("Personal leave")
    SICK = "sick", _("Sick leave")
    ANNUAL = "annual", _("Annual leave")
    TRAINING = "training", _("Training")
    DUTY = "duty", _("Duty elsewhere")


class LeaveState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    RETURNED = "returned", _("Back (leave ended)")


class LeaveRequest(UnitOwned):
    """A leave request (请销假): asked by the worker, approved by the centre head, ended on return (销假)."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="leaves", verbose_name=_("worker"))
    kind = models.CharField(_("kind"), max_length=10, choices=LeaveKind.choices)
    starts = models.DateField(_("from"))
    ends = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=200)
    state = models.CharField(_("state"), max_length=12, choices=LeaveState.choices, default=LeaveState.REQUESTED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)
    returned_at = models.DateTimeField(_("back at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-starts"]


class BreachKind(models.TextChoices):
    """The breaches of work discipline listed by seeds 002 (5. 严格执行工作纪律) and 004 (考核标准 工作纪律)."""

    LATE = "late", _("Late (迟到)")
    EARLY = "early", _("Left early (早退)")
    ABSENT = "absent", _("Absent without leave (旷工)")
    OFF_POST = "off_post", _("Left the post (脱岗)")
    WANDERING = "wandering", _("Chatting at other posts (串岗)")
    PHONE = "phone", _("Playing with the phone (玩手机)")
    ONLINE = "online", _("Videos, chat, shares or games online")
    DOZING = "dozing", _("Dozing (打瞌睡)")
    EATING = "eating", _("Eating at the window")
    PRIVATE = "private", _("Private work (干私活)")
    ATTIRE = "attire", _("Not in uniform (着装不整)")
    QUARREL = "quarrel", _("Quarrel with an applicant")
    CORRUPT = "corrupt", _("Eat, take, obstruct, demand (吃拿卡要)")
    OTHER = "other", _("Other")


class Exposure(models.TextChoices):
    NONE = "", _("Not exposed")
    INSPECTION = "inspection", _("Exposed by an inspection body (暗访通报)")
    MEDIA = "media", _("Exposed by the media")


class Measure(models.TextChoices):
    WARNING = "warning", _("Oral warning (口头警告)")
    NOTICE = "notice", _("Notice of criticism (通报批评)")
    DISCIPLINE = "discipline", _("Disciplinary sanction or removal from the post")


class BreachState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")


class Breach(UnitOwned):
    """A breach of discipline; the measure is proposed by the rule (staffing.discipline) and confirmed by a person."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="breaches", verbose_name=_("worker"))
    kind = models.CharField(_("breach"), max_length=12, choices=BreachKind.choices)
    occurred_on = models.DateField(_("on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    exposed_by = models.CharField(_("exposed"), max_length=12, choices=Exposure.choices, blank=True, default="")
    proposed_measure = models.CharField(_("proposed measure"), max_length=12, choices=Measure.choices)
    measure = models.CharField(_("measure"), max_length=12, choices=Measure.choices, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=BreachState.choices, default=BreachState.PROPOSED)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("breach of discipline")
        verbose_name_plural = _("breaches of discipline")
        ordering = ["-occurred_on", "-pk"]


class Training(UnitOwned):
    """A training a worker attended (seed 004 第十二条: at least 2 a year)."""

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="trainings", verbose_name=_("worker"))
    title = models.CharField(_("training"), max_length=200)
    held_on = models.DateField(_("held on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-held_on"]
