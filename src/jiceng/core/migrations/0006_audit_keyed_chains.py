"""Key the audit chain and split it into chains (core.audit, docs/architecture.md "Audit chain").

Existing rows were sealed with a plain SHA-256 in one chain. Before anything
is rewritten, that chain is checked end to end: a trail already broken is
refused (naming the row), so the re-sealing cannot launder a tampered row.
Then every row gets its chain (the county of its unit), its number in that
chain, the id of the current audit key and a new HMAC, linked chain by chain.
On PostgreSQL the sequence that numbers new rows starts after the last one.
"""

from django.db import migrations, models
from django.db.models.functions import Cast


def reseal(apps, schema_editor):
    from jiceng.core import audit, audit_keys

    Event = apps.get_model("core", "AuditEvent")
    rows = list(Event.objects.using(schema_editor.connection.alias).order_by("seq"))
    expected_prev, expected_seq = audit.GENESIS_HASH, 1
    for row in rows:
        if row.seq != expected_seq or row.prev_hash != expected_prev or audit.legacy_hash(row) != row.hash:
            raise RuntimeError(
                f"audit trail broken at row {row.seq} (run the previous release's `jiceng audit verify`): "
                "refusing to re-seal a trail that does not verify"
            )
        expected_prev, expected_seq = row.hash, row.seq + 1
    if not rows:
        return
    ring = audit_keys.keyring()
    heads: dict[str, tuple[int, str]] = {}
    for row in rows:
        row.chain = audit.chain_of(row.unit_path)
        number, prev = heads.get(row.chain, (0, audit.GENESIS_HASH))
        row.chain_seq, row.prev_hash, row.key_id = number + 1, prev, ring.current_id
        row.hash = audit.compute_hash(row, ring)
        heads[row.chain] = (row.chain_seq, row.hash)
    # Hashes are unique: clear them first so a new one never meets an old one mid-way.
    Event.objects.using(schema_editor.connection.alias).update(hash=Cast("seq", models.CharField()))
    Event.objects.using(schema_editor.connection.alias).bulk_update(
        rows, ["chain", "chain_seq", "key_id", "prev_hash", "hash"], batch_size=1000
    )


def create_sequence(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM core_auditevent")
        start = cursor.fetchone()[0]
        cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS core_auditevent_global_seq START {int(start)}")


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS core_auditevent_global_seq")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0005_workday_schedule"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain_seq",
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(default="", max_length=32),
            preserve_default=False,
        ),
        migrations.RunPython(reseal, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="chain_seq",
            field=models.PositiveBigIntegerField(),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=("chain", "chain_seq"), name="audit_chain_seq"),
        ),
        migrations.RunPython(create_sequence, drop_sequence),
    ]
