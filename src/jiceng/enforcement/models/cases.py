"""Enforcement officers with their certificates (执法证) and violation cases (违法案件) with their documents.

A case moves through the declared workflow of workflows.CASE; its stored deadline (LedgerRow) is the
current step's (初查, 决定, 送达, 缴款), while the decision's 90-day deadline (with any approved
extension), the statement and hearing periods and the publication due date are kept beside it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.deadlines import Deadline
from jiceng.core.ledger import LedgerRow
from jiceng.core.models import UnitOwned


class Officer(UnitOwned):
    """An enforcement officer and the certificate that lets them handle cases (seed 001 1.4: 持证上岗)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enforcement_officer",
                                verbose_name=_("account"))
    name = models.CharField(_("name"), max_length=50)
    certificate_no = models.CharField(_("enforcement certificate number"), max_length=40)
    valid_from = models.DateField(_("certificate valid from"))
    valid_to = models.DateField(_("certificate valid to"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("enforcement officer")
        verbose_name_plural = _("enforcement officers")

    def __str__(self):
        return f"{self.name}（{self.certificate_no}）"

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_to


class CaseState(models.TextChoices):
    FOUND = "found", _("Found")
    CHECKED = "checked", _("Initial check done")
    STOP_ORDERED = "stop_ordered", _("Stop order served")
    ESCALATED = "escalated", _("Stop failed, reported")
    FILED = "filed", _("Filed")
    INVESTIGATED = "investigated", _("Investigated")
    NOTIFIED = "notified", _("Penalty notice served")
    REVIEWED = "reviewed", _("Legal review done")
    DECIDED = "decided", _("Decision made")
    SERVED = "served", _("Decision served")
    EXECUTED = "executed", _("Executed")
    CLOSED = "closed", _("Closed")
    ARCHIVED = "archived", _("Archived")


class Resource(models.TextChoices):
    LAND = "land", _("Land")
    MINERAL = "mineral", _("Mineral")


class ReviewOutcome(models.TextChoices):
    NONE = "", _("No review or litigation")
    UPHELD = "upheld", _("Upheld")
    REVOKED = "revoked", _("Revoked")
    VARIED = "varied", _("Varied")
    CONFIRMED_ILLEGAL = "confirmed_illegal", _("Confirmed illegal")


class Execution(models.TextChoices):
    PAID = "paid", _("Fine paid")
    RECTIFIED = "rectified", _("Rectified")
    DEMOLISHED = "demolished", _("Demolished")
    ENFORCED = "enforced", _("Court enforcement applied for")


# The departments a failed stop is copied to (seed 001 2.5).
COPY_DEPARTMENTS = ("发改", "规划", "建设", "林业", "农业", "水利")

# The archive checklist of a case file (seed 001 4.1-4.3; 案卷质量评查).
ARCHIVE_CHECKLIST = (
    ("clue", _("Clue or discovery record")),
    ("stop_order", _("Stop order (责令停止违法行为通知书)")),
    ("filing", _("Filing approval form (立案审批表)")),
    ("evidence", _("Investigation records and evidence")),
    ("notice", _("Penalty notice (行政处罚告知书)")),
    ("decision", _("Penalty decision (行政处罚决定书)")),
    ("service", _("Proof of service (送达回证)")),
    ("execution", _("Proof of execution")),
    ("closing", _("Closing report (结案报告)")),
)


class Case(LedgerRow):
    open_states = tuple(s for s in CaseState.values if s not in (CaseState.CLOSED, CaseState.ARCHIVED))

    state = models.CharField(_("state"), max_length=30, db_index=True, choices=CaseState.choices)
    number = models.CharField(_("case number"), max_length=40, blank=True, db_index=True)
    title = models.CharField(_("case"), max_length=200)
    clue = models.OneToOneField("enforcement.Clue", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="case", verbose_name=_("clue"))
    found_on = models.DateField(_("found on"))
    found_by_patrol = models.BooleanField(_("found by patrol"), default=False)
    resource = models.CharField(_("land or mineral"), max_length=10, choices=Resource.choices, default=Resource.LAND)
    party = models.CharField(_("party"), max_length=100)
    party_is_person = models.BooleanField(_("the party is a person"), default=True)
    location = models.JSONField(_("location (GeoJSON)"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    area = models.DecimalField(_("area (m²)"), max_digits=12, decimal_places=2, null=True, blank=True)
    officers = models.ManyToManyField(Officer, blank=True, related_name="cases", verbose_name=_("officers"))
    major = models.BooleanField(_("major case (needs legal review)"), default=False)
    hearing_qualifies = models.BooleanField(_("the penalty qualifies for a hearing"), default=False)
    public_filing = models.BooleanField(_("publicly filed (公开立案)"), default=False)
    exposed = models.BooleanField(_("exposed (公开曝光)"), default=False)
    joint_departments = models.CharField(_("joint enforcement departments"), max_length=200, blank=True)
    review_outcome = models.CharField(_("review or litigation outcome"), max_length=20, choices=ReviewOutcome.choices,
                                      blank=True)
    # Steps.
    checked_on = models.DateField(_("initial check on"), null=True, blank=True)
    check_findings = models.TextField(_("initial check findings"), blank=True)
    stop_served_on = models.DateField(_("stop order served on"), null=True, blank=True)
    stop_reported_on = models.DateField(_("stop order reported on"), null=True, blank=True)
    escalated_on = models.DateField(_("written report on"), null=True, blank=True)
    copied_to = models.CharField(_("copied to"), max_length=200, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    decision_deadline = models.JSONField(_("decision deadline"), null=True, blank=True)
    investigation_summary = models.TextField(_("investigation findings"), blank=True)
    notified_on = models.DateField(_("notice served on"), null=True, blank=True)
    statement_due = models.DateField(_("statement and defence due"), null=True, blank=True)
    hearing_request_due = models.DateField(_("hearing request due"), null=True, blank=True)
    hearing_requested = models.BooleanField(_("hearing requested"), default=False)
    hearing_on = models.DateField(_("hearing on"), null=True, blank=True)
    reviewed_on = models.DateField(_("legal review on"), null=True, blank=True)
    review_opinion = models.TextField(_("legal review opinion"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    fine = models.DecimalField(_("fine (yuan)"), max_digits=14, decimal_places=2, default=Decimal("0"))
    penalty_text = models.TextField(_("penalty"), blank=True)
    served_on = models.DateField(_("decision served on"), null=True, blank=True)
    effective_on = models.DateField(_("decision takes effect on"), null=True, blank=True)
    publication_due = models.DateField(_("publication due"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    payment_due = models.DateField(_("payment due"), null=True, blank=True)
    executed_on = models.DateField(_("executed on"), null=True, blank=True)
    execution = models.CharField(_("execution"), max_length=20, choices=Execution.choices, blank=True)
    paid_amount = models.DecimalField(_("paid (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    closing_summary = models.TextField(_("closing summary"), blank=True)
    archive_checklist = models.JSONField(_("archive checklist"), default=dict, blank=True)
    archived_on = models.DateField(_("archived on"), null=True, blank=True)

    class Meta:
        ordering = ["-found_on", "-pk"]
        verbose_name = _("violation case")
        verbose_name_plural = _("violation cases")
        indexes = [models.Index(fields=["unit", "state", "due_on"], name="enf_case_unit_state_due")]

    def __str__(self):
        return self.number or self.title

    @property
    def decision_due(self) -> date | None:
        return Deadline.from_json(self.decision_deadline).due if self.decision_deadline else None

    @property
    def decision_deadline_value(self) -> Deadline | None:
        return Deadline.from_json(self.decision_deadline) if self.decision_deadline else None

    @property
    def publication_met(self) -> bool | None:
        """Published within 20 days of taking effect: True / False, or None while not due and not published."""
        if self.publication_due is None:
            return None
        if self.published_on is not None:
            return self.published_on <= self.publication_due
        from django.utils import timezone

        return False if timezone.localdate() > self.publication_due else None

    @property
    def party_public(self) -> str:
        """The party as the public page shows it: a person's name reduced to the surname (张某)."""
        if not self.party_is_person or not self.party:
            return self.party
        return self.party[0] + "某"

    def late_fee(self, on: date) -> Decimal:
        from ..fees import late_fee

        return late_fee(self.fine, self.payment_due, self.executed_on if self.execution == Execution.PAID else on)


class DocumentKind(models.TextChoices):
    STOP_ORDER = "stop_order", _("Stop order (责令停止违法行为通知书)")
    FILING = "filing", _("Filing approval form (立案审批表)")
    NOTICE = "notice", _("Penalty notice (行政处罚告知书)")
    DECISION = "decision", _("Penalty decision (行政处罚决定书)")
    CLOSING = "closing", _("Closing report (结案报告)")


class CaseDocument(UnitOwned):
    """A document generated from a case, numbered per unit, kind and year, kept as docx and PDF."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents", verbose_name=_("case"))
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial number"))
    number = models.CharField(_("document number"), max_length=60)
    docx = models.ForeignKey("core.Attachment", on_delete=models.PROTECT, related_name="+", verbose_name=_("Word file"))
    pdf = models.ForeignKey("core.Attachment", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                            verbose_name=_("PDF file"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["unit", "kind", "year", "serial"], name="enf_doc_number_unique")]
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"
