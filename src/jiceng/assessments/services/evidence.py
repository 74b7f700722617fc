"""The office's evidence files: checked by content, stored with their SHA-256, removed after commit."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from jiceng.core.models import EventType

from .. import schemes
from ..evidence import read_checked
from ..models import (
    Evidence,
    Level,
    Status,
    Submission,
)
from ._common import OFFICE_EDITABLE, _audit, _locked, _need_reason, _scoped, _who


def _check_uploads(cs, uploads: dict[str, list]) -> list[tuple[str, Any, tuple[bytes, str, str]]]:
    checked, errors = [], {}
    for item_id, files in uploads.items():
        if item_id not in cs.ids:
            errors.setdefault(f"file_{item_id}", []).append(
                _("%(item)s is not a scored item of the scheme.") % {"item": item_id})
            continue
        for upload in files:
            try:
                checked.append((item_id, upload, read_checked(upload, f"file_{item_id}")))
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors.setdefault(field, []).extend(f"{upload.name}: {m}" for m in messages)
    if errors:
        raise ValidationError(errors)
    return checked


def _store_evidence(sub, item_id, upload, checked, actor, reason) -> Evidence:
    data, kind, digest = checked
    original = (getattr(upload, "name", "") or "file")[-200:]
    evidence = Evidence(
        submission=sub, item_id=item_id, original_name=original, content_type=kind, size=len(data),
        sha256=digest, uploaded_by_name=_who(actor),
    )
    evidence.file.save(digest, ContentFile(data), save=False)
    evidence.save()
    _audit(EventType.CREATE, actor=actor, subject=sub, reason=reason,
           after={"evidence": {"item": item_id, "name": original, "type": kind, "sha256": digest, "size": len(data)}},
           details={"level": Level.SELF, "items": [item_id]})
    return evidence


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
        return _store_evidence(sub, item_id, upload, read_checked(upload), actor, reason)


def evidence_delete(*, actor, evidence: Evidence, reason: str = "") -> None:
    sub = _scoped(actor, evidence.submission, "self_assessable_by")
    with transaction.atomic():
        sub = _locked(sub, None)
        if sub.status not in OFFICE_EDITABLE:
            raise ValidationError(_("Evidence can only be removed while the office is editing its submission."))
        if sub.status == Status.RETURNED:
            reason = _need_reason(reason, _("the submission was already submitted once; say what you changed."))
        evidence = Evidence.objects.get(pk=evidence.pk, submission=sub)
        _audit(EventType.DELETE, actor=actor, subject=sub, reason=reason,
               before={"evidence": {"item": evidence.item_id, "name": evidence.original_name,
                                    "sha256": evidence.sha256}},
               details={"level": Level.SELF, "items": [evidence.item_id]})
        stored = evidence.file.name
        evidence.delete()
        storage = evidence.file.storage
        # The file goes only once the row is gone for good.
        transaction.on_commit(lambda: storage.delete(stored))
