"""The `jiceng` command: Jiceng's own commands, the rubric tools, and Django's commands underneath."""

from __future__ import annotations

import os
import sys

OWN_COMMANDS = [
    ("serve [--port N] [--host H] [--no-worker]", "serve the site (127.0.0.1:8000) and run the task worker"),
    ("demo [--reset]", "load (or rebuild) the demo region and print its accounts"),
    ("migrate", "create or upgrade the database"),
    ("createuser NAME --role R --unit CODE", "create an account with a role in a unit"),
    ("audit verify", "check every audit chain end to end and against the last signed checkpoint"),
    ("audit checkpoint|heads|verify-head TEXT|rotate-key", "signed chain heads to the checkpoint log; key rotation"),
    ("roles [--write]", "the role matrix from each app's declared capabilities (--write: docs/roles.md)"),
    ("workflows [--write]", "every declared workflow as a state diagram and table (--write: docs/workflows.md)"),
    ("remind [--days N] [--schedule]", "queue the deadline reminders now; --schedule: the daily 07:00 run"),
    ("db_worker", "run queued background tasks (reminders); `serve` starts one"),
    ("import units|staff FILE.xlsx [--dry-run]", "import units or staff, all or nothing"),
    ("import units|staff --template FILE.xlsx", "write the import template"),
    ("schemes list|show ID|validate FILE", "the assessment schemes (rubrics)"),
    ("score --scheme ID --marks FILE", "score one marks sheet with a scheme"),
    ("grade --scheme ID --input FILE", "grade a population with a scheme"),
    ("campaigns list|draw-sample ID", "assessment campaigns; re-draw a campaign's audit sample from its seed"),
    ("campaigns export ID --out FILE.xlsx", "a campaign's score sheet"),
    ("metrics list|show ID --unit CODE --period P [--children]", "the indicators; a value as JSON lines"),
    ("metrics compute [ID ...]|refresh", "recompute every indicator value, or only what changed"),
    ("workdays add DATE N [--calendar-days]", "the date N working (or calendar) days after DATE"),
    ("workdays between A B", "working days after A up to and including B"),
    ("workdays load FILE.yaml [--replace]", "load a year's holidays and swapped working days (调休)"),
]
RUBRIC_COMMANDS = {"schemes", "score", "grade"}


def _help() -> str:
    width = max(len(usage) for usage, _ in OWN_COMMANDS)
    lines = ["usage: jiceng COMMAND [options]", "", "Jiceng (基层) commands:"]
    lines += [f"  {usage:<{width}}  {text}" for usage, text in OWN_COMMANDS]
    lines += ["", "Django's management commands also work (`jiceng help` lists them all)."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help"}:
        print(_help())
        return 0
    if argv[0] in RUBRIC_COMMANDS:
        # The rubric engine is pure Python: no settings, no database.
        from jiceng.rubrics.cli import main as rubrics_main

        return rubrics_main(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiceng.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jiceng", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
