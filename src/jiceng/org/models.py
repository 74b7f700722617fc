"""Units (the organisation tree) and the staff who work in them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from jiceng.core.models import UnitOwned, UnitOwnedQuerySet
from jiceng.core.pii import EncryptedIdNumberField, MobileField, lookup_hash
from jiceng.core.scoping import ScopedQuerySet


class UnitKind(models.TextChoices):
    CITY = "city", _("City bureau")
    COUNTY = "county", _("County bureau / branch")
    OFFICE = "office", _("Grassroots office")
    TOWNSHIP = "township", _("Township / sub-district")
    SERVICE_CENTRE = "service_centre", _("Township service centre")
    VILLAGE = "village", _("Village / community agency point")
    GRID = "grid", _("Grid")


# Which kinds may sit directly under which: the tree follows the seeds'
# hierarchy (city → county → office / township → service centre / village → grid).
ALLOWED_CHILDREN: dict[str, set[str]] = {
    UnitKind.CITY: {UnitKind.COUNTY},
    UnitKind.COUNTY: {UnitKind.OFFICE, UnitKind.TOWNSHIP},
    UnitKind.OFFICE: set(),
    UnitKind.TOWNSHIP: {UnitKind.SERVICE_CENTRE, UnitKind.VILLAGE, UnitKind.GRID},
    UnitKind.SERVICE_CENTRE: set(),
    UnitKind.VILLAGE: {UnitKind.GRID},
    UnitKind.GRID: set(),
}


class OfficeType(models.TextChoices):
    CENTRAL = "central", _("Central office")
    TOWNSHIP = "township", _("Township office")


class EstablishmentLevel(models.TextChoices):
    SECTION_CHIEF = "zhengke", _("Section-chief level")
    DEPUTY_SECTION_CHIEF = "fuke", _("Deputy section-chief level")
    STOCK = "zhenggu", _("Stock level")


class UnitQuerySet(ScopedQuerySet, MP_NodeQuerySet):
    pass


class UnitManager(MP_NodeManager):
    def get_queryset(self):
        return UnitQuerySet(self.model, using=self._db).order_by("path")

    # MP_NodeManager does not proxy queryset methods, so the scoping entry
    # points are forwarded by hand (Unit.objects.restrict(user, action)).
    def restrict(self, user, action: str):
        return self.get_queryset().restrict(user, action)

    def visible_to(self, user):
        return self.get_queryset().visible_to(user)

    def editable_by(self, user):
        return self.get_queryset().editable_by(user)


class Unit(MP_Node):
    """A node of the organisation tree: a bureau, an office, a township, a village or a grid.

    The materialised `path` (django-treebeard) makes "this unit and everything
    below it" a single indexed prefix query; it is also the key of the scoping
    mechanism (core.scoping). Office facts are nullable columns used only by
    offices; they feed the standards card (org.standards).
    """

    steplen = 4
    scope_path_lookup = "path"

    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=32, unique=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    office_type = models.CharField(_("office type"), max_length=20, choices=OfficeType.choices, blank=True)
    establishment_level = models.CharField(
        _("establishment level"), max_length=20, choices=EstablishmentLevel.choices, blank=True
    )
    authorised_posts = models.PositiveIntegerField(_("authorised posts"), null=True, blank=True)
    floor_area = models.DecimalField(_("office floor area (m²)"), max_digits=8, decimal_places=1, null=True, blank=True)
    has_meeting_room = models.BooleanField(_("meeting room"), default=False)
    has_petition_room = models.BooleanField(_("petition reception room"), default=False)
    vehicles = models.PositiveIntegerField(_("vehicles"), default=0)
    has_copier = models.BooleanField(_("copier"), default=False)
    has_fax = models.BooleanField(_("fax"), default=False)
    has_camera = models.BooleanField(_("camera"), default=False)
    computers = models.PositiveIntegerField(_("computers"), default=0)
    networked = models.BooleanField(_("networked to the county"), default=False)

    objects = UnitManager()

    node_order_by = None

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        indexes = [models.Index(fields=["kind", "path"], name="unit_kind_path")]

    def __str__(self):
        return self.name

    @property
    def is_office(self) -> bool:
        return self.kind == UnitKind.OFFICE


class Gender(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("Postgraduate")
    BACHELOR = "bachelor", _("Bachelor")
    JUNIOR_COLLEGE = "junior_college", _("Junior college")
    SECONDARY = "secondary", _("Technical secondary / high school")
    BASIC = "basic", _("Junior high school or below")


class PoliticalStatus(models.TextChoices):
    CPC_MEMBER = "cpc", _("CPC member")
    CPC_PROBATIONARY = "cpc_probationary", _("CPC probationary member")
    CYL_MEMBER = "cyl", _("Communist Youth League member")
    DEMOCRATIC_PARTY = "democratic_party", _("Democratic party member")
    MASSES = "masses", _("No party affiliation")


class EmploymentType(models.TextChoices):
    ON_ESTABLISHMENT = "on_establishment", _("On establishment, in post")
    OFF_ESTABLISHMENT = "off_establishment", _("Off establishment")
    AGENCY = "agency", _("Personnel agency")
    SECONDED = "seconded", _("Seconded")


class Post(models.TextChoices):
    HEAD = "head", _("Office head")
    DEPUTY_HEAD = "deputy_head", _("Deputy office head")
    STAFF = "staff", _("Office staff")
    WINDOW = "window", _("Window staff")
    CHIEF_REPRESENTATIVE = "chief_representative", _("Chief representative")
    INSPECTOR = "inspector", _("Enforcement officer")
    ASSISTANT_INSPECTOR = "assistant_inspector", _("Assistant inspector")
    GRID_WORKER = "grid_worker", _("Grid worker")
    AGENT = "agent", _("Village agent")


class StaffQuerySet(UnitOwnedQuerySet):
    def active(self):
        return self.filter(active=True)

    def with_id_number(self, value: str):
        """Exact look-up of an ID number through its keyed hash (the stored value is encrypted)."""
        return self.filter(id_number_hash=lookup_hash(value))


class Staff(UnitOwned):
    """A person working in a unit, with the facts the standards card and rubrics count.

    `establishment_unit` is the unit whose authorised post the person occupies;
    seed 003 reports offices whose staff sit on other offices' establishment
    (占用其他所编制), so it may differ from `unit`.
    """

    # UnitOwned: the scope runs through `unit` (scope_path_lookup "unit__path"); the field is redeclared
    # for its reverse name `unit.staff` (no schema change).
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="staff", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices)
    political_status = models.CharField(
        _("political status"), max_length=20, choices=PoliticalStatus.choices, default=PoliticalStatus.MASSES
    )
    employment_type = models.CharField(_("employment type"), max_length=20, choices=EmploymentType.choices)
    establishment_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="establishment_staff",
        verbose_name=_("establishment unit"),
    )
    post = models.CharField(_("post"), max_length=30, choices=Post.choices)
    post_start = models.DateField(_("in post since"), null=True, blank=True)
    phone = MobileField(_("phone"), blank=True)
    # The hash column must come before the encrypted one: setting the ID number
    # fills it in, and the model's constructor assigns fields in order.
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number = EncryptedIdNumberField(_("ID card number"), blank=True, hash_field="id_number_hash")
    active = models.BooleanField(_("active"), default=True)

    objects = StaffQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["unit__path", "post", "name"]
        indexes = [models.Index(fields=["unit", "active"], name="staff_unit_active")]

    def __str__(self):
        return self.name
