"""The service window: the catalogue of 政务服务事项 with versioned guides, and the cases (办件).

A ServiceItem is the stable identity (its code is in the public URL, unique platform-wide);
every change of its elements or guide is a new ServiceItemVersion (who, why), and a case pins
the version it was received under. Materials belong to a version.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.ledger import LedgerRow
from jiceng.core.models import UnitOwned
from jiceng.core.pii import EncryptedIdNumberField, MobileField


class ItemType(models.TextChoices):
    LICENCE = "licence", _("Administrative licence")
    CONFIRMATION = "confirmation", _("Administrative confirmation")
    BENEFIT = "benefit", _("Administrative benefit")
    RULING = "ruling", _("Administrative ruling")
    REGISTRATION = "registration", _("Registration")
    PUBLIC_SERVICE = "public_service", _("Public service")
    OTHER = "other", _("Other administrative power")


class ItemClass(models.TextChoices):
    """Seed 002: 即时办结 / 限时办结 / 并联审批."""

    INSTANT = "instant", _("Completed on the spot")
    LIMITED = "limited", _("Completed within a time limit")
    PARALLEL = "parallel", _("Parallel review")


class HandlingLevel(models.TextChoices):
    VILLAGE = "village", _("Village agency point")
    TOWNSHIP = "township", _("Township centre")
    COUNTY = "county", _("County")


class ServiceItem(UnitOwned):
    code = models.CharField(_("item code"), max_length=40, unique=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("service item")
        verbose_name_plural = _("service items")

    def __str__(self):
        return self.code

    @property
    def current(self) -> ServiceItemVersion | None:
        """The version in force (``is_current``); prefetched as ``current_list`` by the selectors' lists."""
        if hasattr(self, "current_list"):
            return self.current_list[0] if self.current_list else None
        if not hasattr(self, "_current"):
            self._current = self.versions.filter(is_current=True).first()
        return self._current


class ServiceItemVersion(models.Model):
    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="versions", verbose_name=_("item"))
    number = models.PositiveIntegerField(_("version"))
    is_current = models.BooleanField(_("in force"), default=False, db_index=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("changed by"))
    change_reason = models.CharField(_("reason for the change"), max_length=300)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The six basic elements.
    name = models.CharField(_("name"), max_length=200, db_index=True)
    item_type = models.CharField(_("type"), max_length=20, choices=ItemType.choices)
    department = models.CharField(_("competent department"), max_length=100)
    implementing_body = models.CharField(_("implementing body"), max_length=100)
    legal_basis = models.TextField(_("basis for setting and implementing"))
    # The guide.
    conditions = models.TextField(_("acceptance conditions"), blank=True)
    procedure = models.TextField(_("procedure"), blank=True)
    statutory_days = models.PositiveIntegerField(_("statutory limit (working days)"))
    promised_days = models.PositiveIntegerField(_("promised limit (working days)"), help_text=_("0 = completed on the spot"))
    no_fee = models.BooleanField(_("no fee"), default=True)
    fees = models.JSONField(_("fees"), default=list, blank=True)  # [{"item", "basis", "standard"}]
    place = models.CharField(_("place"), max_length=200, blank=True)
    hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    phone = models.CharField(_("enquiry phone"), max_length=40, blank=True)
    handling_level = models.CharField(_("handling level"), max_length=20, choices=HandlingLevel.choices,
                                      default=HandlingLevel.TOWNSHIP)
    item_class = models.CharField(_("class"), max_length=20, choices=ItemClass.choices, default=ItemClass.LIMITED)
    # Seed 004 tags.
    tag_immediate = models.BooleanField(_("done at once (马上办)"), default=False)
    tag_online = models.BooleanField(_("online (网上办)"), default=False)
    tag_nearby = models.BooleanField(_("nearby (就近办)"), default=False)
    tag_once = models.BooleanField(_("one visit (一次办)"), default=False)
    # 代办 and 跨乡通办.
    agency_point = models.BooleanField(_("village agency point may act"), default=False)
    grid_help = models.BooleanField(_("grid workers may help"), default=False)
    bank_partner = models.BooleanField(_("partner banks may take it"), default=False)
    cross_township = models.BooleanField(_("accepted in any township"), default=False)

    class Meta:
        ordering = ["item", "-number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="window_item_version_unique"),
                       models.UniqueConstraint(fields=["item"], condition=models.Q(is_current=True),
                                               name="window_one_current_version")]
        verbose_name = _("service item version")

    def __str__(self):
        return f"{self.item.code} v{self.number} {self.name}"

    @property
    def instant(self) -> bool:
        return self.promised_days == 0


