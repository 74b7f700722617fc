"""The office's evidence files: core attachments of the submission's unit, linked to a scored item."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiceng.core import attachments

from .. import schemes
from ..evidence import check
from ..models import (
    Evidence,
    Level,
    Status,
    Submission,
)
from ._common import OFFICE_EDITABLE, _locked, _need_reason, _scoped


def _check_uploads(cs, uploads: dict[str, list]) -> list[tuple[str, Any, attachments.Checked]]:
    checked, errors = [], {}
    for item_id, files in uploads.items():
        if item_id not in cs.ids:
            errors.setdefault(f"file_{item_id}", []).append(
                _("%(item)s is not a scored item of the scheme.") % {"item": item_id})
            continue
        for upload in files:
            try:
                checked.append((item_id, upload, check(upload, f"file_{item_id}")))
            except ValidationError as exc:
                # The kit's messages name the file already.
                for field, messages in exc.message_dict.items():
                    errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return checked


def _store_evidence(sub, item_id, upload, checked: attachments.Checked, actor, reason) -> Evidence:
    # One transaction (the caller's) and one audit record about the submission: the file, its link, the trail.
    attachment = attachments.attachment_add(
        actor=actor, unit=sub.unit, checked=checked, purpose=Evidence.PURPOSE, reason=reason, subject=sub,
        after={"evidence": {"item": item_id, "name": checked.name, "type": checked.kind, "sha256": checked.sha256,
                            "size": checked.size}},
        details={"level": Level.SELF, "items": [item_id]},
    )
    return Evidence.objects.create(submission=sub, item_id=item_id, attachment=attachment)


def evidence_add(*, actor, submission: Submission, item_id: str, upload, reason: str = "") -> Evidence:
    """Attach a file to an item; the type is checked by content, the size limited, the SHA-256 kept."""
    sub = _scoped(actor, submission, "self_assessable_by")
    with transaction.atomic():
        sub = _locked(sub, None)
        if sub.status not in OFFICE_EDITABLE:
            raise ValidationError(_("Evidence can only be added while the office is editing its submission."))
        if sub.status == Status.RETURNED:
            reason = _need_reason(reason, _("the submission was already submitted once; say what you changed."))
        cs = schemes.campaign_scheme(sub.campaign)
        if item_id not in cs.ids:
            raise ValidationError({"item_id": _("%(item)s is not a scored item of the scheme.") % {"item": item_id}})
        return _store_evidence(sub, item_id, upload, check(upload), actor, reason)


def evidence_delete(*, actor, evidence: Evidence, reason: str = "") -> None:
    sub = _scoped(actor, evidence.submission, "self_assessable_by")
    with transaction.atomic():
        sub = _locked(sub, None)
        if sub.status not in OFFICE_EDITABLE:
            raise ValidationError(_("Evidence can only be removed while the office is editing its submission."))
        if sub.status == Status.RETURNED:
            reason = _need_reason(reason, _("the submission was already submitted once; say what you changed."))
        evidence = Evidence.objects.select_related("attachment").get(pk=evidence.pk, submission=sub)
        attachment = evidence.attachment
        evidence.delete()
        # One audit record; the stored file goes only once the rows are gone for good (after the commit).
        attachments.attachment_delete(
            actor=actor, attachment=attachment, reason=reason, subject=sub,
            before={"evidence": {"item": evidence.item_id, "name": attachment.original_name,
                                 "sha256": attachment.sha256}},
            details={"level": Level.SELF, "items": [evidence.item_id]},
        )
