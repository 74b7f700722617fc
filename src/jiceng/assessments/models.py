"""Assessment campaigns and everything a unit's submission collects on its way to a result.

The yearly cycle of seed 000 (第十四–二十二条, 四、组织实施): an office scores
itself and files its declaration form, the county bureau reviews and writes its
opinion, the city bureau audits (by sample, cross-check or every unit), then
publishes; a later veto event takes the award back (摘牌). The work status of a
submission is kept apart from its result, which is frozen at publication.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.capabilities import VIEW
from jiceng.core.models import UnitOwned, UnitOwnedQuerySet

# The app's capabilities (assessments/capabilities.py), under the names the app has used.
from .capabilities import AUDIT_ASSESSMENTS as AUDIT
from .capabilities import BUREAU_SELF, GROUP_SCORE, PUBLISH, REVIEW, SELF_ASSESS  # noqa: F401  (imported from here by the app)


class AuditMode(models.TextChoices):
    SAMPLE = "sample", _("Random sample")
    CROSS = "cross", _("Cross-check between counties")
    ALL = "all", _("Every unit")


class SubjectKind(models.TextChoices):
    """What a campaign assesses: grassroots offices (seed 000) or county bureaus (seed 001)."""

    OFFICE = "office", _("Grassroots offices")
    COUNTY = "county", _("County bureaus")


class Campaign(UnitOwned):
    """One assessment round (e.g. 2021 规范化基层所建设考核) run by a city bureau.

    The scheme is frozen into the campaign: its YAML source text and SHA-256 are
    stored here and every score of the campaign is computed from that text, so a
    later edit of the scheme file never changes a running or past campaign. The
    audit sample is drawn with `seed` (anyone can re-draw it, see sampling.py);
    in cross-check mode `cross_check` maps each county's code to the code of the
    county that audits it.
    """

    name = models.CharField(_("name"), max_length=120)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("organising bureau")
    )
    scheme_id = models.CharField(_("scheme"), max_length=80)
    scheme_version = models.PositiveIntegerField(_("scheme version"))
    scheme_title = models.CharField(_("scheme title"), max_length=200)
    scheme_source = models.TextField(_("scheme source (frozen)"))
    scheme_sha256 = models.CharField(_("scheme SHA-256"), max_length=64)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    self_deadline = models.DateField(_("self-evaluation deadline"))
    review_deadline = models.DateField(_("county review deadline"))
    audit_deadline = models.DateField(_("city audit deadline"))
    audit_mode = models.CharField(_("audit mode"), max_length=10, choices=AuditMode.choices)
    sample_ratio = models.DecimalField(
        _("sample ratio"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.3"),
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("1"))],
    )
    seed = models.BigIntegerField(_("random seed"))
    cross_check = models.JSONField(_("cross-check assignment"), default=dict, blank=True)
    false_data_gap = models.DecimalField(
        _("false-data threshold (points)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("10"),
        help_text=_("A self-score above the reviewers' score by more than this raises a 数据不实 flag."),
    )
    # Seed 000 四(四): a second tier (创建示范基层所) chosen among the offices that reached the standard in
    # `tier_of`, with its own scheme and list.
    tier_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="tiers",
                                verbose_name=_("chosen among the offices that passed"))
    # Seed 000 四(三): an office applies for acceptance only after its self-check passes (the scheme's
    # `self_check` grade). Off by default until every campaign's city confirms it.
    self_check_required = models.BooleanField(_("self-check must pass before submission"), default=False)
    subject_kind = models.CharField(_("subjects"), max_length=12, choices=SubjectKind.choices,
                                    default=SubjectKind.OFFICE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment campaign")
        verbose_name_plural = _("assessment campaigns")
        ordering = ["-period_start", "-pk"]

    def __str__(self):
        return self.name


class CampaignTarget(models.Model):
    """A dated target: the share of participating offices that reach the standard by `due`.

    Seed 000 四(三): 50 % by the end of October 2021, all by the end of April 2022.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    due = models.DateField(_("due"))
    share = models.DecimalField(
        _("share"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("1"))],
    )

    class Meta:
        verbose_name = _("campaign target")
        verbose_name_plural = _("campaign targets")
        ordering = ["due"]
        constraints = [models.UniqueConstraint(fields=["campaign", "due"], name="campaign_target_unique_due")]

    def __str__(self):
        return f"{self.share:.0%} @ {self.due}"


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    REVIEWED = "reviewed", _("Reviewed by the county")
    AUDITED = "audited", _("Audited by the city")
    PUBLISHED = "published", _("Published")


