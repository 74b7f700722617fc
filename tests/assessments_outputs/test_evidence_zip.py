"""All evidence of a submission as one zip, arranged by item; read back with zipfile."""

from __future__ import annotations

import csv
import hashlib
import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiceng.assessments import services
from jiceng.assessments.outputs import evidence_zip
from jiceng.core.models import AuditEvent, EventType


def png(rgb: bytes = b"\x19\x87\x54") -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + rgb * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def with_evidence(campaign, region, people):
    sub = campaign.submissions.get(unit=region.office_a1)
    head = people["office_head"]
    for item_id, name, data in (
        ("2.2", "所牌照片.png", png()),
        ("2.2", "所牌照片.png", png(b"\x00\x00\xff")),  # the same name twice: numbered in the zip
        ("1.1", "人员名单.pdf", PDF),
        ("2.4", "bad/../..\\name?.png", png(b"\xff\x00\x00")),
    ):
        services.evidence_add(actor=head, submission=sub, item_id=item_id,
                              upload=SimpleUploadedFile(name, data))
    return sub


def _zip(sub) -> zipfile.ZipFile:
    spool, _entries = evidence_zip.evidence_zip(sub)
    return zipfile.ZipFile(io.BytesIO(spool.read()))


def test_one_folder_per_item_in_scheme_order(with_evidence):
    names = _zip(with_evidence).namelist()
    assert names == [
        "1.1 配备与当地人口、土地面积、经济发展状况、工作任务/人员名单.pdf",
        "2.2 视觉形象识别/所牌照片.png",
        "2.2 视觉形象识别/所牌照片 (2).png",
        "2.4 照片上墙_佩证_去向牌/_name_.png",
        "清单.csv",
    ]


def test_every_file_hashes_to_its_evidence_record(with_evidence):
    archive = _zip(with_evidence)
    manifest = list(csv.reader(io.StringIO(archive.read("清单.csv").decode("utf-8-sig"))))
    assert manifest[0][:6] == ["项目", "文件", "原文件名", "类型", "大小（字节）", "SHA-256"]
    records = {e.sha256: e for e in with_evidence.evidence.all()}
    assert len(manifest) - 1 == len(records) == 4
    for row in manifest[1:]:
        item_id, path, original, _kind, size, digest, *_rest, check = row
        content = archive.read(path)
        assert hashlib.sha256(content).hexdigest() == digest
        assert records[digest].item_id == item_id and records[digest].original_name == original
        assert int(size) == len(content) and check == "一致"


def test_a_file_altered_on_disk_is_flagged_in_the_list(with_evidence):
    evidence = with_evidence.evidence.get(item_id="1.1")
    with open(evidence.file.path, "ab") as stored:
        stored.write(b"tampered")
    spool, entries = evidence_zip.evidence_zip(with_evidence)
    flagged = [e for e in entries if not e.matches]
    assert [e.evidence.pk for e in flagged] == [evidence.pk]
    manifest = zipfile.ZipFile(io.BytesIO(spool.read())).read("清单.csv").decode("utf-8-sig")
    assert "不一致（现为 " in manifest


def test_the_reviewing_county_downloads_the_zip_and_it_is_recorded(with_evidence, people, client_for):
    response = client_for(people["county_reviewer"]).get(
        reverse("assessment_outputs:evidence_zip", args=[with_evidence.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    content = b"".join(response.streaming_content)
    assert len(zipfile.ZipFile(io.BytesIO(content)).namelist()) == 5
    event = AuditEvent.objects.filter(event_type=EventType.EXPORT).latest("seq")
    assert event.details["kind"] == "assessment.evidence" and event.details["files"] == 4
    assert event.details["sha256"] == hashlib.sha256(content).hexdigest() and event.details["mismatched"] == []


def test_a_submission_without_evidence_gives_a_zip_with_only_the_list(campaign, region):
    archive = _zip(campaign.submissions.get(unit=region.office_b1))
    assert archive.namelist() == ["清单.csv"]
