"""`jiceng serve`: the web server (gunicorn) and, beside it, the background task worker.

The worker (`jiceng db_worker`) runs the queued tasks: the daily deadline
reminders, and any other background job. Both run as children of this
command, each in a process group of its own, so one Ctrl-C (or SIGTERM from
systemd) reaches this command only and each child gets exactly one SIGTERM,
which both handle gracefully (gunicorn finishes its requests, the worker its
task). When either child stops on its own, the other is stopped too and the
command exits with that child's status. On Linux the children are also told
by the kernel to stop if this command is killed outright (PR_SET_PDEATHSIG).

Before starting, the periodic jobs named in SCHEDULES (settings.JICENG_SCHEDULES
may replace the list) are seeded, e.g. the daily reminders (assessments.tasks).
They are named as strings so that the core does not import the apps.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, connections
from django.utils.module_loading import import_string

SCHEDULES = ["jiceng.assessments.tasks.schedule_daily_reminders"]
STOP_GRACE_SECONDS = 20


def _stop_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def supervise(commands: dict[str, list[str]], *, out=sys.stdout, grace: float = STOP_GRACE_SECONDS) -> int:
    """Run `commands` ({name: argv}) side by side until one stops or SIGINT/SIGTERM arrives; then stop the rest.

    Returns 0 when stopped by a signal, else the status of the child that
    stopped first (1 if it stopped with 0: a server is not meant to stop).
    """
    stop: list[int] = []

    def on_signal(signum, frame):
        stop.append(signum)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    children: dict[str, subprocess.Popen] = {}
    status = 0
    try:
        for name, argv in commands.items():
            children[name] = subprocess.Popen(argv, process_group=0, preexec_fn=_stop_with_parent)
        while not stop:
            ended = next(((name, child.returncode) for name, child in children.items()
                          if child.poll() is not None), None)
            if ended is not None:
                name, code = ended
                out.write(f"{name} stopped (exit status {code}); stopping the rest\n")
                out.flush()
                status = code or 1
                break
            time.sleep(0.2)
    finally:
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        until = time.monotonic() + grace
        for child in children.values():
            try:
                child.wait(timeout=max(0.0, until - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return status


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
            "--access-logfile", "-",
        ]
        if not worker:
            self.stdout.write(f"Jiceng: http://{host}:{port}/  (Ctrl-C to stop; no task worker)")
            sys.stdout.flush()
            os.execv(sys.executable, web)
        self.stdout.write(f"Jiceng: http://{host}:{port}/  with the task worker (Ctrl-C to stop both)")
        self.stdout.flush()
        status = supervise({
            "web server": web,
            "task worker": [sys.executable, "-m", "jiceng.cli", "db_worker", "--no-reload"],
        }, out=self.stdout)
        if status:
            sys.exit(status)
