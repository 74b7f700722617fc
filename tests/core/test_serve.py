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
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from jiceng.core.management.commands.serve import GRACEFUL_SECONDS, STOP_GRACE_SECONDS, supervise

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


def test_a_child_killed_by_a_signal_gives_128_plus_the_signal():
    killed = [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"]
    sleeper = [sys.executable, "-c", "import time; time.sleep(300)"]
    with open(os.devnull, "w") as out:
        assert supervise({"killed": killed, "sleeper": sleeper}, out=out) == 128 + signal.SIGKILL


def test_a_child_still_running_after_the_grace_is_killed_with_its_whole_process_group(tmp_path):
    # Like gunicorn's master and its workers: a child that ignores SIGTERM, with a grandchild in its group.
    grandchild_pid = tmp_path / "grandchild.pid"
    (tmp_path / "grandchild.py").write_text(
        "import os, signal, sys, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "open(sys.argv[1], 'w').write(str(os.getpid()))\n"
        "time.sleep(300)\n"
    )
    stubborn = [sys.executable, "-c", (
        "import signal, subprocess, sys, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        f"subprocess.Popen([sys.executable, {str(tmp_path / 'grandchild.py')!r}, {str(grandchild_pid)!r}])\n"
        "time.sleep(300)\n"
    )]
    quitter = [sys.executable, "-c",
               f"import os, sys, time\nwhile not os.path.exists({str(grandchild_pid)!r}): time.sleep(0.05)\nsys.exit(4)"]
    grandchild = None
    try:
        with open(os.devnull, "w") as out:
            assert supervise({"stubborn": stubborn, "quitter": quitter}, out=out, grace=1) == 4
        grandchild = int(grandchild_pid.read_text())
        _wait_for(lambda: not _alive(grandchild), "the grandchild to die of its SIGKILL", limit=30)
    finally:
        if grandchild and _alive(grandchild):
            os.kill(grandchild, signal.SIGKILL)


def test_a_hang_up_with_nobody_to_reload_stops_the_children(tmp_path):
    """In a terminal (no systemd), closing the terminal sends SIGHUP: serve stops rather than lingering."""
    started = tmp_path / "sleeper.pid"
    sleeper = [sys.executable, "-c",
               f"import os, time; open({str(started)!r}, 'w').write(str(os.getpid())); time.sleep(300)"]

    def hang_up():
        _wait_for(started.exists, "the sleeping child")
        os.kill(os.getpid(), signal.SIGHUP)

    thread = threading.Thread(target=hang_up)
    thread.start()
    try:
        with open(os.devnull, "w") as out:
            assert supervise({"sleeper": sleeper}, out=out) == 0
    finally:
        thread.join()
    assert not _alive(int(started.read_text()))


def test_each_child_gets_one_sigterm_however_many_stop_signals_arrive(tmp_path):
    """db_worker takes a second SIGTERM as "abandon the running task": the supervisor must never send two."""
    ready, log, release = tmp_path / "ready", tmp_path / "signals.log", tmp_path / "release"
    # A worker busy with a task: it notes each signal and finishes only when the test releases it.
    busy = [sys.executable, "-c", (
        "import os, signal, time\n"
        f"def note(signum, frame): open({str(log)!r}, 'a').write(signal.Signals(signum).name + '\\n')\n"
        "for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP): signal.signal(sig, note)\n"
        f"open({str(ready)!r}, 'w').close()\n"
        f"while not os.path.exists({str(release)!r}): time.sleep(0.05)\n"
    )]

    def operator():
        _wait_for(ready.exists, "the busy child")
        os.kill(os.getpid(), signal.SIGTERM)
        _wait_for(lambda: log.exists() and log.read_text(), "the child's first SIGTERM")
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):  # systemd again, Ctrl-C, a reload
            os.kill(os.getpid(), sig)
        time.sleep(1)  # the supervisor's loop runs every 0.2 s: it has seen them by now
        release.touch()

    thread = threading.Thread(target=operator)
    thread.start()
    try:
        with open(os.devnull, "w") as out:
            assert supervise({"busy": busy}, out=out, reload=["busy"]) == 0
    finally:
        release.touch()
        thread.join()
    assert log.read_text().split() == ["SIGTERM"]


