"""Satellite enforcement (卫片执法): a year's batch of spots (图斑), each judged with its proof files (举证)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import UnitOwned


class Judgment(models.TextChoices):
    PENDING = "", _("Not judged")
    LEGAL = "legal", _("Legal")
    ILLEGAL = "illegal", _("Illegal")
    OTHER = "other", _("Other")


class SpotBatch(UnitOwned):
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("batch"), max_length=100)
    source_name = models.CharField(_("file"), max_length=200)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("imported by"))
    rows = models.PositiveIntegerField(_("spots"), default=0)

    class Meta:
        ordering = ["-year", "-imported_at"]
        verbose_name = _("spot batch")
        verbose_name_plural = _("spot batches")

    def __str__(self):
        return self.name


class Spot(UnitOwned):
    batch = models.ForeignKey(SpotBatch, on_delete=models.CASCADE, related_name="spots", verbose_name=_("batch"))
    spot_id = models.CharField(_("spot id"), max_length=40)
    division = models.CharField(_("division"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    area = models.DecimalField(_("area (mu)"), max_digits=12, decimal_places=2)
    permitted_area = models.DecimalField(_("permitted construction area"), max_digits=12, decimal_places=2, default=0)
    forbidden_area = models.DecimalField(_("forbidden construction area"), max_digits=12, decimal_places=2, default=0)
    farmland_area = models.DecimalField(_("basic farmland occupied"), max_digits=12, decimal_places=2, default=0)
    geometry = models.JSONField(_("geometry (GeoJSON)"), null=True, blank=True)
    judgment = models.CharField(_("judgment"), max_length=10, choices=Judgment.choices, blank=True, db_index=True)
    judged_on = models.DateField(_("judged on"), null=True, blank=True)
    judgment_note = models.TextField(_("judgment note"), blank=True)
    proofs = models.ManyToManyField("core.Attachment", blank=True, related_name="+", verbose_name=_("proof files"))
    case = models.ForeignKey("enforcement.Case", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="spots", verbose_name=_("case"))
    rectified = models.BooleanField(_("rectified"), default=False)

    class Meta:
        ordering = ["spot_id"]
        constraints = [models.UniqueConstraint(fields=["year", "spot_id"], name="enf_spot_year_id_unique")]
        indexes = [models.Index(fields=["unit", "year", "judgment"], name="enf_spot_unit_year")]
        verbose_name = _("satellite spot")
        verbose_name_plural = _("satellite spots")

    def __str__(self):
        return self.spot_id
