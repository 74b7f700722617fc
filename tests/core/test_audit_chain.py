"""The keyed audit chains: HMAC under a key outside the database, one chain per county, signed checkpoints,
and `verify()` naming truncation, rewrites (even with recomputed hashes), deleted rows and wrong keys."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from jiceng.core import audit, audit_chain, audit_keys
from jiceng.core.models import AuditEvent, EventType

COUNTY_A = SimpleNamespace(pk=2, path="00010001", name="甲县局")
OFFICE_A = SimpleNamespace(pk=3, path="000100010001", name="甲县一所")
COUNTY_B = SimpleNamespace(pk=4, path="00010002", name="乙县局")


@pytest.fixture(autouse=True)
def _own_keys_and_log(settings, tmp_path):
    """Each test gets its own key directory and checkpoint log (never the developer's var/)."""
    settings.AUDIT_KEY = None
    settings.AUDIT_KEY_DIR = tmp_path / "audit_keys"
    settings.AUDIT_CHECKPOINT_LOG = tmp_path / "checkpoints.log"
    settings.AUDIT_CHECKPOINT_SYSLOG = ""
    yield


def _rows(n: int, unit=None, start: int = 0) -> list[AuditEvent]:
    return [audit.record_now(EventType.SETTINGS_CHANGE, actor_name=f"ops{i}", unit=unit, details={"n": i}) for i in range(start, start + n)]


def _sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _kinds(result) -> list[tuple[str, int | None]]:
    return [(p.kind, p.chain_seq) for p in result.problems]


# --- the seal -----------------------------------------------------------------


def test_a_row_is_sealed_with_an_hmac_under_the_current_key_not_a_plain_hash(db):
    row = _rows(1)[0]
    ring = audit_keys.keyring()
    assert row.key_id == ring.current_id
    canonical = audit._canonical(audit._payload(row))
    assert row.hash == hmac.new(ring.key(row.key_id), canonical, hashlib.sha256).hexdigest()
    assert row.hash != hashlib.sha256(canonical).hexdigest()
    assert audit_chain.verify().ok


def test_the_first_key_is_created_on_first_use_readable_by_the_owner_only(db, settings):
    directory = settings.AUDIT_KEY_DIR
    assert not directory.exists()
    row = _rows(1)[0]
    key_file = directory / f"{row.key_id}.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert (directory / "current").read_text().strip() == row.key_id
    assert len(key_file.read_text().strip()) >= 32


def test_a_key_ring_from_the_environment_signs_with_its_first_entry(db, settings):
    settings.AUDIT_KEY = "e2:" + "b" * 40 + ", e1:" + "a" * 40
    row = _rows(1)[0]
    assert row.key_id == "e2"
    assert not settings.AUDIT_KEY_DIR.exists()  # no key file is made when the environment holds the key
    assert audit_chain.verify().ok


@pytest.mark.parametrize("value, message", [("nocolon" + "x" * 20, "ID:SECRET"), ("k1:short", "16 characters"),
                                            ("k1:" + "a" * 20 + " k1:" + "b" * 20, "twice")])
def test_a_malformed_environment_key_is_refused_with_the_reason(db, settings, value, message):
    settings.AUDIT_KEY = value
    with pytest.raises(audit_keys.AuditKeyError, match=message):
        _rows(1)
    assert AuditEvent.objects.count() == 0


# --- chains -------------------------------------------------------------------


def test_each_county_has_its_own_chain_numbered_from_one(db):
    _rows(2, COUNTY_A)
    _rows(2, COUNTY_B)
    _rows(1, OFFICE_A)
    _rows(1)
    rows = list(AuditEvent.objects.order_by("seq").values_list("chain", "chain_seq"))
    assert rows == [("00010001", 1), ("00010001", 2), ("00010002", 1), ("00010002", 2), ("00010001", 3), ("", 1)]
    a3 = AuditEvent.objects.get(chain="00010001", chain_seq=3)
    assert a3.prev_hash == AuditEvent.objects.get(chain="00010001", chain_seq=2).hash
    result = audit_chain.verify()
    assert result.ok and result.checked == 6 and result.chains == 3


# --- tampering ------------------------------------------------------------------


def test_truncation_after_a_checkpoint_is_detected_and_named(db):
    _rows(5, COUNTY_A)
    _rows(2, COUNTY_B)
    entries = audit_chain.write_checkpoint()
    assert {(e["chain"], e["chain_seq"]) for e in entries} == {("00010001", 5), ("00010002", 2)}
    _sql("DELETE FROM core_auditevent WHERE chain = %s AND chain_seq >= 4", ["00010001"])
    result = audit_chain.verify()
    assert not result.ok
    assert _kinds(result) == [("truncated", 4)]
    assert "chain 00010001 truncated: rows 4–5 are missing" in result.problem


def test_a_whole_chain_deleted_after_a_checkpoint_is_detected(db):
    _rows(2, COUNTY_A)
    _rows(3, COUNTY_B)
    audit_chain.write_checkpoint()
    _sql("DELETE FROM core_auditevent WHERE chain = %s", ["00010002"])
    result = audit_chain.verify()
    assert _kinds(result) == [("truncated", 1)] and "rows 1–3 are missing" in result.problem


def test_verify_says_when_there_is_no_checkpoint_to_detect_truncation(db, capsys):
    _rows(3)
    _sql("DELETE FROM core_auditevent WHERE chain_seq = 3")
    result = audit_chain.verify()
    assert result.ok and not result.checkpoint_found  # the one thing a checkpoint is needed for
    call_command("audit", "verify")
    assert "no checkpoint log yet" in capsys.readouterr().out


def test_a_deleted_middle_row_is_named(db):
    _rows(5, COUNTY_A)
    gone = AuditEvent.objects.get(chain="00010001", chain_seq=3).seq
    _sql("DELETE FROM core_auditevent WHERE seq = %s", [gone])
    result = audit_chain.verify()
    assert _kinds(result) == [("missing", 3)]
    assert result.bad_seq == gone and "row 3 is missing from chain 00010001" in result.problem


def _rewrite_from(chain_seq: int, chain: str, seal) -> None:
    """What someone with write access to the database but not the key can do: edit a row and re-seal everything after it."""
    rows = list(AuditEvent.objects.filter(chain=chain).order_by("chain_seq"))
    prev = rows[chain_seq - 2].hash if chain_seq > 1 else audit.GENESIS_HASH
    for row in rows[chain_seq - 1:]:
        if row.chain_seq == chain_seq:
            row.reason = "rewritten"
        row.prev_hash = prev
        row.hash = seal(row)
        _sql("UPDATE core_auditevent SET reason = %s, prev_hash = %s, hash = %s WHERE seq = %s",
             [row.reason, row.prev_hash, row.hash, row.seq])
        prev = row.hash


def test_a_rewrite_with_recomputed_plain_hashes_is_named_at_its_first_row(db):
    _rows(5, COUNTY_A)
    _rows(2, COUNTY_B)
    _rewrite_from(3, "00010001", lambda row: hashlib.sha256(audit._canonical(audit._payload(row))).hexdigest())
    result = audit_chain.verify()
    assert _kinds(result) == [("altered", 3), ("altered", 4), ("altered", 5)]
    assert result.bad_seq == AuditEvent.objects.get(chain="00010001", chain_seq=3).seq
    assert "was altered" in result.problem


def test_a_rewrite_with_a_guessed_key_also_contradicts_the_checkpoint(db):
    _rows(4, COUNTY_A)
    audit_chain.write_checkpoint()
    guess = b"guessed-key-guessed-key"
    _rewrite_from(2, "00010001", lambda row: hmac.new(guess, audit._canonical(audit._payload(row)), hashlib.sha256).hexdigest())
    result = audit_chain.verify()
    assert ("checkpoint_mismatch", 4) in _kinds(result)
    assert ("altered", 2) in _kinds(result) and ("altered", 1) not in _kinds(result)


def test_a_wrong_key_is_named_as_such(db, settings):
    rows = _rows(3)
    key_file = settings.AUDIT_KEY_DIR / f"{rows[0].key_id}.key"
    key_file.write_text("another-secret-altogether-xxxxxxxx")
    audit_keys._cache.clear()
    result = audit_chain.verify()
    assert _kinds(result) == [("wrong_key", 1)]
    assert f"no row signed with key {rows[0].key_id!r} verifies" in result.problem


def test_a_missing_key_is_named(db, settings):
    rows = _rows(2)
    settings.AUDIT_KEY = "other:" + "z" * 32  # a key ring that does not hold the key the rows name
    result = audit_chain.verify()
    assert [p.kind for p in result.problems] == ["unknown_key", "unknown_key"]
    assert f"key {rows[0].key_id!r}, which is not configured" in result.problem


# --- rotation ---------------------------------------------------------------------


def test_rotation_signs_new_rows_with_the_new_key_and_old_rows_still_verify(db, settings, capsys):
    old = _rows(2, COUNTY_A)
    call_command("audit", "rotate-key")
    out = capsys.readouterr().out
    new = _rows(2, COUNTY_A, start=2)
    assert old[0].key_id.startswith("k1-") and new[0].key_id.startswith("k2-") and new[0].key_id in out
    assert {r.key_id for r in new} == {new[0].key_id} != {old[0].key_id}
    assert new[0].prev_hash == old[1].hash  # the chain runs on across the rotation
    assert audit_chain.verify().ok
    # The old key is still needed: without it the old rows are named.
    (settings.AUDIT_KEY_DIR / f"{old[0].key_id}.key").unlink()
    audit_keys._cache.clear()
    result = audit_chain.verify()
    assert [(p.kind, p.chain_seq) for p in result.problems] == [("unknown_key", 1), ("unknown_key", 2)]


def test_rotation_is_refused_when_the_key_comes_from_the_environment(db, settings):
    settings.AUDIT_KEY = "e1:" + "a" * 40
    with pytest.raises(CommandError, match="put a new ID:SECRET entry first"):
        call_command("audit", "rotate-key")


def test_checkpoints_signed_before_a_rotation_still_verify(db):
    _rows(2)
    audit_chain.write_checkpoint()
    audit_keys.rotate()
    _rows(1, start=2)
    audit_chain.write_checkpoint()
    result = audit_chain.verify()
    assert result.ok and result.checkpoint_lines == 2


# --- checkpoints -----------------------------------------------------------------


def test_the_checkpoint_command_appends_signed_lines_to_a_private_file(db, settings, capsys):
    _rows(2, COUNTY_A)
    _rows(1)
    call_command("audit", "checkpoint")
    assert "2 chain heads written" in capsys.readouterr().out
    _rows(1)
    call_command("audit", "checkpoint")
    log = settings.AUDIT_CHECKPOINT_LOG
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(e["chain"], e["chain_seq"]) for e in lines] == [("", 1), ("00010001", 2), ("", 2), ("00010001", 2)]
    ring = audit_keys.keyring()
    head = AuditEvent.objects.get(chain="", chain_seq=2)
    assert lines[2]["hash"] == head.hash and lines[2]["seq"] == head.seq
    assert all(audit_chain.signature_ok(e, ring) for e in lines)
    # The signature covers the head: a line with another number does not verify.
    assert audit_chain.signature_ok({**lines[2], "chain_seq": 1}, ring) is False


