import sys

from django.core.management.base import BaseCommand, CommandError

from jiceng.core import audit_chain, audit_keys

SHOWN = 50  # problems printed; a wholesale rewrite would otherwise print every row


class Command(BaseCommand):
    help = (
        "Audit trail tools: `audit verify` checks every chain end to end and against the last signed checkpoint "
        "(exit 0 intact, 1 broken); `audit checkpoint` appends signed chain heads to the checkpoint log; "
        "`audit verify-head TEXT` checks a head printed on an exported report; `audit rotate-key` starts a new key."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Check every chain and its last checkpoint; name each problem.")
        verify.add_argument("--checkpoints", help="checkpoint log to check against (default: AUDIT_CHECKPOINT_LOG)")
        checkpoint = sub.add_parser("checkpoint", help="Append a signed line per chain head to the checkpoint log.")
        checkpoint.add_argument("--file", help="checkpoint log (default: AUDIT_CHECKPOINT_LOG)")
        head = sub.add_parser("verify-head", help="Check a head printed on an exported audit report.")
        head.add_argument("text", help="the text from `audit-heads` to the end of `sig=…`")
        sub.add_parser("heads", help="Print the current chain heads, signed (as on an exported report).")
        sub.add_parser("rotate-key", help="Add a new key to the key directory; new rows are signed with it.")

    def handle(self, *args, action=None, **options):
        try:
            getattr(self, "_" + action.replace("-", "_"))(**options)
        except audit_keys.AuditKeyError as exc:
            raise CommandError(f"audit key: {exc}") from exc

    def _verify(self, checkpoints=None, **options):
        result = audit_chain.verify(checkpoint_log=checkpoints)
        if result.ok:
            note = (
                f"{result.checkpoint_lines} checkpoint lines checked"
                if result.checkpoint_found
                else "no checkpoint log yet: rows cut off the end cannot be detected until `jiceng audit checkpoint` runs"
            )
            self.stdout.write(f"OK: {result.checked} audit records, chain intact ({result.chains} chains; {note})")
            return
        for problem in result.problems[:SHOWN]:
            where = f"at row {problem.seq}" if problem.seq else f"in chain {audit_chain.chain_label(problem.chain)}"
            self.stderr.write(f"BROKEN {where} [{problem.kind}]: {problem.message}")
        if len(result.problems) > SHOWN:
            self.stderr.write(f"… and {len(result.problems) - SHOWN} more problems")
        self.stderr.write(f"{len(result.problems)} problems; {result.checked} rows in {result.chains} chains checked")
        sys.exit(1)

    def _checkpoint(self, file=None, **options):
        entries = audit_chain.write_checkpoint(file)
        for entry in entries:
            self.stdout.write(
                f"checkpoint: chain {audit_chain.chain_label(entry['chain'])} row {entry['chain_seq']} (#{entry['seq']}) "
                f"{entry['hash'][:16]}… signed with {entry['key_id']}"
            )
        self.stdout.write(f"{len(entries)} chain heads written")

    def _verify_head(self, text=None, **options):
        problems = audit_chain.check_head_text(text)
        if not problems:
            self.stdout.write("OK: the printed head is signed and every row it names is unchanged")
            return
        for problem in problems:
            self.stderr.write(f"BROKEN [{problem.kind}]: {problem.message}")
        sys.exit(1)

    def _heads(self, **options):
        self.stdout.write(audit_chain.head_text())

    def _rotate_key(self, **options):
        new_id = audit_keys.rotate()
        self.stdout.write(
            f"new audit key {new_id}: new rows are signed with it; keep the older key files, they verify older rows. "
            "Restart the service and back up the key directory."
        )
