"""The output schemas of campaigns and submissions, and the reads that fill them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.urls import reverse
from ninja import Field, Schema

from jiceng.api.common import (
    Id,
    Page,
)

from .. import deadlines, schemes, selectors, services
from ..models import AuditMode, Campaign, Evidence, Flag, Level, Submission
from ..models import Status as SubmissionStatus


class TargetOut(Schema):
    due: date
    share: float


class SchemeItemOut(Schema):
    id: str
    title: str
    points: float
    check: bool = Field(description="Met or not met: scored 0 or the full points.")


class CampaignOut(Schema):
    id: int
    name: str
    unit_id: int = Field(description="The organising bureau.")
    scheme_id: str
    scheme_version: int
    scheme_title: str
    scheme_sha256: str
    period_start: date
    period_end: date
    self_deadline: date
    review_deadline: date
    audit_deadline: date
    audit_mode: AuditMode
    participants: int


class CampaignDetailOut(CampaignOut):
    targets: list[TargetOut]
    items: list[SchemeItemOut] = Field(description="The scored items of the frozen scheme, in order.")
    overdue: int = Field(
        description="How many of the campaign's submissions the caller can see are late today (逾期); each "
        "submission's `overdue` says in which stage."
    )


class CampaignPage(Schema):
    count: int
    items: list[CampaignOut]


def _campaign_out(campaign: Campaign) -> dict:
    return {name: getattr(campaign, name) for name in CampaignOut.model_fields}


def _campaign_detail(user, campaign: Campaign) -> dict:
    cs = schemes.campaign_scheme(campaign)
    return {
        **_campaign_out(campaign),
        "overdue": len(selectors.overdue_of(selectors.submissions_for(user, campaign))),
        "targets": [{"due": t.due, "share": t.share} for t in campaign.targets.all()],
        "items": [
            {"id": r.id, "title": r.title or r.text, "points": r.points, "check": r.check}
            for r in schemes.rows(cs)
            if r.kind == "item"
        ],
    }


class OverdueOut(Schema):
    stage: Literal["self", "review", "audit"] = Field(
        description="Whose step is late: the office's submission (self), the county's review, the city's audit."
    )
    stage_label: str
    deadline: date = Field(description="The deadline of that stage (closed at the end of that day, bureau time).")
    days: int = Field(description="Days since the deadline.")
    message: str = Field(description="The same, as a sentence for people.")


class SubmissionOut(Schema):
    id: int
    campaign_id: int
    unit_id: int
    unit_code: str
    unit_name: str
    reviewer_id: int = Field(description="The reviewing unit (the county bureau).")
    auditor_id: int = Field(description="The auditing unit (the city, or another county when cross-checking).")
    status: SubmissionStatus
    version: int
    needs_audit: bool
    pilot: bool
    submitted_at: datetime | None
    reviewed_at: datetime | None
    audited_at: datetime | None
    published_at: datetime | None
    submit_deadline: date = Field(
        description="The office's last day to submit: the city's extension if later than the campaign's "
        "self-evaluation deadline, else that deadline; for a returned submission the later of the county review "
        "deadline and the city's extension (never past the audit deadline). Closes at the end of that day in the "
        "bureau's time zone."
    )
    overdue: OverdueOut | None = Field(
        description="The stage this submission is late in today (逾期), if any. Only the office's submission is "
        "ever closed by a deadline; a late review or audit is shown here but not blocked."
    )


class ExtensionOut(Schema):
    extended_to: date
    reason: str
    by: str
    at: datetime | None
    in_force: bool = Field(
        description="Whether the extension is what sets `submit_deadline` now: false once the campaign's own "
        "deadline for this submission (self-evaluation; for a returned one, county review) is at or past it."
    )


class MarkOut(Schema):
    score: float | None
    comment: str
    by: str
    at: datetime


class ClaimOut(Schema):
    item_id: str
    reason: str
    county_decision: str
    county_reason: str
    city_decision: str
    city_reason: str
    decision: str = Field(description="The decision in force: the city's when given, else the county's.")


class ResultOut(Schema):
    total: float
    passed: bool
    grade: str
    awarded: bool = Field(description="Reached the standard and not revoked.")
    published_at: datetime
    revoked_at: datetime | None
    revoke_reason: str
    scheme_sha256: str
    data: dict[str, Any] = Field(description="The rubric engine's result (Result.to_dict()), frozen at publication.")


class DeclarationOut(Schema):
    decl_name: str
    decl_staff_count: int | None
    decl_head: str
    decl_phone: str
    decl_address: str
    decl_situation: str


class EvidenceOut(Schema):
    id: int
    item_id: str
    name: str = Field(description="The file name it was uploaded with.")
    type: str = Field(description="jpg, png, pdf, xlsx or docx: decided from the content, not the name.")
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime
    download: str = Field(description="Where to fetch the file (GET, same token).")


class VetoOut(Schema):
    id: int
    veto_id: str
    text: str = Field(description="The veto clause of the scheme.")
    occurred_on: date
    description: str
    evidence_type: str = Field(description="Type of the attached evidence file, empty when none.")
    evidence_sha256: str
    registered_by: str
    registered_at: datetime
    download: str | None = Field(
        description="Where to fetch the evidence file (GET, same token); null when none was attached."
    )


class BonusOut(Schema):
    id: int
    bonus_id: str
    title: str
    points: float
    awarded_on: date
    note: str
    registered_by: str
    registered_at: datetime


class FlagOut(Schema):
    id: int
    kind: str
    active: bool
    automatic: bool = Field(description="Raised by the system (self-score far above the reviewers').")
    details: dict[str, Any]
    raised_at: datetime
    dismissed_reason: str
    dismissed_by: str
    dismissed_at: datetime | None


class SubmissionDetailOut(SubmissionOut):
    declaration: DeclarationOut
    return_reason: str
    county_opinion: str
    opinion_date: date | None
    audit_opinion: str
    marks: dict[Level, dict[str, MarkOut]] = Field(description="Per level (self, county, city), per item.")
    claims: list[ClaimOut]
    flags: list[str] = Field(description="Active flags, such as false-data (数据不实).")
    flag_records: list[FlagOut] = Field(description="Every flag, active or dismissed, with its id (to dismiss it).")
    evidence: list[EvidenceOut] = Field(description="Evidence files, by item.")
    vetoes: list[VetoOut] = Field(description="Veto events (一票否决) registered by the city.")
    bonuses: list[BonusOut] = Field(description="Commendations adding points (满意站所).")
    result: ResultOut | None = Field(description="The published result; null until publication.")
    extension: ExtensionOut | None = Field(
        description="The city's extension (延期) of this office's self-evaluation deadline; null if none was granted."
    )
    submit_closed: bool = Field(
        description="The office can no longer submit (its `submit_deadline` has passed); saving stays open."
    )
    submit_closed_reason: str = Field(description="Why, naming the deadline; empty while submitting is open.")
    can_edit: bool
    can_review: bool
    can_audit: bool
    can_run: bool = Field(description="The caller runs the campaign: vetoes, bonuses, flags, publication, revocation.")


class SubmissionPage(Schema):
    count: int
    items: list[SubmissionOut]


class SubmissionFilters(Page):
    campaign: Id | None = None
    status: SubmissionStatus | None = None


def _overdue_out(late: deadlines.Overdue | None) -> dict | None:
    if late is None:
        return None
    return {"stage": late.stage, "stage_label": late.stage_label, "deadline": late.deadline, "days": late.days,
            "message": late.text}


def _submission_out(sub: Submission, late: deadlines.Overdue | None) -> dict:
    out = {name: getattr(sub, name) for name in SubmissionOut.model_fields if hasattr(sub, name)}
    out.update(unit_code=sub.unit.code, unit_name=sub.unit.name, overdue=_overdue_out(late))
    return out


def _submission_rows(rows) -> list[dict]:
    late = selectors.overdue_of(rows)
    return [_submission_out(s, late.get(s.pk)) for s in rows]


def _submission_detail(user, pk: int) -> dict:
    sub = selectors.submission_or_404(user, pk)
    cs = schemes.campaign_scheme(sub.campaign)
    flags = list(sub.flags.order_by("pk"))
    marks: dict[str, dict[str, dict]] = {level: {} for level in Level.values}
    for m in sub.marks.all():
        marks[m.level][m.item_id] = {"score": m.score, "comment": m.comment, "by": m.actor_name, "at": m.updated_at}
    result = selectors.result_of(sub)
    window = selectors.submit_window(sub)
    return {
        **_submission_out(sub, selectors.overdue(sub)),
        "declaration": {name: getattr(sub, name) for name in services.DECLARATION_FIELDS},
        "return_reason": sub.return_reason,
        "county_opinion": sub.county_opinion,
        "opinion_date": sub.opinion_date,
        "audit_opinion": sub.audit_opinion,
        "marks": marks,
        "claims": [
            {name: getattr(c, name) for name in ClaimOut.model_fields} for c in sub.claims.order_by("item_id")
        ],
        "flags": [f.kind for f in flags if f.active],
        "flag_records": [_flag_out(f) for f in flags],
        "evidence": [_evidence_out(e) for e in sub.evidence.all()],
        "vetoes": [_veto_out(v, cs) for v in sub.vetoes.all()],
        "bonuses": [_bonus_out(b, cs) for b in sub.bonuses.all()],
        "result": None if result is None else {
            **{name: getattr(result, name) for name in ResultOut.model_fields if name != "data"},
            "data": result.data,
        },
        "extension": None if sub.self_deadline_extended_to is None else {
            "extended_to": sub.self_deadline_extended_to, "reason": sub.extension_reason,
            "by": sub.extended_by_name, "at": sub.extended_at, "in_force": window.extended,
        },
        "submit_closed": window.closed is not None,
        "submit_closed_reason": window.closed or "",
        "can_edit": sub.status in services.OFFICE_EDITABLE
        and Submission.objects.self_assessable_by(user).filter(pk=sub.pk).exists(),
        "can_review": Submission.objects.reviewable_by(user).filter(pk=sub.pk).exists(),
        "can_audit": sub.needs_audit and Submission.objects.auditable_by(user).filter(pk=sub.pk).exists(),
        "can_run": selectors.can_run(user, sub.campaign),
    }


def _evidence_out(e: Evidence) -> dict:
    return {
        "id": e.pk, "item_id": e.item_id, "name": e.original_name, "type": e.content_type, "size": e.size,
        "sha256": e.sha256, "uploaded_by": e.uploaded_by_name, "uploaded_at": e.uploaded_at,
        "download": reverse("api-v1:assessment_evidence_download", kwargs={"id": e.pk}),
    }


def _veto_out(v, cs) -> dict:
    clause = cs.vetoes.get(v.veto_id)
    return {
        "id": v.pk, "veto_id": v.veto_id, "text": clause.text if clause else "", "occurred_on": v.occurred_on,
        "description": v.description, "evidence_type": v.evidence_type, "evidence_sha256": v.evidence_sha256,
        "registered_by": v.registered_by_name, "registered_at": v.registered_at,
        "download": reverse("api-v1:assessment_veto_evidence_download", kwargs={"id": v.pk}) if v.evidence else None,
    }


def _bonus_out(b, cs) -> dict:
    bonus = cs.bonuses.get(b.bonus_id)
    return {
        "id": b.pk, "bonus_id": b.bonus_id, "title": bonus[0].title if bonus else "",
        "points": bonus[0].points if bonus else 0, "awarded_on": b.awarded_on, "note": b.note,
        "registered_by": b.registered_by_name, "registered_at": b.registered_at,
    }


def _flag_out(f: Flag) -> dict:
    return {
        "id": f.pk, "kind": f.kind, "active": f.active, "automatic": f.automatic, "details": f.details,
        "raised_at": f.raised_at, "dismissed_reason": f.dismissed_reason, "dismissed_by": f.dismissed_by_name,
        "dismissed_at": f.dismissed_at,
    }