def test_an_edited_checkpoint_line_is_named(db, settings):
    _rows(3)
    audit_chain.write_checkpoint()
    log = settings.AUDIT_CHECKPOINT_LOG
    entry = json.loads(log.read_text())
    entry["chain_seq"] = 2  # someone hiding a truncation of row 3
    log.write_text(json.dumps(entry) + "\n")
    result = audit_chain.verify()
    assert [p.kind for p in result.problems] == ["checkpoint_signature"]
    assert "line 1" in result.problem and "does not verify" in result.problem


def test_the_daily_task_writes_a_checkpoint(db, settings):
    from jiceng.core.tasks import audit_checkpoint

    _rows(3, COUNTY_B)
    outcome = audit_checkpoint.call()
    assert outcome == {"chains": 1, "rows": 3}
    entry = json.loads(settings.AUDIT_CHECKPOINT_LOG.read_text())
    assert entry["chain"] == "00010002" and entry["chain_seq"] == 3


def test_verify_fails_with_exit_1_naming_the_truncation(db, capsys):
    _rows(3)
    call_command("audit", "checkpoint")
    _sql("DELETE FROM core_auditevent WHERE chain_seq = 3")
    with pytest.raises(SystemExit) as excinfo:
        call_command("audit", "verify")
    assert excinfo.value.code == 1
    err = capsys.readouterr().err
    assert "[truncated]" in err and "row 3 is missing" in err


