"""The generic import pages of every registered kind (core.imports): upload, template, refused-file download.

Mounted by each app with `core.urls_import.import_urls(...)`, so the URL names are the app's
(`org:import_staff`); the page finds its template and error-file links in the same namespace.
"""

from __future__ import annotations

import io
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import downloads, imports
from .tabular.exporting import XLSX_TYPE
from .tabular.upload import limit
from .tabular.writing import write_errors, write_template

ERROR_FILE_HOURS = 24
_SESSION_KEY = "import_error_files"
_SHOWN_ERRORS = 500


def _spec_for(request, kind: str) -> imports.ImportSpec:
    spec = imports.get(kind)
    if spec is None:
        raise Http404
    if not spec.may_open(request.user):
        raise PermissionDenied
    return spec


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


def _links(request, kind: str) -> dict:
    namespace = request.resolver_match.namespace if request.resolver_match else ""
    prefix = f"{namespace}:" if namespace else ""
    return {
        "template_url": reverse(f"{prefix}import_template_{kind}"),
        "errors_url": reverse(f"{prefix}import_errors"),
    }


@login_required
@never_cache
def import_page(request, kind):
    spec = _spec_for(request, kind)
    context = {
        "spec": spec,
        "kind": kind,
        "columns": spec.columns,
        "max_mb": limit("MAX_UPLOAD_BYTES") // (1024 * 1024),
        **_links(request, kind),
    }
    if request.method != "POST":
        return render(request, "core/import.html", context)
    upload = request.FILES.get("file")
    if upload is None:
        context["form_error"] = _("Choose an xlsx file.")
        return render(request, "core/import.html", context, status=400)
    path = _save_upload(upload)
    try:
        result = spec.importer(request.user).run(path, file_name=upload.name, dry_run="check" in request.POST)
    finally:
        path.unlink(missing_ok=True)
    context["result"] = result
    if result.ok:
        if not result.dry_run:
            messages.success(
                request,
                _("Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
            )
    else:
        context["errors"] = result.errors[:_SHOWN_ERRORS]
        context["more_errors"] = max(0, len(result.errors) - _SHOWN_ERRORS)
        context["error_token"] = _keep_error_file(request, result, spec)
    return render(request, "core/import.html", context, status=200 if result.ok else 422)


def _keep_error_file(request, result, spec) -> str:
    folder = _work_dir("import-errors")
    _forget_old_error_files(folder)
    token = secrets.token_urlsafe(16)
    with open(folder / f"{token}.xlsx", "wb") as stream:
        write_errors(result, spec.columns, stream)
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
    # The user's own upload, marked with its errors; recorded like any file that leaves.
    return downloads.serve(request, path, filename="导入错误.xlsx", content_type=XLSX_TYPE, kind="import.errors")


@login_required
def import_template(request, kind):
    spec = _spec_for(request, kind)
    stream = io.BytesIO()
    write_template(spec.columns, spec.importer.sheet_name, stream)
    # Not audited: a blank template holds no data.
    return downloads.serve(request, stream.getvalue(), filename=f"{spec.template_name}.xlsx", content_type=XLSX_TYPE,
                           audit_action=None)
