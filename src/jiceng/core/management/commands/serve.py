"""`jiceng serve`: the web server (gunicorn) and, beside it, the background task worker.

The worker (`jiceng db_worker`) runs the queued tasks: the daily deadline
reminders, and any other background job. Both run as children of this
command, each in a process group of its own, so one Ctrl-C (or SIGTERM from
systemd with `KillMode=mixed`) reaches this command only, and each child gets
exactly one SIGTERM, which both handle gracefully (gunicorn finishes its
requests within GRACEFUL_SECONDS, the worker its task). A child is never
signalled twice: db_worker takes a second SIGTERM as "abandon the current
task". A child still running STOP_GRACE_SECONDS after its SIGTERM is killed
with its whole process group (gunicorn's master and its workers). When either
child stops on its own, the other is stopped too and the command exits with
that child's status (128 + N if it died of signal N). Under systemd
(INVOCATION_ID set) SIGHUP (`systemctl reload`) is passed to gunicorn, which
reloads its workers, and stops nothing; in a terminal SIGHUP means the
terminal was closed, and it stops both children like SIGTERM.
On Linux the children are also told by the kernel to stop if this command is
killed outright (PR_SET_PDEATHSIG).

The worker is started only when the default task backend keeps its queue in
the database (django-tasks-db's DatabaseBackend); with any other backend
`db_worker` cannot run, so serve warns and runs gunicorn alone, as with
`--no-worker`.

A task still running when the grace runs out is killed: its DBTaskResult stays
RUNNING, and an export job it was writing stays "running" until the export
sweep marks it failed (EXPORT_FILE_HOURS, docs/operations.md).

Before starting, the periodic jobs named in SCHEDULES (settings.JICENG_SCHEDULES
may replace the list) are seeded: the one daily runner (core.daily), which runs
every task the apps registered with core.registry.daily.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, connections
from django.utils.module_loading import import_string

SCHEDULES = ["jiceng.core.daily.schedule"]
STOP_GRACE_SECONDS = 20
# gunicorn's own limit for finishing requests after SIGTERM (its default, 30 s, is longer than our grace).
GRACEFUL_SECONDS = 15
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _stop_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def exit_status(returncode: int) -> int:
    """A child's status as a shell reports it: a death by signal N is 128 + N (Popen gives -N)."""
    return 128 - returncode if returncode < 0 else returncode


def supervise(commands: dict[str, list[str]], *, out=sys.stdout, grace: float = STOP_GRACE_SECONDS,
              reload: Iterable[str] = ()) -> int:
    """Run `commands` ({name: argv}) side by side until one stops or SIGINT/SIGTERM arrives; then stop the rest.

    SIGHUP is passed on to the children named in `reload` (gunicorn reloads on
    it) and stops nothing. Each child gets at most one SIGTERM; one still
    running `grace` seconds later is killed with its process group.

    Returns 0 when stopped by a signal, else the status of the child that
    stopped first (1 if it stopped with 0: a server is not meant to stop).
    """
    stop: list[int] = []
    hangups: list[int] = []

    reload = list(reload)

    def on_signal(signum, frame):
        # With nobody to reload, a hang-up (the terminal closed) is a stop.
        (hangups if signum == signal.SIGHUP and reload else stop).append(signum)

    previous = {sig: signal.signal(sig, on_signal) for sig in (*STOP_SIGNALS, signal.SIGHUP)}
    children: dict[str, subprocess.Popen] = {}
    status = 0
    try:
        for name, argv in commands.items():
            # process_group=0: the child leads a group of its own (Ctrl-C reaches only us; the group is killed whole).
            children[name] = subprocess.Popen(argv, process_group=0, preexec_fn=_stop_with_parent)
        while not stop:
            ended = next(((name, child.returncode) for name, child in children.items()
                          if child.poll() is not None), None)
            if ended is not None:
                name, code = ended
                status = exit_status(code) or 1
                out.write(f"{name} stopped (exit status {status}); stopping the rest\n")
                out.flush()
                break
            while hangups:
                hangups.pop()
                for name in reload:
                    if children[name].poll() is None:
                        children[name].send_signal(signal.SIGHUP)
            time.sleep(0.2)
    finally:
        _stop(children, grace)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return status


def _stop(children: dict[str, subprocess.Popen], grace: float) -> None:
    """SIGTERM once to each running child; after `grace` seconds, SIGKILL to the group of any still running."""
    for child in children.values():
        if child.poll() is None:
            child.terminate()
    until = time.monotonic() + grace
    for child in children.values():
        try:
            child.wait(timeout=max(0.0, until - time.monotonic()))
        except subprocess.TimeoutExpired:
            try:
                os.killpg(child.pid, signal.SIGKILL)  # the child has not been reaped: its group id is still ours
            except ProcessLookupError:
                pass
            child.wait()


def database_backend() -> bool:
    """Whether the default task backend keeps its queue in the database, so that `db_worker` can run it."""
    from django_tasks_db.backend import DatabaseBackend

    try:
        from django.tasks import task_backends  # Django 6
    except ImportError:
        from django_tasks import task_backends
    return isinstance(task_backends["default"], DatabaseBackend)


class Command(BaseCommand):
    help = ("Serve Jiceng with gunicorn on 127.0.0.1 (use --host 0.0.0.0 behind a firewall or nginx), with the "
            "background task worker beside it (--no-worker to run it apart).")

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--no-worker", action="store_false", dest="worker",
                            help="do not start the task worker (run `jiceng db_worker` as a service of its own)")

    def _seed_schedules(self) -> None:
        for path in getattr(settings, "JICENG_SCHEDULES", SCHEDULES):
            try:
                import_string(path)()
            except DatabaseError as exc:
                self.stderr.write(f"{path}: not scheduled ({exc}); run `jiceng migrate` first")
        connections.close_all()  # this process only watches the children from now on

    def handle(self, *args, port, host, workers, worker, **options):
        self._seed_schedules()
        web = [
            sys.executable, "-m", "gunicorn", "jiceng.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers), "--threads", "4",
            "--graceful-timeout", str(GRACEFUL_SECONDS), "--access-logfile", "-",
        ]
        if worker and not database_backend():
            self.stderr.write("The default task backend (TASKS) is not django-tasks-db's DatabaseBackend, so "
                              "`jiceng db_worker` cannot run its tasks: starting no task worker (run that "
                              "backend's own worker).")
            worker = False
        if not worker:
            self.stdout.write(f"Jiceng: http://{host}:{port}/  (Ctrl-C to stop; no task worker)")
            self.stdout.flush()
            self.stderr.flush()
            os.execv(sys.executable, web)
        self.stdout.write(f"Jiceng: http://{host}:{port}/  with the task worker (Ctrl-C to stop both)")
        self.stdout.flush()
        status = supervise({
            "web server": web,
            "task worker": [sys.executable, "-m", "jiceng.cli", "db_worker", "--no-reload"],
        }, out=self.stdout, reload=["web server"] if os.environ.get("INVOCATION_ID") else [])
        if status:
            sys.exit(status)
