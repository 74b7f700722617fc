"""Attachments in an S3-compatible store (as MinIO serves several web hosts), against moto in server mode.

moto runs a real HTTP S3 endpoint on a free local port; django-storages talks
to it through boto3 exactly as it would to MinIO (endpoint URL, keys, bucket).
Skipped when the optional extra is not installed: pip install -e '.[test,s3]'.
"""

from __future__ import annotations

import hashlib
import socket

import pytest

pytest.importorskip("storages.backends.s3")
moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from jiceng.core import attachments  # noqa: E402
from jiceng.core.models import AuditEvent, EventType  # noqa: E402

from .test_attachments import pdf_bytes  # noqa: E402

BUCKET = "jiceng-test"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_storage(settings, s3_endpoint, monkeypatch):
    # The same settings an operator writes for MinIO (docs/operations.md), pointed at moto.
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    client = boto3.client("s3", endpoint_url=s3_endpoint, aws_access_key_id="testing",
                          aws_secret_access_key="testing", region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": BUCKET, "endpoint_url": s3_endpoint, "region_name": "us-east-1",
            "access_key": "testing", "secret_key": "testing", "default_acl": None, "file_overwrite": False,
        }},
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_an_attachment_is_stored_in_the_bucket_and_downloaded_through_the_one_view(
        s3_storage, users, region, client_for):
    data = pdf_bytes()
    attachment = attachments.attachment_add(actor=users["office_head"], unit=region.office_a1,
                                            upload=SimpleUploadedFile("通报.pdf", data), purpose="test.files")
    stored = s3_storage.get_object(Bucket=BUCKET, Key=attachment.file.name)["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == attachment.sha256 == hashlib.sha256(data).hexdigest()

    response = client_for(users["county_reviewer"]).get(attachment.get_absolute_url())
    assert response.status_code == 200 and b"".join(response.streaming_content) == data
    assert AuditEvent.objects.filter(event_type=EventType.DOWNLOAD, object_id=str(attachment.pk)).exists()

    outsider = client_for(users["other_county_head"]).get(attachment.get_absolute_url())
    assert outsider.status_code == 404


def test_a_refused_file_leaves_nothing_in_the_bucket(s3_storage, users, region):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        attachments.attachment_add(actor=users["office_head"], unit=region.office_a1,
                                   upload=SimpleUploadedFile("通报.png", pdf_bytes()), purpose="test.files")
    assert s3_storage.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0) == 0
