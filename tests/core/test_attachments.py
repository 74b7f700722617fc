"""Attachments (core.attachments) and the one download mechanism (core.downloads), with real files.

A real workbook from openpyxl, a real document from python-docx, a real PDF
from pypdf, real PNG and JPEG images from Pillow: the type is decided from the
content, the name must agree with it, the size is limited, the SHA-256 kept;
the download checks scope through core.scoping and is on the audit trail.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import translation

from jiceng.core import attachments
from jiceng.core.models import Attachment, AuditEvent, EventType, Outcome
from real_files import docx_bytes, image_bytes, pdf_bytes, xlsm_bytes, xlsx_bytes


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted on their English ids; the Chinese ones are checked by tests/test_i18n.py.
    with translation.override("en"):
        yield


def upload(name: str, data: bytes, claim: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=claim)


def stored_files() -> list[str]:
    found = []

    def walk(folder):
        dirs, files = default_storage.listdir(folder)
        found.extend(f"{folder}/{f}" if folder else f for f in files)
        for d in dirs:
            walk(f"{folder}/{d}" if folder else d)

    if default_storage.exists(""):
        walk("")
    return found


# --- the type, from the content ---------------------------------------------------------------------


def test_types_are_recognised_from_the_content_of_real_files():
    assert attachments.sniff(xlsx_bytes()) == "xlsx"
    assert attachments.sniff(docx_bytes()) == "docx"
    assert attachments.sniff(pdf_bytes()) == "pdf"
    assert attachments.sniff(image_bytes("PNG")) == "png"
    assert attachments.sniff(image_bytes("JPEG")) == "jpg"


def test_office_files_are_told_apart_by_their_content_types_part():
    assert attachments.sniff(xlsm_bytes()) is None  # a macro workbook is neither .xlsx nor .docx
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")  # looks like a workbook, but declares nothing
    assert attachments.sniff(plain_zip.getvalue()) is None
    assert attachments.sniff(b"PK\x03\x04 not really a zip") is None
    assert attachments.sniff(b"MZ\x90\x00 a program") is None


@pytest.mark.parametrize(("name", "make", "kind", "mime"), [
    ("巡查台帐.xlsx", xlsx_bytes, "xlsx", attachments.XLSX_MIME),
    ("制度.docx", docx_bytes, "docx", attachments.DOCX_MIME),
    ("通报.pdf", pdf_bytes, "pdf", "application/pdf"),
    ("门牌.PNG", lambda: image_bytes("PNG"), "png", "image/png"),
    ("现场.jpeg", lambda: image_bytes("JPEG"), "jpg", "image/jpeg"),
])
def test_a_real_file_is_stored_with_its_type_and_sha256(users, region, name, make, kind, mime):
    data = make()
    attachment = attachments.attachment_add(actor=users["office_head"], unit=region.office_a1,
                                            upload=upload(name, data, claim="text/plain"), purpose="test.files")
    attachment.refresh_from_db()
    assert (attachment.kind, attachment.content_type, attachment.size) == (kind, mime, len(data))
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.original_name == name and attachment.unit == region.office_a1
    assert attachment.uploaded_by == users["office_head"] and attachment.uploaded_by_name == "office_head"
    with attachment.file.open("rb") as stored:
        assert stored.read() == data
    # Stored under its digest, never under the upload's name.
    assert attachment.sha256 in attachment.file.name and name not in attachment.file.name
    # Audited in the same transaction, with what identifies the file.
    event = AuditEvent.objects.get(event_type=EventType.CREATE, object_id=str(attachment.pk))
    assert event.after["attachment"]["sha256"] == attachment.sha256
    assert event.unit_id == region.office_a1.pk and event.actor_name == "office_head"


# --- refusals: nothing saved -------------------------------------------------------------------------


def _nothing_saved(audit_rows_before: int):
    assert not Attachment.objects.exists()
    assert stored_files() == []
    assert AuditEvent.objects.count() == audit_rows_before


def test_a_png_named_pdf_is_refused_naming_the_file_and_both_types(users, region):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        attachments.attachment_add(actor=users["office_head"], unit=region.office_a1,
                                   upload=upload("整改报告.pdf", image_bytes("PNG")), purpose="test.files")
    message = exc.value.message_dict["file"][0]
    assert "整改报告.pdf" in message and "PDF" in message and "PNG" in message
    _nothing_saved(before)


def test_a_workbook_named_docx_and_a_file_without_extension_are_refused(users, region):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="Word document.*Excel workbook"):
        attachments.attachment_add(actor=users["office_head"], unit=region.office_a1,
                                   upload=upload("台帐.docx", xlsx_bytes()), purpose="test.files")
    with pytest.raises(ValidationError, match=r"does not end in \.xlsx"):
        attachments.attachment_add(actor=users["office_head"], unit=region.office_a1,
                                   upload=upload("台帐", xlsx_bytes()), purpose="test.files")
    _nothing_saved(before)


def test_content_of_no_accepted_type_is_refused(users, region):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        attachments.attachment_add(actor=users["office_head"], unit=region.office_a1,
                                   upload=upload("宏.xlsx", xlsm_bytes()), purpose="test.files")
    assert "宏.xlsx" in exc.value.message_dict["file"][0]
    assert "checked by its content" in exc.value.message_dict["file"][0]
    with pytest.raises(ValidationError, match="is empty"):
        attachments.attachment_add(actor=users["office_head"], unit=region.office_a1,
                                   upload=upload("空.pdf", b""), purpose="test.files")
    _nothing_saved(before)


def test_a_file_over_the_limit_is_refused_with_the_limit(users, region, settings):
    settings.ATTACHMENT_MAX_BYTES = 2048
    before = AuditEvent.objects.count()
    data = pdf_bytes() + b"\n" * 4096
    with pytest.raises(ValidationError) as exc:
        attachments.attachment_add(actor=users["office_head"], unit=region.office_a1,
                                   upload=upload("大文件.pdf", data), purpose="test.files")
    message = exc.value.message_dict["file"][0]
    assert "大文件.pdf" in message and "2048 bytes" in message and "2.0 KB" in message
    assert f"{len(data)} bytes" in message
    _nothing_saved(before)


def test_a_caller_limit_never_exceeds_the_settings_limit(users, region, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="the limit is 100 bytes"):
        attachments.check(upload("a.png", image_bytes("PNG") + b"\x00" * 200), limit=10 ** 9)


def test_a_failing_audit_leaves_neither_row_nor_file(users, region, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(attachments.audit, "record", broken)
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError):
        attachments.attachment_add(actor=users["office_head"], unit=region.office_a1,
                                   upload=upload("通报.pdf", pdf_bytes()), purpose="test.files")
    _nothing_saved(before)


def test_removing_an_attachment_removes_its_file_after_commit(users, region, django_capture_on_commit_callbacks):
    attachment = attachments.attachment_add(actor=users["office_head"], unit=region.office_a1,
                                            upload=upload("通报.pdf", pdf_bytes()), purpose="test.files")
    name = attachment.file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        attachments.attachment_delete(actor=users["office_head"], attachment=attachment, reason="重复上传")
    assert default_storage.exists(name)  # not before the commit
    for callback in callbacks:
        callback()
    assert not default_storage.exists(name) and not Attachment.objects.exists()
    event = AuditEvent.objects.filter(event_type=EventType.DELETE).latest("seq")
    assert event.before["attachment"]["sha256"] == attachment.sha256 and event.reason == "重复上传"


def test_the_removal_rolls_back_with_the_callers_transaction(users, region):
    attachment = attachments.attachment_add(actor=users["office_head"], unit=region.office_a1,
                                            upload=upload("通报.pdf", pdf_bytes()), purpose="test.files")
    pk, name = attachment.pk, attachment.file.name
    with pytest.raises(RuntimeError), transaction.atomic():
        attachments.attachment_delete(actor=users["office_head"], attachment=attachment)
        raise RuntimeError("the use case fails later")
    assert Attachment.objects.filter(pk=pk).exists()
    assert default_storage.exists(name)


# --- the one download ---------------------------------------------------------------------------------


def _attached(users, region, name="整改报告（2026年）.pdf", data=None):
    return attachments.attachment_add(actor=users["office_head"], unit=region.office_a1,
                                      upload=upload(name, data or pdf_bytes()), purpose="test.files")


def test_in_scope_the_bytes_arrive_unchanged_and_the_download_is_recorded(users, region, client_for):
    data = pdf_bytes()
    attachment = _attached(users, region, data=data)
    # The county above the office may view its data.
    response = client_for(users["county_reviewer"]).get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"] and response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.filter(event_type=EventType.DOWNLOAD).get()
    assert event.actor_name == "county_reviewer" and event.outcome == Outcome.SUCCESS
    assert event.object_id == str(attachment.pk) and event.unit_id == region.office_a1.pk
    assert event.details["sha256"] == hashlib.sha256(data).hexdigest() and event.details["bytes"] == len(data)


def test_the_chinese_name_travels_in_an_rfc_5987_header(users, region, client_for):
    attachment = _attached(users, region, name="整改报告（2026年）.pdf")
    response = client_for(users["office_head"]).get(attachment.get_absolute_url())
    header = response["Content-Disposition"]
    assert header.startswith("attachment; filename*=utf-8''")
    assert header.isascii()  # the raw name never goes into a header
    assert unquote(header.split("filename*=utf-8''", 1)[1]) == "整改报告（2026年）.pdf"


def test_out_of_scope_is_the_audited_404_and_nothing_is_sent(users, region, client_for):
    attachment = _attached(users, region)
    response = client_for(users["other_county_head"]).get(attachment.get_absolute_url())
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(event_type=EventType.DOWNLOAD).exists()
    refusal = AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED).latest("seq")
    assert refusal.actor_name == "other_county_head" and refusal.outcome == Outcome.DENIED
    assert refusal.object_id == str(attachment.pk) and refusal.details["action"] == "view"


def test_an_unknown_attachment_is_the_same_404_without_a_refusal(users, client_for):
    import uuid

    response = client_for(users["office_head"]).get(f"/audit/attachments/{uuid.uuid4()}/")
    assert response.status_code == 404
    assert client_for(users["office_head"]).get("/audit/attachments/987654/").status_code == 404
    assert not AuditEvent.objects.filter(event_type__in=[EventType.ACCESS_DENIED, EventType.DOWNLOAD]).exists()


def test_anonymous_is_sent_to_log_in(users, region, client):
    attachment = _attached(users, region)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 302 and "/login" in response["Location"]
    assert not AuditEvent.objects.filter(event_type=EventType.DOWNLOAD).exists()


def test_a_file_gone_from_the_store_is_a_404_not_a_download(users, region, client_for):
    attachment = _attached(users, region)
    default_storage.delete(attachment.file.name)
    response = client_for(users["office_head"]).get(attachment.get_absolute_url())
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(event_type=EventType.DOWNLOAD).exists()
