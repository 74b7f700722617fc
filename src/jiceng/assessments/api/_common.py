"""What the assessment endpoints share: the router, error responses, the 404/403 checks, the 409 answer,
the multipart guard."""

from __future__ import annotations

from decimal import Decimal
from functools import wraps
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import Field, Router
from ninja.errors import AuthenticationError
from ninja.responses import Status

from jiceng.api.auth import TokenAuth
from jiceng.api.common import (
    MAX_COUNT,
    NUL_FREE,
)
from jiceng.api.errors import ERROR_RESPONSES, ErrorCode, ErrorOut

from .. import selectors
from ..errors import Conflict
from ..evidence import MIME
from ..models import Submission
from .schemas import SubmissionDetailOut, _submission_detail

router = Router(tags=["assessments"])

ItemId = Annotated[str, Field(min_length=1, max_length=20, pattern=NUL_FREE)]
Version = Annotated[int, Field(ge=1, le=MAX_COUNT, description="The submission's `version` this change is based on.")]
Score = Annotated[Decimal, Field(ge=0, max_digits=6, decimal_places=2)]


class ConflictOut(ErrorOut):
    current: dict[str, Any] = Field(
        description="What is stored now: version, status and the marks of the level being edited."
    )


RESPONSES = {**ERROR_RESPONSES, 409: ConflictOut}


def _city_only() -> PermissionDenied:
    # The service's own message id, so the catalogue already has its Chinese text.
    return PermissionDenied(_("Only the city bureau that runs the campaign may do this."))


def _for(user, pk: int, how: str) -> Submission:
    """The submission if visible (else 404, recorded) and the caller may act on it through `how` (else 403)."""
    sub = selectors.submission_or_404(user, pk)
    if not getattr(Submission.objects, how)(user).filter(pk=sub.pk).exists():
        raise PermissionDenied(_("Your role does not allow this step on this submission."))
    return sub


def _written(user, pk: int, write):
    """Run one service call; a stale version answers 409 with what is stored now, nothing written."""
    try:
        write()
    except Conflict as exc:
        message = exc.messages[0]
        current = dict(exc.current)
        if "marks" in current:
            # Numbers, as the marks of a submission's detail are.
            current["marks"] = {
                item_id: {**mark, "score": None if mark["score"] is None else float(mark["score"])}
                for item_id, mark in current["marks"].items()
            }
        return Status(409, {
            "code": ErrorCode.CONFLICT.value, "message": message, "field": "expected_version",
            "errors": [{"field": "expected_version", "message": message}], "current": current,
        })
    return _submission_detail(user, pk)


def _marks(items: dict) -> dict[str, dict]:
    return {item_id: entry.model_dump(exclude_unset=True) for item_id, entry in items.items()}


def _decisions(claims: dict) -> dict[str, tuple[bool, str]]:
    return {item_id: (c.approved, c.reason) for item_id, c in claims.items()}


WRITE = {200: SubmissionDetailOut, **RESPONSES}


def _multipart(run):
    """Guards an operation taking multipart/form-data. The caller is authenticated before the body is read (an
    anonymous upload is refused unread), and a body Django cannot parse (no boundary, too many parts or fields),
    which ninja would answer with a 500, is a 400."""

    @wraps(run)
    def checked(request, *args, **kwargs):
        api = run.__self__.api  # the operation's NinjaAPI: its error handlers and renderer
        if TokenAuth()(request) is None:
            return api.on_exception(request, AuthenticationError())
        try:
            request.POST  # noqa: B018  (parses the body)
        except (MultiPartParserError, SuspiciousOperation):
            message = _("The request body is not valid multipart/form-data.")
            body = {"code": ErrorCode.VALIDATION_ERROR.value, "message": message, "field": None,
                    "errors": [{"field": None, "message": message}]}
            return api.create_response(request, body, status=400)
        return run(request, *args, **kwargs)

    return checked


# The types evidence may have (checked by content on upload), as the download declares them.
_FILE = {"schema": {"type": "string", "format": "binary"}}
DOWNLOAD = {"responses": {200: {"description": "The file.", "content": {mime: _FILE for mime in MIME.values()}}}}


def _run_by(user, pk: int) -> Submission:
    """The submission if visible (else 404, recorded) and the caller runs its campaign (else 403)."""
    sub = selectors.submission_or_404(user, pk)
    if not selectors.can_run(user, sub.campaign):
        raise _city_only()
    return sub
