import sys

from django.core.management.base import BaseCommand

from jiceng.core import audit


class Command(BaseCommand):
    help = "Audit trail tools: `audit verify` checks the hash chain (exit 0 intact, 1 broken)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Check every row's hash and link; name the first bad row.")

    def handle(self, *args, action=None, **options):
        result = audit.verify()
        if result.ok:
            self.stdout.write(f"OK: {result.checked} audit records, chain intact")
            return
        self.stderr.write(f"BROKEN at row {result.bad_seq}: {result.problem} ({result.checked} rows checked before it)")
        sys.exit(1)
