"""Numbers per unit, kind and year without gaps (〔2026〕3号), safe under concurrent writers."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Counter(models.Model):
    """The last number given for (unit, kind, year); taken under a row lock inside the caller's transaction."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=30)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "kind", "year"], name="enf_counter_unique")]
        verbose_name = _("number counter")
        verbose_name_plural = _("number counters")

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"