class Material(models.Model):
    version = models.ForeignKey(ServiceItemVersion, on_delete=models.CASCADE, related_name="materials",
                                verbose_name=_("version"))
    order = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("material"), max_length=200)
    original = models.BooleanField(_("original (not a copy)"), default=False)
    copies = models.PositiveIntegerField(_("copies"), default=1)
    required = models.BooleanField(_("required"), default=True)
    blank_form = models.ForeignKey("core.Attachment", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("blank form"))
    sample = models.ForeignKey("core.Attachment", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("filled sample"))

    class Meta:
        ordering = ["version", "order", "pk"]
        verbose_name = _("material")

    def __str__(self):
        return self.name


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    CORRECTING = "correcting", _("Correcting materials")
    ACCEPTED = "accepted", _("Accepted")
    REVIEWED = "reviewed", _("Reviewed")
    DECIDED = "decided", _("Decided")
    DELIVERED = "delivered", _("Delivered")
    REFUSED = "refused", _("Not accepted")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class Channel(models.TextChoices):
    WINDOW = "window", _("At the window")
    ONLINE = "online", _("Online")
    AGENT = "agent", _("Agent on behalf of the applicant")


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    DENIED = "denied", _("Denied")


class Case(LedgerRow):
    open_states = (State.RECEIVED, State.CORRECTING, State.ACCEPTED, State.REVIEWED, State.DECIDED)

    number = models.CharField(_("case number"), max_length=40, unique=True)
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="cases", verbose_name=_("item"))
    item_version = models.ForeignKey(ServiceItemVersion, on_delete=models.PROTECT, related_name="cases",
                                     verbose_name=_("item version"))
    applicant_kind = models.CharField(_("applicant kind"), max_length=20, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("applicant"), max_length=200)
    applicant_id_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    applicant_id_number = EncryptedIdNumberField(_("ID card number"), blank=True, hash_field="applicant_id_hash")
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True, db_index=True)
    phone = MobileField(_("phone"), blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.WINDOW)
    agent_name = models.CharField(_("agent"), max_length=100, blank=True)
    consent = models.TextField(_("applicant's consent"), blank=True)
    materials_ticked = models.JSONField(_("materials received"), default=list, blank=True)  # Material pks
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("received by"))
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("handler"))
    received_at = models.DateTimeField(_("received at"), db_index=True)
    received_on = models.DateField(_("received on"), db_index=True)
    noticed_on = models.DateField(_("correction notice given on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True, db_index=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    deemed_accepted = models.BooleanField(_("deemed accepted (no notice in 5 working days)"), default=False)
    refused_at = models.DateTimeField(_("refused at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for not accepting"), blank=True)
    refusal_basis = models.TextField(_("legal basis"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_opinion = models.TextField(_("review opinion"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, db_index=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True, db_index=True)
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices, blank=True)
    decision_text = models.TextField(_("decision"), blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    delivery_due = models.DateField(_("delivery due"), null=True, blank=True)
    promised_due = models.DateField(_("promised due"), null=True, blank=True, db_index=True)
    statutory_due = models.DateField(_("statutory due"), null=True, blank=True, db_index=True)
    statutory_data = models.JSONField(_("statutory deadline"), null=True, blank=True)
    working_days = models.PositiveIntegerField(_("working days taken"), null=True, blank=True)
    extended = models.BooleanField(_("extended"), default=False)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("window case")
        verbose_name_plural = _("window cases")
        indexes = [models.Index(fields=["unit", "state", "due_on"], name="window_case_unit_state_due"),
                   models.Index(fields=["unit", "received_on"], name="window_case_unit_received")]

    def __str__(self):
        return self.number

    def get_state_display(self) -> str:
        return str(dict(State.choices).get(self.state, self.state))


class Handover(UnitOwned):
    """A case handed from one handler to another: who, to whom, by whom, why (the receiver stays recorded)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handovers", verbose_name=_("case"))
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("from"))
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("to"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("handed over by"))
    reason = models.CharField(_("reason"), max_length=300)
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["case", "at", "pk"]
        verbose_name = _("handover")

    def __str__(self):
        return f"{self.case} → {self.to_user}"


class Notice(UnitOwned):
    """The one-time correction notice (一次性告知 / 补正告知书): every missing or wrong material at once."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices", verbose_name=_("case"))
    number = models.CharField(_("notice number"), max_length=50, unique=True)
    given_on = models.DateField(_("given on"))
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("given by"))
    items = models.JSONField(_("materials to correct"))  # [{"material": name, "problem": text}]
    returned_on = models.DateField(_("materials returned on"), null=True, blank=True)

    class Meta:
        ordering = ["case", "given_on", "pk"]
        verbose_name = _("correction notice")

    def __str__(self):
        return self.number


class Authorisation(UnitOwned):
    """A chief representative's recorded authorisation (首席代表授权) at a unit, with its document."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("chief representative"))
    department = models.CharField(_("department"), max_length=100)
    document = models.CharField(_("authorising document"), max_length=200)
    powers = models.JSONField(_("powers"), default=list)  # of Power values
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["unit", "-valid_from"]
        verbose_name = _("chief representative authorisation")

    def __str__(self):
        return f"{self.user} {self.department}"


class Power(models.TextChoices):
    """Seed 002: the four powers a 首席代表 is granted by formal document."""

    DECIDE = "decide", _("Power of approval decision")
    COORDINATE = "coordinate", _("Power of organisation and coordination")
    REVIEW_REPORT = "review_report", _("Power of review and reporting upward")
    SEAL = "seal", _("Use of the administrative approval seal")
