"""Heads, signed checkpoints and end-to-end verification of the audit chains.

Every chain (core.audit.chain_of) is walked from its first row: numbering
without gaps (`chain_seq`), each row linked to the one before, each HMAC right
under the key its row names. The last signed checkpoint of each chain, read
from a file the database cannot rewrite (settings.AUDIT_CHECKPOINT_LOG), then
shows rows removed from the end (truncation) and chains rewritten wholesale.
Problems are named: which chain, which row (`seq`, and `chain_seq` within the
chain), what is wrong.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from . import audit_keys
from .audit import GENESIS_HASH, _canonical, compute_hash
from .models import AuditEvent

CHECKPOINT_VERSION = 1


@dataclass(frozen=True)
class Head:
    chain: str
    chain_seq: int
    seq: int
    hash: str


def chain_label(chain: str) -> str:
    return chain if chain else "(no unit)"


def heads() -> list[Head]:
    """The last row of every chain, in chain order."""
    tops = AuditEvent.objects.values("chain").annotate(top=Max("chain_seq")).order_by("chain")
    result = []
    for top in tops:
        row = AuditEvent.objects.filter(chain=top["chain"], chain_seq=top["top"]).values_list("seq", "hash").get()
        result.append(Head(top["chain"], top["top"], row[0], row[1]))
    return result


def _signed_fields(entry: dict) -> dict:
    return {k: v for k, v in entry.items() if k != "sig"}


def checkpoint_entry(head: Head, at: datetime, ring: audit_keys.KeyRing | None = None) -> dict:
    """One signed checkpoint: the chain's head (number and hash), when, and the HMAC of that under the current key."""
    ring = ring or audit_keys.keyring()
    entry = {
        "v": CHECKPOINT_VERSION,
        "at": at.astimezone(UTC).isoformat(timespec="seconds"),
        "chain": head.chain,
        "chain_seq": head.chain_seq,
        "seq": head.seq,
        "hash": head.hash,
        "key_id": ring.current_id,
    }
    entry["sig"] = ring.sign(ring.current_id, _canonical(entry))
    return entry


def signature_ok(entry: dict, ring: audit_keys.KeyRing) -> bool | None:
    """True or False; None when the entry names a key the ring does not hold."""
    key_id = entry.get("key_id", "")
    if ring.key(key_id) is None:
        return None
    return ring.sign(key_id, _canonical(_signed_fields(entry))) == entry.get("sig")


def _syslog_handler(address: str) -> logging.Handler:
    if address.startswith("/"):
        return logging.handlers.SysLogHandler(address=address)
    host, _, port = address.rpartition(":")
    return logging.handlers.SysLogHandler(address=(host or address, int(port) if host else 514))