class SubmissionQuerySet(UnitOwnedQuerySet):
    """Scoped reads and writes of submissions: `restrict(user, action)` with `Submission.scope_rules`.

    The named methods are the workflow's words for the same reads.
    """

    def self_assessable_by(self, user):
        """The office's own submission, for users holding SELF_ASSESS there."""
        return self.restrict(user, SELF_ASSESS)

    def reviewable_by(self, user):
        """Submissions whose reviewing unit (by default the county) lies in the user's REVIEW scope."""
        return self.restrict(user, REVIEW)

    def auditable_by(self, user):
        """Submissions whose auditing unit lies in the user's AUDIT scope, or REVIEW scope (cross-check)."""
        return self.restrict(user, AUDIT)


class Submission(UnitOwned):
    """One unit's participation in a campaign: its self-evaluation, reviews, declaration form and work status.

    `status` is where the paperwork stands; the result (达标 / 未达标, grade) is
    a separate frozen `Result`. `version` is the optimistic lock: every change
    carries the version it was based on, and a stale one is refused so two
    reviewers never overwrite each other silently. `needs_audit` is set for the
    drawn sample (or every unit, or every unit in cross-check mode); `auditor`
    is the unit that audits (the city, or another county when cross-checking).
    """

    # Reading also covers the auditing unit: in cross-check mode the reviewers of
    # another county audit these offices and must be able to open them.
    # A county bureau's own submission (seed 001) is opened by BUREAU_SELF on `bureau`, and the
    # city's assessment group (考评小组) reviews it by GROUP_SCORE on `group`: both are empty for
    # an office, so neither capability ever reaches an office's submission.
    scope_rules = {
        VIEW: [(VIEW, "unit__path"), (REVIEW, "auditor__path"), (AUDIT, "auditor__path")],
        SELF_ASSESS: [(SELF_ASSESS, "unit__path"), (BUREAU_SELF, "bureau__path")],
        REVIEW: [(REVIEW, "reviewer__path"), (GROUP_SCORE, "group__path")],
        AUDIT: [(AUDIT, "auditor__path"), (REVIEW, "auditor__path")],
    }

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="submissions")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="submissions", verbose_name=_("unit"))
    reviewer = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewing unit")
    )
    auditor = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("auditing unit")
    )
    bureau = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("county bureau assessed"))
    group = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("assessment group (考评小组)"))
    needs_audit = models.BooleanField(_("to be audited"), default=False)
    pilot = models.BooleanField(_("pilot (试点)"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)

    # Declaration form (申报表, seed 000 附件2); name, staff count, head, phone and
    # address are filled from the organisation data when the campaign is created.
    decl_name = models.CharField(_("office name"), max_length=100, blank=True)
    decl_staff_count = models.PositiveIntegerField(_("number of staff"), null=True, blank=True)
    decl_head = models.CharField(_("head"), max_length=50, blank=True)
    decl_phone = models.CharField(_("phone"), max_length=32, blank=True)
    decl_address = models.CharField(_("address"), max_length=200, blank=True)
    decl_situation = models.TextField(_("main situation of the standardization work"), blank=True)

    # An extension of the self-evaluation deadline granted by the city to this
    # submission alone (延期), with its reason; see `submit_deadline`.
    self_deadline_extended_to = models.DateField(_("self-evaluation deadline extended to"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    extended_by_name = models.CharField(max_length=150, blank=True)
    extended_at = models.DateTimeField(_("extended at"), null=True, blank=True)

    return_reason = models.TextField(_("reason for return"), blank=True)
    county_opinion = models.TextField(_("county opinion (考评意见)"), blank=True)
    opinion_date = models.DateField(_("opinion date"), null=True, blank=True)
    audit_opinion = models.TextField(_("audit opinion"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    audited_at = models.DateTimeField(_("audited at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["campaign", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="submission_unique_unit")]
        indexes = [models.Index(fields=["campaign", "status"], name="submission_campaign_status")]

    def __str__(self):
        return f"{self.campaign} · {self.unit}"

    @property
    def effective_self_deadline(self):
        """The last day of this office's self-evaluation: the campaign's, or the city's extension if later."""
        extended = self.self_deadline_extended_to
        deadline = self.campaign.self_deadline
        return extended if extended is not None and extended > deadline else deadline

    @property
    def campaign_submit_deadline(self):
        """The campaign's last day for this submission, without any extension: see `submit_deadline`."""
        if self.status == Status.RETURNED:
            return max(self.campaign.self_deadline, self.campaign.review_deadline)
        return self.campaign.self_deadline

    @property
    def submit_deadline(self):
        """The last day the office may submit (the deadline closes at the end of that day, local time).

        A draft may be submitted until its self-evaluation deadline (the city's
        extension, if later). A returned submission may be resubmitted until the
        county review deadline, or the city's extension if later: the county
        chose to return it inside its review window, so the office is not cut off
        by the county's timing, and when the county returns it too late the city
        extends it (up to the audit deadline, see `services.submission_extend_deadline`).
        An older extension that lies beyond the audit deadline (the city moved
        the audit deadline earlier after the office had used it) never carries a
        returned submission past the audit deadline.
        """
        if self.status == Status.RETURNED:
            campaign = self.campaign
            return max(min(self.effective_self_deadline, campaign.audit_deadline), campaign.review_deadline)
        return self.effective_self_deadline

    @property
    def submit_deadline_extended(self) -> bool:
        """Whether the city's extension (延期) is what sets `submit_deadline` (it lies after the campaign's date)."""
        return self.submit_deadline != self.campaign_submit_deadline


class Level(models.TextChoices):
    SELF = "self", _("Self-evaluation")
    COUNTY = "county", _("County review")
    CITY = "city", _("City audit")


class ItemMark(models.Model):
    """One level's score and comment for one scheme item of a submission, with who gave it and when.

    The office's own score, the county's and the city's stay side by side; the
    effective score is the highest level present (city over county over self).
    Earlier values are in the audit trail.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="marks")
    item_id = models.CharField(_("item"), max_length=20)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    # A rate item (threshold or linear rule) may be marked with its rate instead of points:
    # the engine scores numerator / denominator (marks.sheet); `score` then holds what it gave.
    numerator = models.PositiveIntegerField(_("numerator"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("denominator"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("item mark")
        verbose_name_plural = _("item marks")
        constraints = [
            models.UniqueConstraint(fields=["submission", "item_id", "level"], name="itemmark_unique_level")
        ]

    def __str__(self):
        return f"{self.item_id} {self.level} {self.score}"


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class NoDutyClaim(models.Model):
    """An office's claim that an item is not its duty (无职责项目), decided by the county and possibly the city.

    Seed 000 附件1 注: an approved claim scores half the item's points. The
    city's decision, when given at audit, overrides the county's.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="claims")
    item_id = models.CharField(_("item"), max_length=20)
    reason = models.TextField(_("reason"))
    county_decision = models.CharField(_("county decision"), max_length=10, choices=Decision.choices, blank=True)
    county_reason = models.TextField(_("county's reason"), blank=True)
    county_actor_name = models.CharField(max_length=150, blank=True)
    county_decided_at = models.DateTimeField(null=True, blank=True)
    city_decision = models.CharField(_("city decision"), max_length=10, choices=Decision.choices, blank=True)
    city_reason = models.TextField(_("city's reason"), blank=True)
    city_actor_name = models.CharField(max_length=150, blank=True)
    city_decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("no-duty claim")
        verbose_name_plural = _("no-duty claims")
        constraints = [models.UniqueConstraint(fields=["submission", "item_id"], name="claim_unique_item")]

    def __str__(self):
        return f"{self.submission} · {self.item_id}"

    @property
    def decision(self) -> str:
        return self.city_decision or self.county_decision


def evidence_path(instance, filename: str) -> str:
    # Used by migrations 0001-0004 only: evidence files are core attachments since 0005.
    # Named by content hash, never by the uploaded name (which may hold anything).
    return f"evidence/{instance.submission.campaign_id}/{instance.submission_id}/{instance.sha256}{_ext(instance)}"


def veto_evidence_path(instance, filename: str) -> str:
    return f"vetoes/{instance.submission.campaign_id}/{instance.evidence_sha256}{_ext(instance, 'evidence_type')}"


def _ext(instance, attr: str = "content_type") -> str:
    from .evidence import EXTENSIONS

    return EXTENSIONS.get(getattr(instance, attr), "")


class EvidenceManager(models.Manager):
    """The file's facts live on the attachment: fetch it with the evidence (also for `submission.evidence`)."""

    def get_queryset(self):
        return super().get_queryset().select_related("attachment")


class Evidence(models.Model):
    """A file placed next to one item of a submission (photo, PDF, spreadsheet, document).

    The file itself is a core `Attachment` owned by the submission's unit: its
    type decided from the content (magic bytes) and agreeing with its name, its
    size limited, its SHA-256 stored so that the file can be checked later.
    The properties below read through to it, so the evidence reads as before.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="evidence")
    item_id = models.CharField(_("item"), max_length=20)
    attachment = models.OneToOneField("core.Attachment", on_delete=models.PROTECT, related_name="evidence",
                                      verbose_name=_("file"))

    objects = EvidenceManager()

    PURPOSE = "assessments.evidence"

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["item_id", "attachment__uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    @property
    def file(self):
        return self.attachment.file

    @property
    def original_name(self) -> str:
        return self.attachment.original_name

    @property
    def content_type(self) -> str:
        """The short type ("png", "pdf", "xlsx" ...), as the evidence has always reported it."""
        return self.attachment.kind

    @property
    def size(self) -> int:
        return self.attachment.size

    @property
    def sha256(self) -> str:
        return self.attachment.sha256

    @property
    def uploaded_by_name(self) -> str:
        return self.attachment.uploaded_by_name

    @property
    def uploaded_at(self):
        return self.attachment.uploaded_at


class VetoEvent(models.Model):
    """A veto event (一票否决, seed 000 第十六条) registered by the city against a participating unit.

    Before publication it makes the unit fail; after publication it revokes an
    award of the period (摘牌, 第二十二条).
    """

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="vetoes")
    veto_id = models.CharField(_("veto type"), max_length=60)
    occurred_on = models.DateField(_("date"))
    description = models.TextField(_("description"))
    evidence = models.FileField(_("evidence"), upload_to=veto_evidence_path, blank=True, max_length=200)
    evidence_type = models.CharField(max_length=10, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    registered_by_name = models.CharField(max_length=150, blank=True)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("veto event")
        verbose_name_plural = _("veto events")
        ordering = ["occurred_on", "pk"]

    def __str__(self):
        return f"{self.submission.unit} · {self.veto_id} · {self.occurred_on}"

    @property
    def evidence_file_name(self) -> str:
        """The download name of the evidence file (no upload name is kept): date, hash prefix, type."""
        return f"veto-{self.occurred_on:%Y%m%d}-{self.evidence_sha256[:12]}.{self.evidence_type}"


class Bonus(models.Model):
    """A commendation that adds points (seed 000 第十七条: 满意站所), by the scheme's bonus id."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="bonuses")
    bonus_id = models.CharField(_("bonus"), max_length=60)
    awarded_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    registered_by_name = models.CharField(max_length=150, blank=True)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("bonus")
        verbose_name_plural = _("bonuses")
        constraints = [models.UniqueConstraint(fields=["submission", "bonus_id"], name="bonus_unique_id")]

    def __str__(self):
        return f"{self.submission.unit} · {self.bonus_id}"


class FlagKind(models.TextChoices):
    FALSE_DATA = "false-data", _("False self-evaluation data (数据不实)")


class Flag(models.Model):
    """A disqualification flag on a submission, such as 数据不实.

    Raised automatically when the office's self-score exceeds the reviewers'
    score by more than the campaign's `false_data_gap`; the city may dismiss it
    with a reason. An active flag is passed to the rubric engine when the scheme
    defines a flag of the same id (it then bars grades as the scheme says);
    otherwise it is shown beside the result (seed 000 五(三): 通报批评).
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(_("kind"), max_length=20, choices=FlagKind.choices)
    active = models.BooleanField(_("active"), default=True)
    automatic = models.BooleanField(_("raised automatically"), default=True)
    details = models.JSONField(default=dict, blank=True)
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    confirmed_reason = models.TextField(_("reason for confirmation"), blank=True)
    confirmed_by_name = models.CharField(max_length=150, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    dismissed_reason = models.TextField(_("reason for dismissal"), blank=True)
    dismissed_by_name = models.CharField(max_length=150, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [models.UniqueConstraint(fields=["submission", "kind"], name="flag_unique_kind")]

    def __str__(self):
        return f"{self.submission} · {self.kind}"


class EventKind(models.TextChoices):
    """Registered events of a campaign besides vetoes and bonuses (seed 001 5.7 and 二、3)."""

    INTERVIEWED = "interviewed", _("Interview (约谈)")
    ACCOUNTABILITY = "accountability", _("Accountability (问责)")
    YELLOW_CARD = "yellow-card", _("Yellow-card warning (黄牌警告)")
    ADMONITION = "admonition", _("Admonitory talk (诫勉谈话)")


def event_evidence_path(instance, filename: str) -> str:
    return f"events/{instance.submission.campaign_id}/{instance.evidence_sha256}{_ext(instance, 'evidence_type')}"


class CampaignEvent(models.Model):
    """约谈 / 问责 during the period (they bite as the scheme's flags) and the consequences after
    publication (黄牌警告, 诫勉谈话 of the person responsible): date, document, evidence, who registered it."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    occurred_on = models.DateField(_("date"))
    document = models.CharField(_("document (文号)"), max_length=200)
    description = models.TextField(_("description"))
    person = models.CharField(_("person responsible"), max_length=100, blank=True)
    evidence = models.FileField(_("evidence"), upload_to=event_evidence_path, blank=True, max_length=200)
    evidence_type = models.CharField(max_length=10, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    registered_by_name = models.CharField(max_length=150, blank=True)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign event")
        verbose_name_plural = _("campaign events")
        ordering = ["occurred_on", "pk"]

    def __str__(self):
        return f"{self.submission.unit} · {self.kind} · {self.occurred_on}"


class Result(models.Model):
    """The published result of a submission, frozen: the rubric engine's output with the scheme that made it.

    `data` is `Result.to_dict()` of the engine and `marks` the marks sheet it
    scored, so anyone can re-score it with the stored scheme text and get the
    same answer. A later veto revokes an award (`revoked_at`, `revoke_reason`)
    without touching the frozen figures.
    """

    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="result")
    scheme_id = models.CharField(max_length=80)
    scheme_version = models.PositiveIntegerField()
    scheme_sha256 = models.CharField(max_length=64)
    marks = models.JSONField()
    data = models.JSONField()
    total = models.DecimalField(_("total"), max_digits=7, decimal_places=2)
    passed = models.BooleanField(_("reached the standard"))
    grade = models.CharField(_("grade"), max_length=40)
    published_by_name = models.CharField(max_length=150, blank=True)
    published_at = models.DateTimeField(_("published at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by_name = models.CharField(max_length=150, blank=True)
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)
    revoking_veto = models.ForeignKey(VetoEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self):
        return f"{self.submission} · {self.grade}"

    @property
    def awarded(self) -> bool:
        """Holds the plaque (达标, not revoked)."""
        return self.passed and self.revoked_at is None