@pytest.fixture
def site(tmp_path):
    """Environment of a throw-away installation: its own data directory and migrated SQLite database."""
    # INVOCATION_ID: as systemd sets it for a service (a hang-up then reloads rather than stops).
    env = {**os.environ, "JICENG_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/jiceng.sqlite3",
           "DJANGO_SETTINGS_MODULE": "jiceng.settings", "INVOCATION_ID": "test"}
    subprocess.run([sys.executable, "-m", "jiceng.cli", "migrate", "--no-input", "-v", "0"], env=env, check=True)
    return env, tmp_path / "jiceng.sqlite3"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _login_page(port: int):
    def check():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as response:
                return response.status == 200
        except OSError:
            return False

    return check


def test_serve_starts_the_worker_which_runs_the_reminders_and_both_stop_with_it(site):
    env, database = site
    port = _free_port()
    serve = subprocess.Popen([sys.executable, "-m", "jiceng.cli", "serve", "--port", str(port), "--workers", "1"],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        login_page = _login_page(port)
        _wait_for(login_page, "the web server")
        children = _children(serve.pid)
        assert sorted("gunicorn" in c for c in children.values()) == [False, True]
        assert any("db_worker" in c for c in children.values())
        (gunicorn,) = (pid for pid, c in children.items() if "gunicorn" in c)
        # gunicorn finishes its requests within a limit shorter than the supervisor's grace.
        assert f"--graceful-timeout {GRACEFUL_SECONDS} " in children[gunicorn]
        assert GRACEFUL_SECONDS < STOP_GRACE_SECONDS

        def statuses_once_the_first_is_done(task_path):
            def check():
                with sqlite3.connect(database) as db:
                    statuses = [s for (s,) in db.execute(
                        "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path = ? ORDER BY enqueued_at",
                        [task_path])]
                return statuses if statuses and statuses[0] == "SUCCESSFUL" else None

            return check

        # Serve seeded the daily runner (core.daily); the worker ran the first, which queued the next one
        # and the reminders, and then ran the reminders.
        statuses = _wait_for(statuses_once_the_first_is_done("jiceng.core.daily.run_daily"), "the first daily run")
        assert statuses[-1] == "READY" and statuses.count("READY") == 1
        reminders = _wait_for(statuses_once_the_first_is_done("jiceng.assessments.tasks.remind_daily"), "the reminders")
        assert reminders == ["SUCCESSFUL"]

        # SIGHUP (systemctl reload) reloads gunicorn, whose workers are replaced; nothing stops.
        web_workers = set(_children(gunicorn))
        serve.send_signal(signal.SIGHUP)
        _wait_for(lambda: (now := set(_children(gunicorn))) and not now & web_workers, "gunicorn's new workers")
        assert _children(serve.pid).keys() == children.keys()
        assert _wait_for(login_page, "the reloaded web server")
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=120)
    assert serve.returncode == 0
    assert not any(_alive(pid) for pid in children)


def test_with_a_task_backend_that_is_not_the_database_serve_warns_and_runs_gunicorn_alone(site, tmp_path):
    env, _ = site
    (tmp_path / "immediate_settings.py").write_text(
        "from jiceng.settings import *  # noqa: F403\n"
        "TASKS = {'default': {'BACKEND': 'django_tasks.backends.immediate.ImmediateBackend'}}\n"
    )
    env = {**env, "DJANGO_SETTINGS_MODULE": "immediate_settings",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), env.get("PYTHONPATH")]))}
    port = _free_port()
    stderr = tmp_path / "serve.stderr"
    with open(stderr, "w") as err:
        serve = subprocess.Popen([sys.executable, "-m", "jiceng.cli", "serve", "--port", str(port), "--workers", "1"],
                                 env=env, stdout=subprocess.DEVNULL, stderr=err)
    try:
        _wait_for(_login_page(port), "the web server")
        assert serve.poll() is None
        # As with --no-worker: serve became gunicorn itself, and no db_worker runs.
        assert "gunicorn" in Path(f"/proc/{serve.pid}/cmdline").read_bytes().decode()
        assert not any("db_worker" in c for c in _children(serve.pid).values())
        assert "starting no task worker" in stderr.read_text()
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=120)
    assert serve.returncode == 0
