import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Jiceng with gunicorn on 127.0.0.1 (use --host 0.0.0.0 behind a firewall or nginx)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, port, host, workers, **options):
        self.stdout.write(f"Jiceng: http://{host}:{port}/  (Ctrl-C to stop)")
        sys.stdout.flush()
        argv = [
            sys.executable, "-m", "gunicorn", "jiceng.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers), "--threads", "4",
            "--access-logfile", "-",
        ]
        os.execv(sys.executable, argv)
