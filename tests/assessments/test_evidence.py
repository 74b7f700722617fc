"""Evidence files: type by content, size limit, SHA-256, and only while the office edits."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from jiceng.assessments import services
from jiceng.assessments.evidence import sniff
from jiceng.assessments.models import Evidence
from real_files import docx_bytes, png_bytes, xlsx_bytes

from .conftest import fill_and_submit, sub_of


def test_types_are_recognised_by_content():
    assert sniff(png_bytes()) == "png"
    assert sniff(b"\xff\xd8\xff\xe0" + b"\x00" * 20) == "jpg"
    assert sniff(b"%PDF-1.7\n%\xe2\xe3\n") == "pdf"
    assert sniff(xlsx_bytes()) == "xlsx"
    assert sniff(docx_bytes()) == "docx"
    assert sniff(b"PK\x03\x04not really a zip") is None
    assert sniff(b"MZ\x90\x00 a program") is None


def test_office_attaches_a_photo_stored_with_its_hash(campaign, region, more_users):
    sub = sub_of(campaign, region.office_a1)
    data = png_bytes()
    upload = SimpleUploadedFile("门牌.png", data, content_type="image/jpeg")  # the browser's claim lies
    evidence = services.evidence_add(actor=more_users["office_head"], submission=sub, item_id="2.2", upload=upload)
    assert evidence.content_type == "png" and evidence.size == len(data)
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.original_name == "门牌.png"
    with evidence.file.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == evidence.sha256
    assert evidence.file.name.endswith(".png")


def test_office_attaches_spreadsheets_and_documents(campaign, region, more_users):
    sub = sub_of(campaign, region.office_a1)
    head = more_users["office_head"]
    xlsx = services.evidence_add(actor=head, submission=sub, item_id="3.7",
                                 upload=SimpleUploadedFile("台帐.xlsx", xlsx_bytes()))
    docx = services.evidence_add(actor=head, submission=sub, item_id="3.1",
                                 upload=SimpleUploadedFile("制度.docx", docx_bytes()))
    assert (xlsx.content_type, docx.content_type) == ("xlsx", "docx")
    from openpyxl import load_workbook

    with xlsx.file.open("rb") as stored:
        assert load_workbook(stored).active["A1"].value == "巡查台帐"


def test_a_photo_whose_name_says_another_type_is_refused(campaign, region, more_users):
    # Since the evidence moved onto core.attachments, the name must agree with the content.
    sub = sub_of(campaign, region.office_a1)
    with pytest.raises(ValidationError) as exc:
        services.evidence_add(actor=more_users["office_head"], submission=sub, item_id="2.2",
                              upload=SimpleUploadedFile("门牌.jpg", png_bytes()))
    message = exc.value.message_dict["file"][0]
    assert "门牌.jpg" in message and "JPEG" in message and "PNG" in message
    assert not Evidence.objects.exists()


def test_a_disguised_file_is_refused(campaign, region, more_users):
    sub = sub_of(campaign, region.office_a1)
    with pytest.raises(ValidationError) as exc:
        services.evidence_add(actor=more_users["office_head"], submission=sub, item_id="2.2",
                              upload=SimpleUploadedFile("photo.jpg", b"<script>alert(1)</script>"))
    assert "checked by its content" in exc.value.message_dict["file"][0]
    assert not Evidence.objects.exists()


def test_a_file_over_the_size_limit_is_refused(campaign, region, more_users, settings):
    settings.ASSESSMENT_EVIDENCE_MAX_BYTES = 100
    sub = sub_of(campaign, region.office_a1)
    with pytest.raises(ValidationError, match="limit of 100 bytes|the limit is 100 bytes"):
        services.evidence_add(actor=more_users["office_head"], submission=sub, item_id="2.2",
                              upload=SimpleUploadedFile("big.png", png_bytes() + b"\x00" * 200))
    assert not Evidence.objects.exists()


def test_evidence_is_refused_after_submission_and_outside_scope(campaign, region, more_users):
    sub = fill_and_submit(campaign, region.office_a1, more_users["office_head"])
    with pytest.raises(ValidationError, match="only be added"):
        services.evidence_add(actor=more_users["office_head"], submission=sub, item_id="2.2",
                              upload=SimpleUploadedFile("a.png", png_bytes()))
    other = sub_of(campaign, region.office_b1)
    with pytest.raises(Http404):
        services.evidence_add(actor=more_users["office_head"], submission=other, item_id="2.2",
                              upload=SimpleUploadedFile("a.png", png_bytes()))


def test_evidence_can_be_removed_while_editing(campaign, region, more_users, django_capture_on_commit_callbacks):
    sub = sub_of(campaign, region.office_a1)
    head = more_users["office_head"]
    evidence = services.evidence_add(actor=head, submission=sub, item_id="2.2",
                                     upload=SimpleUploadedFile("a.png", png_bytes()))
    storage, name = evidence.file.storage, evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(actor=head, evidence=evidence)
    assert not Evidence.objects.exists()
    assert not storage.exists(name)