# --- the head on exported reports ---------------------------------------------------


def test_a_printed_head_verifies_until_the_chain_is_cut(db, capsys):
    _rows(3, COUNTY_A)
    _rows(1)
    text = audit_chain.head_text()
    assert text.startswith("audit-heads ") and " 00010001:3:" in text and " -:1:" in text
    call_command("audit", "verify-head", text)
    assert "OK" in capsys.readouterr().out
    assert audit_chain.check_head_text(text.replace("00010001:3:", "00010001:2:"))[0].kind == "checkpoint_signature"
    _sql("DELETE FROM core_auditevent WHERE chain = %s AND chain_seq = 3", ["00010001"])
    problems = audit_chain.check_head_text(text)
    assert [(p.kind, p.chain_seq) for p in problems] == [("truncated", 3)]
    with pytest.raises(SystemExit):
        call_command("audit", "verify-head", text)


def test_the_audit_export_prints_the_signed_heads(users, client_for):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_for(users["audit_admin"]).get("/audit/export/")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    title = sheet.cell(row=1, column=1).value
    assert "audit-heads " in title and " sig=" in title
    assert audit_chain.check_head_text(title) == []  # the whole line may be pasted
    assert AuditEvent.objects.filter(event_type=EventType.EXPORT).exists()


# --- existing rows ------------------------------------------------------------------


