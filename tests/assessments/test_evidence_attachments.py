"""Evidence on core attachments: the move of existing files (migrations 0003-0005) and the audited download."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from jiceng.assessments import services
from jiceng.assessments.models import Evidence
from jiceng.core.models import Attachment, AuditEvent, EventType

from .conftest import sub_of
from .test_evidence import png_bytes, xlsx_bytes

BEFORE = [("assessments", "0002_submission_deadline_extension")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_existing_evidence_files_move_to_attachments_and_back_without_loss(campaign, region, more_users):
    sub = sub_of(campaign, region.office_a1)
    head = more_users["office_head"]
    photo, sheet = png_bytes(), xlsx_bytes()
    services.evidence_add(actor=head, submission=sub, item_id="2.2", upload=SimpleUploadedFile("门牌.png", photo))
    services.evidence_add(actor=head, submission=sub, item_id="3.7", upload=SimpleUploadedFile("台帐.xlsx", sheet))
    expected = {e.item_id: (e.original_name, e.content_type, e.size, e.sha256, e.uploaded_by_name, e.uploaded_at,
                            e.file.name) for e in Evidence.objects.all()}
    try:
        # Back to before the move: the evidence rows carry the file again, the attachments are gone.
        old = _migrate(BEFORE)
        OldEvidence = old.get_model("assessments", "Evidence")
        rows = {e.item_id: (e.original_name, e.content_type, e.size, e.sha256, e.uploaded_by_name, e.uploaded_at,
                            e.file.name) for e in OldEvidence.objects.all()}
        assert rows == expected
        assert not Attachment.objects.exists()
        # Forward again, as an install upgraded from before the move: every file becomes an attachment.
        _migrate(_latest())
    finally:
        _migrate(_latest())
    moved = {e.item_id: e for e in Evidence.objects.all()}
    assert {k: (e.original_name, e.content_type, e.size, e.sha256, e.uploaded_by_name, e.uploaded_at, e.file.name)
            for k, e in moved.items()} == expected
    for item_id, data in (("2.2", photo), ("3.7", sheet)):
        attachment = moved[item_id].attachment
        assert attachment.unit_id == region.office_a1.pk and attachment.purpose == Evidence.PURPOSE
        with attachment.file.open("rb") as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == hashlib.sha256(data).hexdigest() == attachment.sha256
    assert moved["3.7"].attachment.content_type.endswith("spreadsheetml.sheet")


def test_adding_evidence_writes_one_audit_record_about_the_submission(campaign, region, more_users):
    sub = sub_of(campaign, region.office_a1)
    before = AuditEvent.objects.count()
    evidence = services.evidence_add(actor=more_users["office_head"], submission=sub, item_id="2.2",
                                     upload=SimpleUploadedFile("门牌.png", png_bytes()))
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("seq")
    assert event.event_type == EventType.CREATE and event.object_id == str(sub.pk)
    assert event.after["evidence"]["sha256"] == evidence.sha256
    assert event.after["attachment"]["id"] == str(evidence.attachment_id)


def test_the_evidence_download_goes_through_the_one_mechanism(campaign, region, more_users, client):
    sub = sub_of(campaign, region.office_a1)
    data = png_bytes()
    evidence = services.evidence_add(actor=more_users["office_head"], submission=sub, item_id="2.2",
                                     upload=SimpleUploadedFile("所牌照片.png", data))
    client.force_login(more_users["county_reviewer"])
    response = client.get(reverse("assessments:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == data
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    event = AuditEvent.objects.filter(event_type=EventType.DOWNLOAD).get()
    assert event.object_id == str(sub.pk) and event.details["attachment"] == str(evidence.attachment_id)
    assert event.details["sha256"] == hashlib.sha256(data).hexdigest() and event.details["item"] == "2.2"
