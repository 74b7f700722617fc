"""The `jiceng` command: its help, `createuser`, and `audit verify` on a real database file."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jiceng.core import audit
from jiceng.core.models import AuditEvent, EventType

JICENG = Path(sys.executable).with_name("jiceng")


def run(*args, data_dir: Path | None = None, timeout=180, **env):
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    if data_dir is not None:
        environ["JICENG_DATA_DIR"] = str(data_dir)
    environ.update(env)
    return subprocess.run([str(JICENG), *args], env=environ, capture_output=True, text=True, timeout=timeout)


def test_the_console_script_is_installed():
    assert JICENG.exists(), f"{JICENG}: run pip install -e . in the virtualenv"


def test_help_lists_every_jiceng_command():
    result = run("--help")
    assert result.returncode == 0, result.stderr
    for command in ["serve", "demo", "migrate", "createuser", "audit verify", "schemes", "score", "grade"]:
        assert f"\n  {command}" in result.stdout, f"{command!r} missing from:\n{result.stdout}"


def test_no_arguments_prints_the_help_too():
    result = run()
    assert result.returncode == 0 and "usage: jiceng" in result.stdout


# --- a real database file, migrated once for this module ---------------------------


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("jiceng-data")
    result = run("migrate", "--no-input", data_dir=directory, timeout=300)
    assert result.returncode == 0, result.stderr
    script = (
        "from jiceng.core import audit\n"
        "from jiceng.org import services\n"
        "city = services.unit_create(actor=None, parent=None, kind='city', name='市局', code='C')\n"
        "services.unit_create(actor=None, parent=city, kind='county', name='县局', code='CA')\n"
        "for i in range(3):\n"
        "    audit.record_now('settings.change', actor_name='ops', details={'n': i})\n"
        "from jiceng.core import audit_chain\n"
        "audit_chain.write_checkpoint()\n"  # as the daily task does: rows cut off a chain's end are then detected
    )
    result = run("shell", "-c", script, data_dir=directory)
    assert result.returncode == 0, result.stderr
    return directory


def _copy(data_dir: Path, target: Path) -> Path:
    target.mkdir()
    for path in data_dir.glob("jiceng.sqlite3*"):
        shutil.copy(path, target / path.name)
    shutil.copy(data_dir / "secret_key", target / "secret_key")
    # The chain's HMAC key and its signed checkpoints live beside the database.
    shutil.copytree(data_dir / "audit_keys", target / "audit_keys")
    shutil.copy(data_dir / "audit_checkpoints.log", target / "audit_checkpoints.log")
    return target


def _sql(directory: Path, statement: str, params=()):
    with sqlite3.connect(directory / "jiceng.sqlite3") as db:
        db.execute(statement, params)


def test_audit_verify_exits_0_on_an_intact_trail(data_dir):
    result = run("audit", "verify", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "OK: 5 audit records, chain intact" in result.stdout


def test_audit_verify_exits_1_naming_a_row_altered_through_sql(data_dir, tmp_path):
    copy = _copy(data_dir, tmp_path / "altered")
    _sql(copy, "UPDATE core_auditevent SET actor_name = 'someone else' WHERE seq = 4")
    result = run("audit", "verify", data_dir=copy)
    assert result.returncode == 1
    assert "BROKEN at row 4" in result.stderr and "altered" in result.stderr


def test_audit_verify_exits_1_naming_a_row_deleted_through_sql(data_dir, tmp_path):
    copy = _copy(data_dir, tmp_path / "deleted")
    _sql(copy, "DELETE FROM core_auditevent WHERE seq = 2")
    result = run("audit", "verify", data_dir=copy)
    assert result.returncode == 1
    assert "BROKEN at row 2" in result.stderr and "missing" in result.stderr


def test_audit_verify_also_runs_as_python_m_jiceng(data_dir):
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    environ["JICENG_DATA_DIR"] = str(data_dir)
    result = subprocess.run([sys.executable, "-m", "jiceng", "audit", "verify"], env=environ, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0 and "chain intact" in result.stdout, result.stderr


def test_createuser_refuses_an_unknown_unit_with_a_clear_message(data_dir):
    result = run("createuser", "wang", "--role", "office_head", "--unit", "NOPE", "--password", "Temp#orary2026",
                 data_dir=data_dir)
    assert result.returncode == 1
    assert "no unit with code 'NOPE'" in result.stderr


def test_createuser_refuses_an_unknown_role(data_dir):
    result = run("createuser", "wang", "--role", "emperor", "--unit", "C", "--password", "Temp#orary2026",
                 data_dir=data_dir)
    assert result.returncode != 0 and "emperor" in result.stderr


def test_createuser_creates_an_account_with_a_role_in_a_subprocess(data_dir, tmp_path):
    copy = _copy(data_dir, tmp_path / "accounts")
    result = run("createuser", "li", "--full-name", "李局长", "--role", "city_admin", "--unit", "C",
                 "--password", "Temp#orary2026", data_dir=copy)
    assert result.returncode == 0, result.stderr
    assert "created li (city_admin @ 市局)" in result.stdout
    with sqlite3.connect(copy / "jiceng.sqlite3") as db:
        row = db.execute(
            "SELECT u.must_change_password, m.role FROM accounts_user u JOIN accounts_membership m ON m.user_id = u.id "
            "WHERE u.username = 'li'"
        ).fetchone()
    assert row == (1, "city_admin")
    assert run("audit", "verify", data_dir=copy).returncode == 0


# --- the same commands in-process, against the test database ------------------------


def test_createuser_in_process_creates_the_account_and_its_audit_records(region, capsys):
    from jiceng.accounts.models import User

    call_command("createuser", "zhao", "--role", "county_reviewer", "--unit", "CA", "--password", "Temp#orary2026",
                 "--no-change-required")
    user = User.objects.get(username="zhao")
    assert not user.must_change_password
    assert [(m.role, m.unit.code) for m in user.memberships.select_related("unit")] == [("county_reviewer", "CA")]
    assert AuditEvent.objects.filter(event_type=EventType.ACCOUNT_CREATE, actor_name="cli").exists()
    assert AuditEvent.objects.filter(event_type=EventType.ROLE_GRANT, actor_name="cli").exists()


def test_createuser_with_a_weak_password_names_the_problem_and_creates_nothing(region):
    from jiceng.accounts.models import User

    with pytest.raises(CommandError, match="password|密码"):
        call_command("createuser", "zhao", "--role", "county_reviewer", "--unit", "CA", "--password", "abcdefgh")
    assert not User.objects.filter(username="zhao").exists()


def test_createuser_with_a_taken_name_says_so(region, users):
    with pytest.raises(CommandError, match="username"):
        call_command("createuser", "office_head", "--role", "county_reviewer", "--unit", "CA",
                     "--password", "Temp#orary2026")


def test_audit_verify_in_process_exits_1_on_a_broken_chain(db, capsys):
    from django.db import connection

    rows = [audit.record_now(EventType.SETTINGS_CHANGE, actor_name="ops", details={"n": i}) for i in range(3)]
    call_command("audit", "verify")
    assert "OK: 3 audit records" in capsys.readouterr().out
    with connection.cursor() as cursor:  # seq, not 2: on PostgreSQL a sequence numbers the rows
        cursor.execute("UPDATE core_auditevent SET reason = 'x' WHERE seq = %s", [rows[1].seq])
    with pytest.raises(SystemExit) as excinfo:
        call_command("audit", "verify")
    assert excinfo.value.code == 1
    assert f"BROKEN at row {rows[1].seq}" in capsys.readouterr().err
