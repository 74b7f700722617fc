"""Thin views for data in and out: import pages, templates, refused-file downloads, exports, unmasking."""

from __future__ import annotations

import secrets
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jiceng.core.scoping import get_scoped_or_404
from jiceng.core.tabular.exporting import XLSX_TYPE
from jiceng.core.tabular.upload import limit
from jiceng.core.tabular.writing import write_errors, write_template

from . import exports, services
from .forms import StaffFilterForm
from .importers import StaffImport, UnitImport
from .models import Staff, Unit

IMPORTERS = {"staff": StaffImport, "units": UnitImport}
TITLES = {"staff": "人员导入模板", "units": "单位导入模板"}
ERROR_FILE_HOURS = 24
_SESSION_KEY = "import_error_files"
_SHOWN_ERRORS = 500


def _importer_class(kind: str):
    if kind not in IMPORTERS:
        raise Http404
    return IMPORTERS[kind]


def _may_import(user) -> None:
    # Rows are then checked one by one against the editable units (and STRUCTURE for new units).
    if not Unit.objects.editable_by(user).exists():
        raise PermissionDenied


def _work_dir(name: str) -> Path:
    folder = Path(settings.DATA_DIR) / "tmp" / name
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _forget_old_error_files(folder: Path) -> None:
    # Refused files hold what the user uploaded (personal data): they do not linger.
    cutoff = time.time() - ERROR_FILE_HOURS * 3600
    for old in folder.glob("*.xlsx"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


def _save_upload(upload) -> Path:
    """Copy the upload to a private temporary file, refusing to copy past the size limit."""
    handle = tempfile.NamedTemporaryFile(dir=_work_dir("uploads"), suffix=".xlsx", delete=False)
    written = 0
    with handle:
        for chunk in upload.chunks():
            handle.write(chunk)
            written += len(chunk)
            if written > limit("MAX_UPLOAD_BYTES"):
                break  # already too large: check_xlsx says so; the rest need not be copied
    return Path(handle.name)


@login_required
@never_cache
def import_page(request, kind):
    importer_class = _importer_class(kind)
    _may_import(request.user)
    context = {"kind": kind, "columns": importer_class.columns, "max_mb": limit("MAX_UPLOAD_BYTES") // (1024 * 1024)}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["form_error"] = _("Choose an xlsx file.")
            return render(request, "org/import.html", context, status=400)
        path = _save_upload(upload)
        try:
            result = importer_class(request.user).run(path, file_name=upload.name, dry_run="check" in request.POST)
        finally:
            path.unlink(missing_ok=True)
        context["result"] = result
        if result.ok:
            if not result.dry_run:
                messages.success(request, _("Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                                 % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged})
        else:
            context["errors"] = result.errors[:_SHOWN_ERRORS]
            context["more_errors"] = max(0, len(result.errors) - _SHOWN_ERRORS)
            context["error_token"] = _keep_error_file(request, result, importer_class)
        return render(request, "org/import.html", context, status=200 if result.ok else 422)
    return render(request, "org/import.html", context)


def _keep_error_file(request, result, importer_class) -> str:
    folder = _work_dir("import-errors")
    _forget_old_error_files(folder)
    token = secrets.token_urlsafe(16)
    with open(folder / f"{token}.xlsx", "wb") as stream:
        write_errors(result, importer_class.columns, stream)
    # Only the session that uploaded the file may fetch its marked copy.
    request.session[_SESSION_KEY] = [*request.session.get(_SESSION_KEY, [])[-9:], token]
    return token


@login_required
@never_cache
def import_errors(request):
    token = request.GET.get("token", "")
    if not token or token not in request.session.get(_SESSION_KEY, []):
        raise Http404
    path = _work_dir("import-errors") / f"{token}.xlsx"
    if not path.exists():
        raise Http404
    return FileResponse(open(path, "rb"), as_attachment=True, filename="导入错误.xlsx", content_type=XLSX_TYPE)


@login_required
def import_template(request, kind):
    importer_class = _importer_class(kind)
    _may_import(request.user)
    response = HttpResponse(content_type=XLSX_TYPE)
    write_template(importer_class.columns, importer_class.sheet_name, response)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(TITLES[kind])}.xlsx"
    return response


@login_required
def staff_export(request):
    form = StaffFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return exports.staff_export(request, filters)


@login_required
def unit_export(request):
    return exports.unit_export(request)


@login_required
@require_POST
@never_cache
def staff_unmask(request, pk, field):
    """Show one person's ID number or phone in full, for a reason (audited by the service)."""
    staff = get_scoped_or_404(Staff.objects.all(), request.user, pk=pk)
    if field not in services.UNMASKABLE_STAFF_FIELDS:
        raise Http404
    try:
        value = services.staff_unmask(actor=request.user, staff=staff, field=field, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        message = " ".join(exc.messages)
        if request.htmx:
            # 200, not 400: htmx swaps only successful answers, and the form must show why.
            return render(request, "org/_pii_field.html", _field_context(staff, field, error=message))
        messages.error(request, message)
        return _detail(request, staff, status=400)
    if request.htmx:
        return render(request, "org/_pii_field.html", _field_context(staff, field, clear=value))
    return _detail(request, staff, revealed={field: value})


def _field_context(staff, field, **extra) -> dict:
    from jiceng.core.pii import mask_id_number, mask_phone

    value = getattr(staff, field)
    masked = mask_phone(value) if field == "phone" else mask_id_number(value)
    # The user just passed the service's capability check (or failed only on the reason).
    return {"staff": staff, "field": field, "value": value, "masked": masked, "can_unmask": True, **extra}


def staff_detail_context(request, pk) -> dict:
    """The staff page's context: the person (in scope), and whether the user may edit or unmask."""
    from jiceng.accounts.roles import UNMASK
    from jiceng.core.scoping import scope_q

    staff = get_scoped_or_404(Staff.objects.select_related("unit", "establishment_unit"), request.user, pk=pk)
    unmask_scope = scope_q(request.user, UNMASK, Staff.scope_path_lookup)
    return {
        "staff": staff,
        "can_edit": Staff.objects.editable_by(request.user).filter(pk=pk).exists(),
        "can_unmask": unmask_scope is not None and Staff.objects.filter(unmask_scope, pk=pk).exists(),
        "revealed": {},
    }


def _detail(request, staff, revealed=None, status=200):
    context = staff_detail_context(request, staff.pk)
    context["revealed"] = revealed or {}
    return render(request, "org/staff_detail.html", context, status=status)
