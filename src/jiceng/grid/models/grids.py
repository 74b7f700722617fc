"""Grids (第二条), their workers (第三、五、二十六、二十七条), AB pairs (第二十二条) and the talent pool (第七条)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import UnitOwned
from jiceng.core.pii import MobileField


class AreaKind(models.TextChoices):
    RURAL = "rural", _("Village")
    URBAN = "urban", _("Urban community")


class GridProfile(UnitOwned):
    """One grid unit's facts: boundary, duties, its AB partner (第二十一、二十二条)."""

    unit = models.OneToOneField("org.Unit", on_delete=models.PROTECT, related_name="grid_profile",
                                verbose_name=_("grid"))
    area = models.CharField(_("area"), max_length=10, choices=AreaKind.choices, default=AreaKind.RURAL)
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    households_note = models.CharField(_("extent"), max_length=200, blank=True)
    duties = models.TextField(_("duties"), blank=True)
    photo = models.ImageField(_("worker photo"), upload_to="grid/photos/", blank=True)
    partner = models.OneToOneField("self", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="partner_of", verbose_name=_("AB partner grid"))
    notice_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("grid profile")

    def __str__(self):
        return self.unit.name


class Appointment(models.TextChoices):
    TWO_COMMITTEES = "two_committees", _("Member of the two committees")
    GROUP_LEADER = "group_leader", _("Villager group leader")
    RECRUITED = "recruited", _("Publicly recruited")


class TwoCommitteesPost(models.TextChoices):
    NONE = "none", _("None")
    SECRETARY = "secretary", _("Party secretary / committee director")
    MEMBER = "member", _("Other two-committees member")
    SUPERVISOR = "supervisor", _("Supervisory committee member")
    AUXILIARY = "auxiliary", _("Village auxiliary organisation member")


class Certificate(models.TextChoices):
    NONE = "none", _("None")
    GRID_SKILL = "grid_skill", _("National vocational skill certificate (urban grid worker)")
    SOCIAL_WORK = "social_work", _("Registered social worker qualification")


class GridWorker(UnitOwned):
    """The one worker of a grid (第二条): how appointed, contract and term, pay basis."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="grid_workers", verbose_name=_("grid"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="grid_workers", verbose_name=_("account"))
    name = models.CharField(_("name"), max_length=50)
    work_phone = MobileField(_("work phone"), blank=True)
    appointment = models.CharField(_("appointed as"), max_length=20, choices=Appointment.choices)
    committee_post = models.CharField(_("two-committees post"), max_length=20, choices=TwoCommitteesPost.choices,
                                      default=TwoCommitteesPost.NONE)
    certificate = models.CharField(_("certificate"), max_length=20, choices=Certificate.choices,
                                   default=Certificate.NONE)
    star_level = models.PositiveSmallIntegerField(_("star level"), default=0)
    contract_start = models.DateField(_("contract start"), null=True, blank=True)
    contract_end = models.DateField(_("contract end"), null=True, blank=True)
    term_end = models.DateField(_("two-committees term ends"), null=True, blank=True)
    renewed = models.BooleanField(_("contract renewed"), default=False)
    active = models.BooleanField(_("in post"), default=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("grid worker")
        constraints = [models.UniqueConstraint(fields=["unit"], condition=models.Q(active=True),
                                               name="grid_one_active_worker_per_grid")]

    def __str__(self):
        return self.name


class Absence(UnitOwned):
    """A worker away (leave, business, or absent without reason): the AB partner covers (第二十二条)."""

    worker = models.ForeignKey(GridWorker, on_delete=models.CASCADE, related_name="absences")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    justified = models.BooleanField(_("with leave or good reason"), default=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("absence")


class PayBasis(UnitOwned):
    """The pay settings of a city (第二十六、二十七条): local values, not constants in code."""

    unit = models.OneToOneField("org.Unit", on_delete=models.PROTECT, related_name="grid_pay_basis",
                                verbose_name=_("city"))
    min_wage = models.DecimalField(_("city minimum monthly wage"), max_digits=8, decimal_places=2,
                                   default=Decimal("1950.00"))
    recruited_multiple = models.DecimalField(_("multiple for recruited urban workers"), max_digits=4,
                                             decimal_places=2, default=Decimal("1.50"))
    star_subsidies = models.JSONField(_("village subsidy by star level"), default=dict, blank=True)
    certificate_allowance = models.DecimalField(_("certificate allowance per month"), max_digits=8,
                                                decimal_places=2, default=Decimal("0"))
    award_excellent = models.DecimalField(_("award for an excellent year"), max_digits=8, decimal_places=2,
                                          default=Decimal("800.00"))

    class Meta:
        verbose_name = _("pay basis")


class PoolEntry(UnitOwned):
    """A candidate of the city's talent pool (第七条): valid one year from entry."""

    name = models.CharField(_("name"), max_length=50)
    exam_score = models.DecimalField(_("exam total"), max_digits=5, decimal_places=1)
    entered_on = models.DateField(_("entered on"))
    refused = models.BooleanField(_("refused a posting"), default=False)
    posted_to = models.ForeignKey("org.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                  verbose_name=_("posted to"))
    posted_on = models.DateField(_("posted on"), null=True, blank=True)

    class Meta:
        verbose_name = _("talent-pool entry")
        ordering = ["-exam_score", "entered_on", "pk"]

    def __str__(self):
        return self.name
