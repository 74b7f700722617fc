"""The city's vetoes (with their evidence file), bonuses, flag dismissals and revocations."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from ninja import File, Form, Path, UploadedFile
from ninja.decorators import decorate_view

from jiceng.api.auth import business_user
from jiceng.api.common import (
    Id,
    Input,
    text,
)
from jiceng.api.errors import ERROR_RESPONSES
from jiceng.core import downloads

from .. import selectors, services
from ..evidence import MIME
from ..models import Flag, VetoEvent
from ._common import DOWNLOAD, WRITE, _multipart, _run_by, router
from .schemas import _submission_detail


class VetoIn(Input):
    veto_id: str = text(60, min_length=1, description="A veto of the campaign's scheme, e.g. `major-accident`.")
    occurred_on: date
    description: str = text(5000)


@router.post("/assessments/submissions/{id}/vetoes", response=WRITE, url_name="assessment_veto_register")
@decorate_view(_multipart)
def assessment_veto_register(request, id: Path[Id], payload: Form[VetoIn], evidence: File[UploadedFile] = None):
    """The city registers a veto event (multipart/form-data, optional `evidence` file). The unit then fails;
    after publication its award is revoked (摘牌)."""
    user = business_user(request)
    sub = _run_by(user, id)
    services.veto_register(actor=user, submission=sub, veto_id=payload.veto_id,
                           occurred_on=payload.occurred_on, description=payload.description, evidence=evidence)
    return _submission_detail(user, id)


@router.get("/assessments/vetoes/{id}/evidence", response=ERROR_RESPONSES, openapi_extra=DOWNLOAD,
            url_name="assessment_veto_evidence_download")
def assessment_veto_evidence_download(request, id: Path[Id]):
    """The evidence file of a veto event, for anyone who may see the vetoed submission; 404 when it has none."""
    user = business_user(request)
    veto = VetoEvent.objects.filter(pk=id).first()
    if veto is None:
        raise Http404
    # Scope first, so an outsider's attempt is recorded whether or not the veto has a file.
    sub = selectors.submission_or_404(user, veto.submission_id)
    if not veto.evidence:
        raise Http404
    # The file is stored under its digest; the name is the web download's.
    return downloads.serve(request, veto.evidence, filename=veto.evidence_file_name,
                           content_type=MIME.get(veto.evidence_type), subject=sub, kind="assessments.veto",
                           sha256=veto.evidence_sha256, details={"veto": veto.pk})


class BonusIn(Input):
    bonus_id: str = text(60, min_length=1, description="A bonus of the campaign's scheme, e.g. `city-satisfied`.")
    awarded_on: date
    note: str = text(2000, "")


@router.post("/assessments/submissions/{id}/bonuses", response=WRITE, url_name="assessment_bonus_register")
def assessment_bonus_register(request, id: Path[Id], payload: BonusIn):
    """The city registers a commendation that adds points (满意站所), before publication."""
    user = business_user(request)
    sub = _run_by(user, id)
    services.bonus_register(actor=user, submission=sub, bonus_id=payload.bonus_id, awarded_on=payload.awarded_on,
                            note=payload.note)
    return _submission_detail(user, id)


class ReasonIn(Input):
    reason: str = text(2000)


@router.post("/assessments/flags/{id}/dismiss", response=WRITE, url_name="assessment_flag_dismiss")
def assessment_flag_dismiss(request, id: Path[Id], payload: ReasonIn):
    """The city lifts a flag it finds unfounded (ids in `flag_records` of the submission), with its reason."""
    user = business_user(request)
    flag = Flag.objects.filter(pk=id).first()
    if flag is None:
        raise Http404
    _run_by(user, flag.submission_id)
    services.flag_dismiss(actor=user, flag=flag, reason=payload.reason)
    return _submission_detail(user, flag.submission_id)


@router.post("/assessments/submissions/{id}/revoke", response=WRITE, url_name="assessment_award_revoke")
def assessment_award_revoke(request, id: Path[Id], payload: ReasonIn):
    """The city takes back a published award (摘牌) for a reason other than a registered veto event."""
    user = business_user(request)
    sub = _run_by(user, id)
    services.award_revoke(actor=user, submission=sub, reason=payload.reason)
    return _submission_detail(user, id)
