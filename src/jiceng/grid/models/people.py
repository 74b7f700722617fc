"""Households and residents with the categories of 第十一、十九条: sensitive personal data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import UnitOwned
from jiceng.core.pii import EncryptedIdNumberField, MobileField, lookup_hash
from jiceng.core.scoping import ScopedQuerySet


class Category(models.TextChoices):
    # 第十九条 names the ones with visit rules; 第十一条 adds the others the worker keeps track of.
    ALONE_ELDERLY = "alone_elderly", _("Elderly living alone")
    ORPHAN = "orphan", _("Orphan")
    DISABLED = "disabled", _("Disabled person")
    SINGLE_MOTHER = "single_mother", _("Single mother in hardship")
    MIGRANT = "migrant", _("Migrant")
    ENTITLED = "entitled", _("Entitled to special care (优抚)")
    COMMUNITY_CORRECTION = "community_correction", _("Under community correction")
    DRUG_REHAB = "drug_rehab", _("In drug rehabilitation")
    RELEASED = "released", _("Released from prison")
    HARDSHIP_FAMILY = "hardship_family", _("Family in hardship")
    EMPTY_NEST = "empty_nest", _("Empty-nest elderly")
    LEFT_BEHIND_CHILD = "left_behind_child", _("Left-behind child")
    IDLE_YOUTH = "idle_youth", _("Idle youth")


# Need grid.sensitive on top of scope (issue 15).
SENSITIVE_CATEGORIES = frozenset({Category.COMMUNITY_CORRECTION, Category.DRUG_REHAB, Category.RELEASED})


class Household(UnitOwned):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="grid_households",
                             verbose_name=_("grid"))
    address = models.CharField(_("address"), max_length=200)
    head_name = models.CharField(_("head of household"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("household")
        constraints = [models.UniqueConstraint(fields=["unit", "address"], name="grid_household_address")]

    def __str__(self):
        return self.address


class ResidentQuerySet(ScopedQuerySet):
    def by_id_number(self, value):
        return self.filter(id_number_hash=lookup_hash(value))


class Resident(UnitOwned):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="grid_residents",
                             verbose_name=_("grid"))
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="residents",
                                  verbose_name=_("household"))
    name = models.CharField(_("name"), max_length=50)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number = EncryptedIdNumberField(_("ID card number"), blank=True, hash_field="id_number_hash")
    phone = MobileField(_("phone"), blank=True)
    # Any category of SENSITIVE_CATEGORIES: kept on the row so every list filters it in SQL.
    sensitive = models.BooleanField(default=False, db_index=True, editable=False)
    active = models.BooleanField(_("living in the grid"), default=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident")
        constraints = [models.UniqueConstraint(fields=["id_number_hash"], condition=~models.Q(id_number_hash=""),
                                               name="grid_resident_id_number")]

    def __str__(self):
        return self.name

    def category_codes(self) -> list[str]:
        return sorted(c.category for c in self.categories.all())


class ResidentCategory(models.Model):
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="categories")
    category = models.CharField(_("category"), max_length=30, choices=Category.choices, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resident", "category"], name="grid_resident_category")]

    def __str__(self):
        return self.category
