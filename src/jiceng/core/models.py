"""The audit trail (append-only, HMAC-chained records of every change and access event), export jobs, attachments,
loaded working-day schedules, and the UnitOwned base."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scoping import ScopedQuerySet


class EventType(models.TextChoices):
    """Stable values: they are stored and hashed, so never rename one; add new ones."""

    CREATE = "record.create", _("Create")
    UPDATE = "record.update", _("Update")
    DELETE = "record.delete", _("Delete")
    LOGIN = "auth.login", _("Log-in")
    LOGIN_FAILED = "auth.login_failed", _("Failed log-in")
    LOGOUT = "auth.logout", _("Log-out")
    LOCKOUT = "auth.lockout", _("Lock-out")
    SESSION_EXPIRED = "auth.session_expired", _("Session expired")
    PASSWORD_CHANGE = "auth.password_change", _("Password change")
    ACCOUNT_CREATE = "account.create", _("Account created")
    ACCOUNT_UPDATE = "account.update", _("Account changed")
    ROLE_GRANT = "role.grant", _("Role granted")
    ACCOUNT_REQUEST = "account.request", _("Account requested")
    ROLE_REVOKE = "role.revoke", _("Role revoked")
    ACCESS_DENIED = "access.denied", _("Permission refused")
    EXPORT = "data.export", _("Export")
    DOWNLOAD = "file.download", _("File downloaded")
    IMPORT = "data.import", _("Import")
    UNMASK = "pii.unmask", _("Personal data unmasked")
    SETTINGS_CHANGE = "settings.change", _("Settings changed")
    # Personal API tokens (jiceng.api)
    TOKEN_CREATE = "token.create", _("API token created")
    TOKEN_REVOKE = "token.revoke", _("API token revoked")
    # Assessment campaigns (jiceng.assessments)
    ASSESSMENT_MARK = "assessment.mark", _("Assessment scores changed")
    ASSESSMENT_SUBMIT = "assessment.submit", _("Self-evaluation submitted")
    ASSESSMENT_RETURN = "assessment.return", _("Submission returned")
    ASSESSMENT_FORWARD = "assessment.forward", _("Submission forwarded by the county")
    ASSESSMENT_CLAIM = "assessment.claim", _("No-duty claim decided")
    ASSESSMENT_AUDIT = "assessment.audit", _("Submission audited")
    ASSESSMENT_FLAG = "assessment.flag", _("Disqualification flag")
    ASSESSMENT_VETO = "assessment.veto", _("Veto event registered")
    ASSESSMENT_BONUS = "assessment.bonus", _("Bonus registered")
    ASSESSMENT_PUBLISH = "assessment.publish", _("Result published")
    ASSESSMENT_REVOKE = "assessment.revoke", _("Award revoked")
    # The working-day clock (core.workdays)
    WORKDAYS_LOAD = "workdays.load", _("Working-day schedule loaded")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")
    DENIED = "denied", _("Denied")


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("audit records are append-only")

    def delete(self):
        raise PermissionError("audit records are append-only")


class AuditEvent(models.Model):
    """One audited event. Rows are only ever inserted (see core.audit.record).

    Actor and unit are copied as plain values rather than foreign keys: a
    foreign key with SET_NULL would rewrite a hashed row when an account or a
    unit is removed, and the trail must still read right after a rename.
    """

    seq = models.PositiveBigIntegerField(unique=True)
    created_at = models.DateTimeField()
    # No `choices=` on purpose: the enum grows as apps add event kinds, and a
    # choices list in the field would need a migration for every new kind.
    event_type = models.CharField(max_length=40)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    unit_id = models.BigIntegerField(null=True, blank=True)
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)
    unit_name = models.CharField(max_length=200, blank=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    # The chain the row belongs to (core.audit.chain_of: the county subtree of
    # its unit, "" for events without a unit) and its place in that chain; each
    # chain is linked and locked on its own, `seq` orders all rows.
    chain = models.CharField(max_length=64, blank=True, default="")
    chain_seq = models.PositiveBigIntegerField()
    # The id of the audit key whose HMAC is `hash` (core.audit_keys).
    key_id = models.CharField(max_length=32)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        constraints = [models.UniqueConstraint(fields=["chain", "chain_seq"], name="audit_chain_seq")]
        indexes = [
            models.Index(fields=["unit_path", "event_type", "created_at"], name="audit_unit_type_time"),
            models.Index(fields=["event_type", "created_at"], name="audit_type_time"),
            models.Index(fields=["actor_id", "created_at"], name="audit_actor_time"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")

    def __str__(self):
        return f"#{self.seq} {self.event_type} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit records are append-only")

    def get_event_type_display(self) -> str:
        try:
            return str(EventType(self.event_type).label)
        except ValueError:
            return self.event_type


class ExportJob(models.Model):
    """A large export written in the background, its progress, and the finished file (docs/import-export.md).

    Only what is needed to rebuild the export is stored (the kind and the
    list's filters): the task asks the kind's registered builder for the
    queryset again, scoped to the owner as they are when it runs, so nothing
    the requester could see earlier leaks through a stale query. The file
    lives under the private data directory (never static or media), only the
    owner may fetch it, and it is deleted when the job expires.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows in total"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    # Relative to settings.DATA_DIR, so a moved data directory keeps its files reachable.
    file_path = models.CharField(_("file"), max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    # The request's address and language: the audit record and the workbook's
    # wording are those of the request, although a worker writes them.
    ip = models.CharField(_("address"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "created_at"], name="export_job_user_time"),
            models.Index(fields=["status", "expires_at"], name="export_job_expiry"),
        ]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")

    def __str__(self):
        return f"{self.title} ({self.pk})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("exports:job", kwargs={"job": str(self.pk)})

    @property
    def percent(self) -> int:
        """Rows written as a whole percentage of the total (100 once done, even if the total changed meanwhile)."""
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_written * 100 // self.rows_total)

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class UnitOwnedQuerySet(ScopedQuerySet):
    """The queryset of every unit-owned model: `restrict(user, action)` and the rest of core.scoping."""


class UnitOwned(models.Model):
    """The base of a record that a unit owns: the unit foreign key and the scope that follows from it.

    `Model.objects.restrict(user, action)` returns the rows in the subtrees where
    the user holds `action` (core.scoping); `holds(user, action, row.unit)` is the
    single check. The foreign key is called `unit`; a model whose owning unit sits
    under another name (an existing column) sets `unit_field = "office"`,
    declares that field itself and drops the inherited one with `unit = None`. A model may redeclare `unit` with its own
    `related_name`/`verbose_name` (no schema change). Extra read rules (another
    unit that may also read the row) go in `scope_rules` (core.scoping.rules_for).
    """

    unit_field = "unit"

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        abstract = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # The path lookup of the scope follows the unit field, unless the model names its own.
        if "scope_path_lookup" not in cls.__dict__:
            cls.scope_path_lookup = f"{cls.unit_field}__path"

    @property
    def owning_unit(self):
        return getattr(self, self.unit_field)


def _attachment_storage():
    # Looked up when used, so settings.STORAGES (local disk or an S3-compatible store) and tests' overrides apply.
    from django.core.files.storage import default_storage

    return default_storage


class AttachmentQuerySet(UnitOwnedQuerySet):
    pass


class Attachment(UnitOwned):
    """A stored file owned by a unit: checked by content, limited in size, hashed (core.attachments).

    Only `core.attachments.attachment_add` creates one and only `core.downloads`
    sends one out: the store is never linked directly. `purpose` names the
    record kind that holds it ("assessments.evidence"), so a file in the store
    can be traced to its owner; the owning record points here (PROTECT), so a
    file cannot vanish under a record that cites it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="attachments", verbose_name=_("unit"))
    purpose = models.CharField(_("purpose"), max_length=60)
    file = models.FileField(_("file"), storage=_attachment_storage, max_length=255)
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("type"), max_length=10)
    content_type = models.CharField(_("MIME type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))
    # Copied, so the record still reads right after an account is renamed or removed.
    uploaded_by_name = models.CharField(_("uploaded by"), max_length=150, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        indexes = [
            models.Index(fields=["unit", "purpose", "uploaded_at"], name="attachment_unit_purpose"),
            models.Index(fields=["sha256"], name="attachment_sha256"),
        ]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:attachment_download", kwargs={"pk": self.pk})

    def audit_summary(self) -> dict:
        """What the trail keeps of the file: enough to recognise a copy found later."""
        return {"id": str(self.pk), "name": self.original_name, "type": self.kind, "size": self.size,
                "sha256": self.sha256, "purpose": self.purpose}
class WorkdaySchedule(models.Model):
    """One year's holidays and swapped working days (调休), loaded from the State Council's notice.

    The chinesecalendar package covers the years it knows; a row here replaces the package
    for its year (core.workdays builds the clock from both). Holidays and workdays are kept
    in the pure calendar's JSON form (jiceng.calendar.YearSchedule.to_json) and validated
    again when read. Loading is audited in the same transaction (core.workdays.schedule_load).
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source notice"), max_length=300)
    holidays = models.JSONField(_("holidays"), default=list)
    workdays = models.JSONField(_("swapped working days"), default=list)
    # A copied name (the account's user name, or the operator named on the command line),
    # like the audit trail's actor: it still reads right after the account is renamed.
    loaded_by = models.CharField(_("loaded by"), max_length=150)
    loaded_at = models.DateTimeField(_("loaded at"), default=timezone.now)

    class Meta:
        ordering = ["year"]
        verbose_name = _("working-day schedule")
        verbose_name_plural = _("working-day schedules")

    def __str__(self):
        return f"{self.year} ({self.source})"

    def to_schedule(self):
        from jiceng.calendar import parse_schedule

        data = {"year": self.year, "source": self.source, "holidays": self.holidays, "workdays": self.workdays}
        return parse_schedule(data, loaded_by=self.loaded_by)


class OfflineSubmission(models.Model):
    """One record sent by a page's offline queue, under the key the browser gave it (core.offline).

    The key is unique: a record sent twice (the connection dropped before the answer came)
    finds its first sending here and makes nothing new.
    """

    key = models.UUIDField(_("submission key"), unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("user"))
    kind = models.CharField(_("kind"), max_length=60)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    # When the device says the record was made (it may have waited hours for a signal).
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    object_type = models.CharField(_("record type"), max_length=80, blank=True)
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    object_url = models.CharField(_("record page"), max_length=255, blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["user", "received_at"], name="offline_user_time")]
        verbose_name = _("offline submission")
        verbose_name_plural = _("offline submissions")

    def __str__(self):
        return f"{self.kind} {self.key}"