def _historical_apps():
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    return loader.project_state(("core", "0006_audit_keyed_chains")).apps


def _make_legacy(rows) -> None:
    """Turn rows into what the release before wrote: one chain, plain SHA-256, no key id."""
    prev = audit.GENESIS_HASH
    for number, row in enumerate(rows, start=1):
        old_seq = row.seq
        row.seq, row.chain, row.chain_seq, row.key_id, row.prev_hash = number, "", number, "", prev
        row.hash = audit.legacy_hash(row)
        _sql("UPDATE core_auditevent SET seq = %s, chain = '', chain_seq = %s, key_id = '', prev_hash = %s, hash = %s "
             "WHERE seq = %s", [number, number + 1000, row.prev_hash, row.hash, old_seq])
        prev = row.hash


def test_the_migration_reseals_a_legacy_trail_into_keyed_chains(db):
    import importlib

    migration = importlib.import_module("jiceng.core.migrations.0006_audit_keyed_chains")
    rows = _rows(2, COUNTY_A) + _rows(2)
    _make_legacy(rows)
    assert not audit_chain.verify().ok
    migration.reseal(_historical_apps(), SimpleNamespace(connection=connection))
    result = audit_chain.verify()
    assert result.ok and result.checked == 4 and result.chains == 2
    assert list(AuditEvent.objects.order_by("seq").values_list("chain", "chain_seq")) == [
        ("00010001", 1), ("00010001", 2), ("", 1), ("", 2)]


def test_the_migration_refuses_a_legacy_trail_that_was_tampered_with(db):
    import importlib

    migration = importlib.import_module("jiceng.core.migrations.0006_audit_keyed_chains")
    rows = _rows(3)
    _make_legacy(rows)
    _sql("UPDATE core_auditevent SET reason = 'edited' WHERE seq = %s", [rows[1].seq])
    with pytest.raises(RuntimeError, match=f"broken at row {rows[1].seq}"):
        migration.reseal(_historical_apps(), SimpleNamespace(connection=connection))


def test_key_files_are_never_world_readable_even_with_a_loose_umask(db, settings):
    old = os.umask(0)
    try:
        _rows(1)
        audit_keys.rotate()
    finally:
        os.umask(old)
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in settings.AUDIT_KEY_DIR.iterdir())


def test_checkpoints_also_go_to_syslog_when_configured(db, settings):
    import socket

    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(10)
    try:
        settings.AUDIT_CHECKPOINT_SYSLOG = f"127.0.0.1:{receiver.getsockname()[1]}"
        _rows(2)
        audit_chain.write_checkpoint()
        message = receiver.recv(65536).decode("utf-8")
    finally:
        receiver.close()
    entry = json.loads(message[message.index("{"):].rstrip("\x00"))
    assert entry["chain_seq"] == 2 and audit_chain.signature_ok(entry, audit_keys.keyring())


def test_verify_prints_at_most_fifty_problems_and_counts_the_rest(db, capsys):
    _rows(56)
    _sql("UPDATE core_auditevent SET reason = 'x' WHERE chain_seq > 1")
    with pytest.raises(SystemExit):
        call_command("audit", "verify")
    err = capsys.readouterr().err.splitlines()
    assert sum("[altered]" in line for line in err) == 50
    assert "… and 5 more problems" in err and "55 problems; 56 rows in 1 chains checked" in err


def test_a_checkpoint_taken_after_a_truncation_does_not_hide_it(db):
    _rows(4)
    audit_chain.write_checkpoint()
    _sql("DELETE FROM core_auditevent WHERE chain_seq >= 3")
    audit_chain.write_checkpoint()  # the next daily run sees the shortened chain
    result = audit_chain.verify()
    assert _kinds(result) == [("truncated", 3)]
