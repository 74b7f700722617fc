"""The office's evidence files: upload (multipart/form-data), download, delete."""

from __future__ import annotations

from django.http import Http404
from ninja import Field, File, Form, Path, Query, UploadedFile
from ninja.decorators import decorate_view
from ninja.responses import Status

from jiceng.api.auth import business_user
from jiceng.api.common import (
    NUL_FREE,
    Id,
    Input,
    text,
)
from jiceng.api.errors import ERROR_RESPONSES
from jiceng.core import downloads

from .. import selectors, services
from ..models import Evidence
from ._common import DOWNLOAD, ItemId, _for, _multipart, router
from .schemas import EvidenceOut, _evidence_out


class EvidenceIn(Input):
    item_id: ItemId = Field(description="The scored item the file belongs to.")
    reason: str = text(500, "", description="Required once the county has returned the submission.")


def _evidence_or_404(pk: int) -> Evidence:
    evidence = Evidence.objects.select_related("attachment").filter(pk=pk).first()
    if evidence is None:
        raise Http404
    return evidence


@router.post("/assessments/submissions/{id}/evidence", response={201: EvidenceOut, **ERROR_RESPONSES},
             url_name="assessment_evidence_upload")
@decorate_view(_multipart)
def assessment_evidence_upload(request, id: Path[Id], payload: Form[EvidenceIn], file: File[UploadedFile]):
    """The office attaches a file to an item (multipart/form-data): a JPEG or PNG photo, PDF, .xlsx or .docx,
    checked by its content; the size limit is the web form's."""
    user = business_user(request)
    sub = _for(user, id, "self_assessable_by")
    evidence = services.evidence_add(actor=user, submission=sub, item_id=payload.item_id, upload=file,
                                     reason=payload.reason)
    return Status(201, _evidence_out(evidence))


@router.get("/assessments/evidence/{id}", response=ERROR_RESPONSES, openapi_extra=DOWNLOAD,
            url_name="assessment_evidence_download")
def assessment_evidence_download(request, id: Path[Id]):
    """One evidence file, for anyone who may see its submission."""
    user = business_user(request)
    evidence = _evidence_or_404(id)
    sub = selectors.submission_or_404(user, evidence.submission_id)
    return downloads.serve(request, evidence.attachment, subject=sub, kind=Evidence.PURPOSE,
                           details={"item": evidence.item_id})


@router.delete("/assessments/evidence/{id}", response={204: None, **ERROR_RESPONSES},
               url_name="assessment_evidence_delete")
def assessment_evidence_delete(
    request, id: Path[Id],
    reason: str = Query("", max_length=500, pattern=NUL_FREE,
                        description="Required once the county has returned the submission."),
):
    """The office removes an evidence file while it is editing its submission."""
    user = business_user(request)
    evidence = _evidence_or_404(id)
    _for(user, evidence.submission_id, "self_assessable_by")
    services.evidence_delete(actor=user, evidence=evidence, reason=reason)
    return Status(204, None)
