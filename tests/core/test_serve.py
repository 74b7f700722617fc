"""`jiceng serve` runs the web server and the background task worker side by side, and stops them together.

Real processes throughout: a throw-away SQLite database is migrated, `jiceng
serve` is started on a free port, and the test looks at its children in /proc.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from jiceng.core.management.commands.serve import supervise

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _children(pid: int) -> dict[int, str]:
    """{pid: command line} of the live processes whose parent is `pid`."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                out[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    return out


def _wait_for(check, what: str, limit: float = 90.0):
    # A limit on waiting, not a speed requirement: a loaded machine only makes it wait longer.
    until = time.monotonic() + limit
    while time.monotonic() < until:
        found = check()
        if found:
            return found
        time.sleep(0.25)
    pytest.fail(f"gave up waiting for {what}")


def test_when_one_child_stops_the_other_is_stopped_and_its_status_returned(tmp_path):
    started = tmp_path / "sleeper.pid"
    sleeper = [sys.executable, "-c",
               f"import os, time; open({str(started)!r}, 'w').write(str(os.getpid())); time.sleep(300)"]
    quitter = [sys.executable, "-c",
               f"import os, sys, time\nwhile not os.path.exists({str(started)!r}): time.sleep(0.05)\nsys.exit(3)"]
    with open(os.devnull, "w") as out:
        assert supervise({"sleeper": sleeper, "quitter": quitter}, out=out) == 3
    assert not _alive(int(started.read_text()))


@pytest.fixture
def site(tmp_path):
    """Environment of a throw-away installation: its own data directory and migrated SQLite database."""
    env = {**os.environ, "JICENG_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/jiceng.sqlite3",
           "DJANGO_SETTINGS_MODULE": "jiceng.settings"}
    subprocess.run([sys.executable, "-m", "jiceng.cli", "migrate", "--no-input", "-v", "0"], env=env, check=True)
    return env, tmp_path / "jiceng.sqlite3"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_starts_the_worker_which_runs_the_reminders_and_both_stop_with_it(site):
    env, database = site
    port = _free_port()
    serve = subprocess.Popen([sys.executable, "-m", "jiceng.cli", "serve", "--port", str(port), "--workers", "1"],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def login_page():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as response:
                    return response.status == 200
            except OSError:
                return False

        _wait_for(login_page, "the web server")
        children = _children(serve.pid)
        assert sorted("gunicorn" in c for c in children.values()) == [False, True]
        assert any("db_worker" in c for c in children.values())

        def daily_runs_once_the_first_is_done():
            with sqlite3.connect(database) as db:
                statuses = [s for (s,) in db.execute(
                    "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path = ? ORDER BY enqueued_at",
                    ["jiceng.assessments.tasks.remind_daily"])]
            return statuses if statuses and statuses[0] == "SUCCESSFUL" else None

        # Serve seeded the daily reminders; the worker ran the first and queued the next morning's.
        statuses = _wait_for(daily_runs_once_the_first_is_done, "the first daily reminder run")
        assert statuses[-1] == "READY" and statuses.count("READY") == 1
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=120)
    assert serve.returncode == 0
    assert not any(_alive(pid) for pid in children)
