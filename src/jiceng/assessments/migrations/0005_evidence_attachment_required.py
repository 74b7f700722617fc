"""The evidence's own file columns go (the attachment holds them since 0004); the link becomes required."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0004_evidence_files_to_attachments"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="evidence",
            options={"ordering": ["item_id", "attachment__uploaded_at", "pk"], "verbose_name": "evidence file",
                     "verbose_name_plural": "evidence files"},
        ),
        migrations.RemoveField(model_name="evidence", name="file"),
        migrations.RemoveField(model_name="evidence", name="original_name"),
        migrations.RemoveField(model_name="evidence", name="content_type"),
        migrations.RemoveField(model_name="evidence", name="size"),
        migrations.RemoveField(model_name="evidence", name="sha256"),
        migrations.RemoveField(model_name="evidence", name="uploaded_by_name"),
        migrations.RemoveField(model_name="evidence", name="uploaded_at"),
        migrations.AlterField(
            model_name="evidence",
            name="attachment",
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name="evidence",
                                       to="core.attachment", verbose_name="file"),
        ),
    ]
