"""Every evidence file becomes a core Attachment of the submission's unit, without moving a byte.

The stored file keeps its name in the same (default) storage, so nothing is
copied and nothing can be lost; the attachment takes over the name, type,
size, SHA-256, uploader and time exactly as they were. The uploader was kept
as a copied name only, so `uploaded_by` stays empty for moved files. Reversible:
the values are copied back and the attachments removed.
"""

import uuid

from django.db import migrations

MIME = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
PURPOSE = "assessments.evidence"


def forward(apps, schema_editor):
    Evidence = apps.get_model("assessments", "Evidence")
    Attachment = apps.get_model("core", "Attachment")
    for evidence in Evidence.objects.filter(attachment__isnull=True).select_related("submission").iterator():
        attachment = Attachment.objects.create(
            id=uuid.uuid4(),
            unit_id=evidence.submission.unit_id,
            purpose=PURPOSE,
            file=evidence.file.name,
            original_name=evidence.original_name or "",
            kind=evidence.content_type or "",
            content_type=MIME.get(evidence.content_type, "application/octet-stream"),
            size=evidence.size or 0,
            sha256=evidence.sha256 or "",
            uploaded_by_name=evidence.uploaded_by_name,
            uploaded_at=evidence.uploaded_at,
        )
        Evidence.objects.filter(pk=evidence.pk).update(attachment=attachment)


def backward(apps, schema_editor):
    Evidence = apps.get_model("assessments", "Evidence")
    Attachment = apps.get_model("core", "Attachment")
    for evidence in Evidence.objects.filter(attachment__isnull=False).select_related("attachment").iterator():
        a = evidence.attachment
        Evidence.objects.filter(pk=evidence.pk).update(
            file=a.file.name, original_name=a.original_name, content_type=a.kind, size=a.size, sha256=a.sha256,
            uploaded_by_name=a.uploaded_by_name, uploaded_at=a.uploaded_at, attachment=None,
        )
        Attachment.objects.filter(pk=a.pk).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0003_evidence_attachment"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
