"""Patrol areas with their responsible person, the monthly plan, patrol records, tracks and findings (巡查)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import UnitOwned


class UnitBoundary(UnitOwned):
    """A unit's outline (GeoJSON Polygon / MultiPolygon), the base layer of the map (core.maps)."""

    unit = models.OneToOneField("org.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    geometry = models.JSONField(_("boundary"))

    class Meta:
        verbose_name = _("unit boundary")
        verbose_name_plural = _("unit boundaries")


class PatrolArea(UnitOwned):
    """A patrol area (巡查区域) with its named responsible person (巡查区域责任人, seed 001 2.1)."""

    name = models.CharField(_("area"), max_length=100)
    responsible = models.CharField(_("responsible person"), max_length=50)
    responsible_phone = models.CharField(_("phone of the responsible person"), max_length=20, blank=True)
    description = models.CharField(_("villages and parcels covered"), max_length=300, blank=True)
    geometry = models.JSONField(_("outline"), null=True, blank=True)

    class Meta:
        ordering = ["unit", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="patrol_area_unique_name")]
        verbose_name = _("patrol area")
        verbose_name_plural = _("patrol areas")

    def __str__(self):
        return f"{self.name}（{self.responsible}）"


class PatrolPlan(UnitOwned):
    """The monthly patrol plan of one area: how many patrols, and any key periods."""

    area = models.ForeignKey(PatrolArea, on_delete=models.CASCADE, related_name="plans", verbose_name=_("area"))
    month = models.DateField(_("month"))  # the first day of the month
    planned = models.PositiveSmallIntegerField(_("patrols planned"))
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["-month", "area"]
        constraints = [models.UniqueConstraint(fields=["area", "month"], name="patrol_plan_one_per_month")]
        verbose_name = _("patrol plan")
        verbose_name_plural = _("patrol plans")


class Patrol(UnitOwned):
    """One patrol (巡查记录): the day, who went, the route, what was found."""

    area = models.ForeignKey(PatrolArea, on_delete=models.PROTECT, null=True, blank=True, related_name="patrols",
                             verbose_name=_("area"))
    patrol_date = models.DateField(_("date"), db_index=True)
    inspectors = models.CharField(_("inspectors"), max_length=200)
    route = models.CharField(_("route"), max_length=300, blank=True)
    summary = models.TextField(_("findings and handling"), blank=True)
    key_period = models.BooleanField(_("holiday or key period"), default=False)
    unannounced = models.BooleanField(_("unannounced check (暗访)"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-patrol_date", "-pk"]
        indexes = [models.Index(fields=["unit", "patrol_date"], name="patrol_unit_date")]
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")

    def __str__(self):
        return f"{self.patrol_date} {self.area.name if self.area_id else ''} {self.inspectors}".strip()

    def get_absolute_url(self) -> str:
        return reverse("patrols:detail", kwargs={"pk": self.pk})


class TrackSegment(models.Model):
    """One stretch of a patrol's track, as recorded between two gaps: a GeoJSON LineString.

    Segments are never joined: a gap in the fixes is a gap on the map. The same stretch sent
    by two team members (or twice) is stored once (the digest)."""

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="segments", verbose_name=_("patrol"))
    geometry = models.JSONField(_("track"))
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"))
    points = models.PositiveIntegerField(_("points"))
    length_m = models.PositiveIntegerField(_("length (m)"))
    digest = models.CharField(max_length=64)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))

    class Meta:
        ordering = ["patrol", "started_at"]
        constraints = [models.UniqueConstraint(fields=["patrol", "digest"], name="track_segment_once")]
        verbose_name = _("track segment")
        verbose_name_plural = _("track segments")

    def __str__(self) -> str:
        return f"{self.patrol_id}: {self.started_at:%Y-%m-%d %H:%M}–{self.ended_at:%H:%M} ({self.length_m} m)"


class Finding(UnitOwned):
    """A finding of a patrol (发现问题): where, what, a photo; registered as a clue in one step."""

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="findings", verbose_name=_("patrol"))
    description = models.TextField(_("what was found"))
    location = models.JSONField(_("location"), null=True, blank=True)  # a GeoJSON Point
    place = models.CharField(_("place"), max_length=200, blank=True)
    photo = models.ForeignKey("core.Attachment", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("photo"))
    clue_id = models.CharField(_("clue"), max_length=40, blank=True)
    clue_url = models.CharField(_("clue page"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["patrol", "created_at", "pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self):
        return self.description[:40]

    def get_absolute_url(self) -> str:
        return reverse("patrols:detail", kwargs={"pk": self.patrol_id}) + f"#finding-{self.pk}"
