"""Settings from the environment: strict parsers, and a SECRET_KEY kept under the data directory."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from jiceng.settings import envbool, envint, envlist, envsecret


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", "yes", "on", " True "])
def test_envbool_accepts_the_spellings_of_true(monkeypatch, raw):
    monkeypatch.setenv("JICENG_TEST_FLAG", raw)
    assert envbool("JICENG_TEST_FLAG") is True


@pytest.mark.parametrize("raw", ["0", "false", "False", "no", "off", ""])
def test_envbool_accepts_the_spellings_of_false(monkeypatch, raw):
    monkeypatch.setenv("JICENG_TEST_FLAG", raw)
    assert envbool("JICENG_TEST_FLAG", default=True) is False


@pytest.mark.parametrize("raw", ["ture", "2", "enabled", "y e s", "-1"])
def test_envbool_refuses_garbage_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("JICENG_TEST_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="JICENG_TEST_FLAG") as excinfo:
        envbool("JICENG_TEST_FLAG")
    assert repr(raw) in str(excinfo.value)


def test_envbool_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("JICENG_TEST_FLAG", raising=False)
    assert envbool("JICENG_TEST_FLAG") is False
    assert envbool("JICENG_TEST_FLAG", default=True) is True


def test_envint_parses_whole_numbers_and_refuses_the_rest(monkeypatch):
    monkeypatch.setenv("JICENG_TEST_INT", "42")
    assert envint("JICENG_TEST_INT", 7) == 42
    monkeypatch.setenv("JICENG_TEST_INT", " -3 ")
    assert envint("JICENG_TEST_INT", 7) == -3
    monkeypatch.setenv("JICENG_TEST_INT", "")
    assert envint("JICENG_TEST_INT", 7) == 7
    monkeypatch.delenv("JICENG_TEST_INT")
    assert envint("JICENG_TEST_INT", 7) == 7
    for garbage in ["4.5", "thirty", "0x10", "1e3"]:
        monkeypatch.setenv("JICENG_TEST_INT", garbage)
        with pytest.raises(ImproperlyConfigured, match="JICENG_TEST_INT"):
            envint("JICENG_TEST_INT", 7)


def test_envlist_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("JICENG_TEST_LIST", " a.example , ,b.example,")
    assert envlist("JICENG_TEST_LIST", ["x"]) == ["a.example", "b.example"]
    monkeypatch.delenv("JICENG_TEST_LIST")
    assert envlist("JICENG_TEST_LIST", ["x"]) == ["x"]


def test_envsecret_reads_a_file_named_by_the_file_variable(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n", encoding="utf-8")
    monkeypatch.setenv("JICENG_TEST_SECRET", "from-env")
    assert envsecret("JICENG_TEST_SECRET") == "from-env"
    monkeypatch.setenv("JICENG_TEST_SECRET_FILE", str(secret))
    assert envsecret("JICENG_TEST_SECRET") == "from-a-file"
    monkeypatch.delenv("JICENG_TEST_SECRET")
    monkeypatch.delenv("JICENG_TEST_SECRET_FILE")
    assert envsecret("JICENG_TEST_SECRET") is None


def _settings_in_a_fresh_process(data_dir, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "SECRET_KEY_FILE", "DATABASE_URL"}}
    clean.update({"JICENG_DATA_DIR": str(data_dir), **env})
    code = "import jiceng.settings as s; print(s.SECRET_KEY); print(s.DATABASES['default']['NAME'])"
    return subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60)


def test_a_secret_key_is_generated_once_and_kept_under_the_data_dir(tmp_path):
    first = _settings_in_a_fresh_process(tmp_path)
    assert first.returncode == 0, first.stderr
    key, database = first.stdout.split()
    key_file = tmp_path / "secret_key"
    assert key_file.read_text(encoding="utf-8").strip() == key
    assert len(key) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert database == str(tmp_path / "jiceng.sqlite3")
    second = _settings_in_a_fresh_process(tmp_path)
    assert second.stdout.split()[0] == key
    other = _settings_in_a_fresh_process(tmp_path / "elsewhere")
    assert other.stdout.split()[0] != key


def test_a_secret_key_from_the_environment_wins_and_nothing_is_written(tmp_path):
    result = _settings_in_a_fresh_process(tmp_path, SECRET_KEY="operator-chosen-key")
    assert result.stdout.split()[0] == "operator-chosen-key"
    assert not (tmp_path / "secret_key").exists()


def test_a_garbage_boolean_stops_start_up_with_a_clear_message(tmp_path):
    result = _settings_in_a_fresh_process(tmp_path, DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'maybe'" in result.stderr


def test_a_garbage_number_stops_start_up_with_a_clear_message(tmp_path):
    result = _settings_in_a_fresh_process(tmp_path, SESSION_IDLE_MINUTES="half an hour")
    assert result.returncode != 0
    assert "SESSION_IDLE_MINUTES must be a whole number" in result.stderr


def test_debug_is_off_unless_asked_for():
    from django.conf import settings

    from jiceng import settings as project_settings

    assert "DEBUG" not in os.environ or os.environ["DEBUG"].lower() in {"0", "false", "no", "off", ""}
    assert project_settings.DEBUG is False
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_sqlite_runs_immediate_transactions_in_wal_mode():
    from jiceng import settings as project_settings

    if project_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the SQLite options apply only when DATABASE_URL is unset")
    options = project_settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
