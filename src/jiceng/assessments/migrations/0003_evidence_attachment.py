"""Evidence gets a link to a core Attachment (filled by 0004); the old file columns become nullable.

Nullable so that the move can be undone: reversing 0005 re-adds them empty, 0004's
reverse copies the values back, and reversing this one makes them required again.
"""

import django.db.models.deletion
import jiceng.assessments.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0002_submission_deadline_extension"),
        ("core", "0004_attachment"),
    ]

    operations = [
        migrations.AddField(
            model_name="evidence",
            name="attachment",
            field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.PROTECT,
                                       related_name="evidence", to="core.attachment", verbose_name="file"),
        ),
        migrations.AlterField(
            model_name="evidence", name="file",
            field=models.FileField(max_length=200, null=True, upload_to=jiceng.assessments.models.evidence_path,
                                   verbose_name="file"),
        ),
        migrations.AlterField(
            model_name="evidence", name="original_name",
            field=models.CharField(max_length=200, null=True, verbose_name="file name"),
        ),
        migrations.AlterField(
            model_name="evidence", name="content_type",
            field=models.CharField(max_length=10, null=True, verbose_name="type"),
        ),
        migrations.AlterField(
            model_name="evidence", name="size",
            field=models.PositiveIntegerField(null=True, verbose_name="size (bytes)"),
        ),
        migrations.AlterField(
            model_name="evidence", name="sha256",
            field=models.CharField(max_length=64, null=True, verbose_name="SHA-256"),
        ),
    ]
