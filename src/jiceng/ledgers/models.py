"""The office's other ledgers (seed 000 3.3–3.5, 3.7, 4.5; seed 001 6.1): petitions, duty, geohazard points,
housing approvals and construction-land supervision, filings."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.ledger import LedgerRow
from jiceng.core.models import UnitOwned


class _Page:
    url_name = ""

    def get_absolute_url(self) -> str:
        return reverse("ledgers:row", kwargs={"kind": self.ledger_kind, "pk": self.pk})


# --- 信访 ---------------------------------------------------------------------------------------------

class PetitionState(models.TextChoices):
    RECEIVED = "received", _("Received")
    HANDLING = "handling", _("Being handled")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")


class Channel(models.TextChoices):
    VISIT = "visit", _("Visit")
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone")
    ONLINE = "online", _("Online")
    HOTLINE = "hotline", _("12336 hotline")


class PetitionCategory(models.TextChoices):
    LAND = "land", _("Land use")
    HOUSING = "housing", _("House building")
    EXPROPRIATION = "expropriation", _("Expropriation and compensation")
    MINERAL = "mineral", _("Minerals")
    PLANNING = "planning", _("Planning")
    GEOHAZARD = "geohazard", _("Geological hazard")
    OTHER = "other", _("Other")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASIC = "basic", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class Petition(_Page, LedgerRow):
    """A petition (信访件): received, handled within 60 days (信访工作条例 第三十二条), replied, closed."""

    ledger_kind = "petitions"
    open_states = (PetitionState.RECEIVED, PetitionState.HANDLING, PetitionState.REPLIED)

    state = models.CharField(_("state"), max_length=30, db_index=True, choices=PetitionState.choices)
    number = models.CharField(_("number"), max_length=30)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    superior_assigned = models.BooleanField(_("assigned by a superior (上级交办)"), default=False)
    category = models.CharField(_("category"), max_length=20, choices=PetitionCategory.choices)
    petitioner = models.CharField(_("petitioner"), max_length=50)
    subject = models.CharField(_("matter"), max_length=300)
    handling = models.TextField(_("handling"), blank=True)
    reply = models.TextField(_("reply"), blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["unit", "number"], name="petition_number_per_unit")]
        indexes = [models.Index(fields=["unit", "opened_on"], name="petition_unit_opened"),
                   models.Index(fields=["state", "due_on"], name="petition_state_due")]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")

    def __str__(self):
        return f"{self.number} {self.subject[:30]}"


# --- 值班 ---------------------------------------------------------------------------------------------

class DutyKind(models.TextChoices):
    FLOOD = "flood", _("Flood season")
    HOLIDAY = "holiday", _("Holiday")


class DutyRoster(_Page, UnitOwned):
    """One day of the flood-season or holiday duty roster (汛期/节假日值班表)."""

    ledger_kind = "duty"
    kind = models.CharField(_("kind"), max_length=10, choices=DutyKind.choices)
    duty_date = models.DateField(_("date"))
    leader = models.CharField(_("leader on duty"), max_length=50)
    staff = models.CharField(_("staff on duty"), max_length=200)
    phone = models.CharField(_("duty phone"), max_length=20)
    log = models.TextField(_("duty log"), blank=True)

    class Meta:
        ordering = ["-duty_date", "pk"]
        constraints = [models.UniqueConstraint(fields=["unit", "kind", "duty_date"], name="duty_one_per_day")]
        verbose_name = _("duty day")
        verbose_name_plural = _("duty roster")

    def __str__(self):
        return f"{self.duty_date} {self.leader}"


class ReportKind(models.TextChoices):
    URGENT = "urgent", _("Urgent report (速报)")
    MAJOR = "major", _("Major-matter report (重大事项报告)")


class DutyReport(_Page, UnitOwned):
    """An urgent report (速报) or a major-matter report (重大事项报告), reported up level by level."""

    ledger_kind = "reports"
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    reported_at = models.DateTimeField(_("reported at"))
    reported_to = models.CharField(_("reported to"), max_length=100)
    subject = models.CharField(_("matter"), max_length=200)
    content = models.TextField(_("content"))

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("duty report")
        verbose_name_plural = _("urgent and major-matter reports")

    def __str__(self):
        return self.subject


# --- 地质灾害 -----------------------------------------------------------------------------------------

class HazardType(models.TextChoices):
    LANDSLIDE = "landslide", _("Landslide")
    COLLAPSE = "collapse", _("Collapse")
    DEBRIS_FLOW = "debris_flow", _("Debris flow")
    SUBSIDENCE = "subsidence", _("Ground subsidence")
    FISSURE = "fissure", _("Ground fissure")


class HazardPoint(_Page, UnitOwned):
    """A geological hazard point (地质灾害隐患点): where, what, whom it threatens, who watches it."""

    ledger_kind = "hazards"
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    hazard_type = models.CharField(_("type"), max_length=20, choices=HazardType.choices)
    location = models.JSONField(_("location"))  # a GeoJSON Point
    households = models.PositiveIntegerField(_("households threatened"), default=0)
    people = models.PositiveIntegerField(_("people threatened"), default=0)
    monitor = models.CharField(_("monitor"), max_length=50)
    monitor_phone = models.CharField(_("monitor's phone"), max_length=20, blank=True)
    active = models.BooleanField(_("still a hazard"), default=True)

    class Meta:
        ordering = ["unit", "code"]
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="hazard_code_per_unit")]
        verbose_name = _("hazard point")
        verbose_name_plural = _("hazard points")

    def __str__(self):
        return f"{self.code} {self.name}"


class HazardStatus(models.TextChoices):
    STABLE = "stable", _("Stable")
    DEFORMING = "deforming", _("Deforming")
    DANGER = "danger", _("Danger: evacuate")


class HazardPatrol(_Page, UnitOwned):
    """A flood-season patrol of a hazard point (汛期地质灾害巡查) and the status found."""

    ledger_kind = "hazard_patrols"
    point = models.ForeignKey(HazardPoint, on_delete=models.PROTECT, related_name="patrols", verbose_name=_("hazard point"))
    patrol_date = models.DateField(_("date"))
    inspector = models.CharField(_("inspector"), max_length=50)
    status = models.CharField(_("status"), max_length=20, choices=HazardStatus.choices)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-patrol_date", "-pk"]
        verbose_name = _("hazard patrol")
        verbose_name_plural = _("flood-season hazard patrols")

    def __str__(self):
        return f"{self.patrol_date} {self.point_id}"


# --- 个人建房 / 建设用地批后监管 -----------------------------------------------------------------------

class HousingState(models.TextChoices):
    APPLIED = "applied", _("Applied")
    PRE_NOTICE = "pre_notice", _("Pre-approval notice (批前公示)")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Post-approval publication (批后公布)")
    STAKED = "staked", _("Staked out (放线)")
    COMPLETED = "completed", _("Completion checked (竣工)")
    REFUSED = "refused", _("Refused")


class HousingApproval(_Page, LedgerRow):
    """A rural homestead / personal house-building application (农村宅基地/个人建房), step by step."""

    ledger_kind = "housing"
    open_states = (HousingState.APPLIED, HousingState.PRE_NOTICE, HousingState.APPROVED, HousingState.PUBLISHED,
                   HousingState.STAKED)

    state = models.CharField(_("state"), max_length=30, db_index=True, choices=HousingState.choices)
    applicant = models.CharField(_("applicant"), max_length=50)
    village = models.CharField(_("village"), max_length=100)
    site = models.CharField(_("site"), max_length=200)
    land_area = models.DecimalField(_("land area (m²)"), max_digits=8, decimal_places=1)
    floor_area = models.DecimalField(_("floor area (m²)"), max_digits=8, decimal_places=1, null=True, blank=True)
    pre_notice_on = models.DateField(_("pre-approval notice from"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approval_number = models.CharField(_("approval number"), max_length=40, blank=True)
    published_on = models.DateField(_("post-approval publication on"), null=True, blank=True)
    staked_on = models.DateField(_("staked out on"), null=True, blank=True)
    completed_on = models.DateField(_("completion checked on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("house-building application")
        verbose_name_plural = _("house-building applications")

    def __str__(self):
        return f"{self.applicant} {self.village}"


class LandSupervision(_Page, UnitOwned):
    """Post-approval supervision of a state construction-land parcel (建设用地批后监管, seed 001 6.1)."""

    ledger_kind = "land"
    parcel = models.CharField(_("parcel"), max_length=100)
    holder = models.CharField(_("land user"), max_length=100)
    contract_on = models.DateField(_("contract signed on"))
    agreed_start = models.DateField(_("agreed start of works"))
    info_published_on = models.DateField(_("information published on (信息公示)"), null=True, blank=True)
    start_declared_on = models.DateField(_("start of works declared on (开工申报)"), null=True, blank=True)
    completion_accepted_on = models.DateField(_("completion accepted on (竣工验收)"), null=True, blank=True)
    idle = models.BooleanField(_("idle land (闲置土地)"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["unit", "parcel"]
        verbose_name = _("construction-land supervision")
        verbose_name_plural = _("construction-land supervision")

    def __str__(self):
        return self.parcel


# --- 报件备案 ----------------------------------------------------------------------------------------

class FilingState(models.TextChoices):
    RECEIVED = "received", _("Received")
    FILED = "filed", _("Filed")


class Filing(_Page, LedgerRow):
    """A submission to file or forward (报件/备案): received, due within its working days, filed (seed 000 4.5)."""

    ledger_kind = "filings"
    open_states = (FilingState.RECEIVED,)

    state = models.CharField(_("state"), max_length=30, db_index=True, choices=FilingState.choices)
    title = models.CharField(_("title"), max_length=200)
    filing_type = models.CharField(_("type"), max_length=100)
    submitted_by = models.CharField(_("submitted by"), max_length=100)
    filed_to = models.CharField(_("filed with"), max_length=100, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("filing")
        verbose_name_plural = _("filings")

    def __str__(self):
        return self.title


class RowFile(UnitOwned):
    """A file attached to any ledger row (core.attachments), named by the row's kind and id."""

    kind = models.CharField(max_length=20)
    row_id = models.PositiveBigIntegerField()
    attachment = models.ForeignKey("core.Attachment", on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["kind", "row_id"], name="ledger_file_row")]