def write_checkpoint(path: Path | None = None) -> list[dict]:
    """Append one signed line per chain head to the checkpoint log (and syslog, if configured)."""
    path = Path(path or settings.AUDIT_CHECKPOINT_LOG)
    ring = audit_keys.keyring()
    at = timezone.now()
    entries = [checkpoint_entry(head, at, ring) for head in heads()]
    lines = "".join(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n" for entry in entries)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(lines)
        handle.flush()
        os.fsync(handle.fileno())
    address = getattr(settings, "AUDIT_CHECKPOINT_SYSLOG", "")
    if address and entries:
        handler = _syslog_handler(address)
        try:
            for entry in entries:
                handler.emit(logging.makeLogRecord({"msg": "jiceng-audit-checkpoint " + json.dumps(entry, sort_keys=True)}))
        finally:
            handler.close()
    return entries


@dataclass(frozen=True)
class Problem:
    kind: str  # missing, link, altered, unknown_key, wrong_key, truncated, checkpoint_mismatch, checkpoint_signature
    chain: str
    message: str
    seq: int | None = None
    chain_seq: int | None = None


@dataclass
class Checkpoints:
    latest: dict[str, dict] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    lines: int = 0
    found: bool = False


def read_checkpoints(path: Path | None, ring: audit_keys.KeyRing) -> Checkpoints:
    """The last well-signed checkpoint of each chain in the log; every line that fails its signature is a problem."""
    path = Path(path or settings.AUDIT_CHECKPOINT_LOG)
    result = Checkpoints()
    if not path.exists():
        return result
    result.found = True
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            result.lines += 1
            try:
                entry = json.loads(line)
                chain, chain_seq = str(entry["chain"]), int(entry["chain_seq"])
            except (ValueError, KeyError, TypeError):
                result.problems.append(Problem("checkpoint_signature", "", f"checkpoint log {path} line {number} is not a checkpoint"))
                continue
            ok = signature_ok(entry, ring)
            if ok is None:
                result.problems.append(Problem(
                    "checkpoint_signature", chain,
                    f"checkpoint log line {number} is signed with key {entry.get('key_id')!r}, which is not configured (wrong or missing key)",
                ))
                continue
            if not ok:
                result.problems.append(Problem(
                    "checkpoint_signature", chain,
                    f"checkpoint log line {number} (chain {chain_label(chain)}, row {chain_seq}) does not verify under key "
                    f"{entry.get('key_id')!r}: the line was edited, or the configured key is wrong",
                ))
                continue
            known = result.latest.get(chain)
            if known is None or chain_seq >= int(known["chain_seq"]):
                result.latest[chain] = entry
    return result


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    bad_seq: int | None = None
    problem: str = ""
    problems: tuple[Problem, ...] = ()
    chains: int = 0
    checkpoint_lines: int = 0
    checkpoint_found: bool = False


@dataclass
class _KeyUse:
    good: int = 0
    bad: list[Problem] = field(default_factory=list)


def _walk_chain(chain: str, ring: audit_keys.KeyRing, batch_size: int, key_use: dict[str, _KeyUse]):
    """Check one chain from its first row; returns (rows, head or None, problems other than HMAC failures)."""
    problems: list[Problem] = []
    expected_seq, expected_prev, checked, head, last_seq = 1, GENESIS_HASH, 0, None, 0
    label = chain_label(chain)
    for row in AuditEvent.objects.filter(chain=chain).order_by("chain_seq").iterator(chunk_size=batch_size):
        if row.chain_seq != expected_seq:
            first = expected_seq
            problems.append(Problem(
                "missing", chain,
                f"{_span(first, row.chain_seq - 1)} missing from chain {label} (deleted between #{last_seq or '-'} and #{row.seq})",
                seq=last_seq + 1, chain_seq=first,
            ))
        elif row.prev_hash != expected_prev:
            problems.append(Problem(
                "link", chain, f"row #{row.seq} (chain {label}, row {row.chain_seq}) does not link to the row before it",
                seq=row.seq, chain_seq=row.chain_seq,
            ))
        use = key_use.setdefault(row.key_id, _KeyUse())
        if ring.key(row.key_id) is None:
            problems.append(Problem(
                "unknown_key", chain,
                f"row #{row.seq} (chain {label}, row {row.chain_seq}) is signed with key {row.key_id!r}, which is not configured",
                seq=row.seq, chain_seq=row.chain_seq,
            ))
        elif compute_hash(row, ring) != row.hash:
            use.bad.append(Problem(
                "altered", chain,
                f"row #{row.seq} (chain {label}, row {row.chain_seq}) was altered (its HMAC under key {row.key_id!r} does not match)",
                seq=row.seq, chain_seq=row.chain_seq,
            ))
        else:
            use.good += 1
        expected_seq, expected_prev, last_seq = row.chain_seq + 1, row.hash, row.seq
        checked += 1
        head = row
    return checked, head, problems


def _span(first: int, last: int) -> str:
    return f"row {first} is" if first == last else f"rows {first}–{last} are"


def _against_checkpoint(chain: str, head, entry: dict) -> Problem | None:
    label, at = chain_label(chain), entry.get("at", "?")
    mark_seq, mark_hash = int(entry["chain_seq"]), entry["hash"]
    top = head.chain_seq if head is not None else 0
    if top < mark_seq:
        return Problem(
            "truncated", chain,
            f"chain {label} truncated: {_span(top + 1, mark_seq)} missing (the checkpoint of {at} saw row {mark_seq}, "
            f"#{entry.get('seq')}; the chain now ends at row {top})",
            seq=int(entry.get("seq") or 0) or None, chain_seq=top + 1,
        )
    row = AuditEvent.objects.filter(chain=chain, chain_seq=mark_seq).values_list("seq", "hash").first()
    if row is not None and row[1] != mark_hash:
        return Problem(
            "checkpoint_mismatch", chain,
            f"row #{row[0]} (chain {label}, row {mark_seq}) differs from the checkpoint of {at}: the chain was rewritten",
            seq=row[0], chain_seq=mark_seq,
        )
    return None


def verify(batch_size: int = 2000, checkpoint_log: Path | None = None) -> VerifyResult:
    """Walk every chain end to end, then hold each head against its last signed checkpoint."""
    ring = audit_keys.keyring()
    marks = read_checkpoints(checkpoint_log, ring)
    chains = sorted(set(AuditEvent.objects.values_list("chain", flat=True).distinct()) | set(marks.latest))
    problems: list[Problem] = list(marks.problems)
    key_use: dict[str, _KeyUse] = {}
    checked = 0
    for chain in chains:
        rows, head, found = _walk_chain(chain, ring, batch_size, key_use)
        checked += rows
        problems.extend(found)
        if chain in marks.latest:
            mismatch = _against_checkpoint(chain, head, marks.latest[chain])
            if mismatch is not None:
                problems.append(mismatch)
    for key_id, use in sorted(key_use.items()):
        if use.bad and not use.good:
            # Not one row signed with this key verifies: the configured key is not the one that signed them.
            problems.append(Problem(
                "wrong_key", use.bad[0].chain,
                f"no row signed with key {key_id!r} verifies ({len(use.bad)} rows, first #{use.bad[0].seq}): "
                f"the configured key {key_id!r} is wrong (or every such row was rewritten)",
                seq=use.bad[0].seq, chain_seq=use.bad[0].chain_seq,
            ))
        else:
            problems.extend(use.bad)
    problems.sort(key=lambda p: (p.seq is None, p.seq or 0))
    first = problems[0] if problems else None
    return VerifyResult(
        ok=not problems,
        checked=checked,
        bad_seq=first.seq if first else None,
        problem=first.message if first else "",
        problems=tuple(problems),
        chains=len(chains),
        checkpoint_lines=marks.lines,
        checkpoint_found=marks.found,
    )


HEAD_PREFIX = "audit-heads"


def head_text(at: datetime | None = None) -> str:
    """The chain heads as printed on an exported audit report, signed.

    `audit-heads <time> <key id> <chain>:<row>:<hash, 16 hex> … sig=<HMAC, 32 hex>`
    ("-" names the chain of events without a unit). The signature covers the
    text before " sig=", so `jiceng audit verify-head TEXT` can check both the
    text and that the database still holds each row with that hash.
    """
    ring = audit_keys.keyring()
    at = (at or timezone.now()).astimezone(UTC).isoformat(timespec="seconds")
    parts = [HEAD_PREFIX, at, ring.current_id] + [f"{h.chain or '-'}:{h.chain_seq}:{h.hash[:16]}" for h in heads()]
    body = " ".join(parts)
    return f"{body} sig={ring.sign(ring.current_id, body.encode('utf-8'))[:32]}"


def check_head_text(text: str) -> list[Problem]:
    """Problems with a printed head (found in `text`): a bad signature, or rows the database no longer holds as they were."""
    ring = audit_keys.keyring()
    found = re.search(HEAD_PREFIX + r" [^·]*? sig=[0-9a-f]{32}", text)  # the whole title line of a report may be pasted
    body, sep, sig = (found.group(0) if found else "").rpartition(" sig=")
    parts = body.split(" ")
    if not sep or len(parts) < 3 or parts[0] != HEAD_PREFIX:
        return [Problem("checkpoint_signature", "", "not a printed audit head (audit-heads … sig=…)")]
    key_id = parts[2]
    if ring.key(key_id) is None:
        return [Problem("checkpoint_signature", "", f"the head is signed with key {key_id!r}, which is not configured")]
    if ring.sign(key_id, body.encode("utf-8"))[:32] != sig:
        return [Problem("checkpoint_signature", "", f"the head's signature does not verify under key {key_id!r}: edited text or wrong key")]
    problems = []
    for item in parts[3:]:
        name, row_number, prefix = item.rsplit(":", 2)
        chain, number = ("" if name == "-" else name), int(row_number)
        label = chain_label(chain)
        row = AuditEvent.objects.filter(chain=chain, chain_seq=number).values_list("seq", "hash").first()
        if row is None:
            top = AuditEvent.objects.filter(chain=chain).aggregate(top=Max("chain_seq"))["top"] or 0
            problems.append(Problem("truncated", chain, f"chain {label} truncated: row {number} of the printed head is gone (the chain ends at row {top})", chain_seq=number))
        elif not row[1].startswith(prefix):
            problems.append(Problem("checkpoint_mismatch", chain, f"row #{row[0]} (chain {label}, row {number}) differs from the printed head: rewritten", seq=row[0], chain_seq=number))
    return problems
