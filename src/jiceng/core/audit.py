"""Writing and verifying the hash-chained audit trail.

Services call `record()` inside the transaction of the change they audit, so
the change and its record commit or roll back together. Each row joins one
chain (its unit's county, or the chain of events without a unit), carries the
hash of the chain's previous row and is sealed with an HMAC-SHA256 under a key
kept outside the database (core.audit_keys). `verify()` (core.audit_chain)
walks every chain and names what was altered, removed or cut off the end.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import zlib
from collections.abc import Iterable
from datetime import UTC
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from . import audit_keys
from .context import current_ip
from .models import AuditEvent, EventType, Outcome

GENESIS_HASH = "0" * 64
# First key of the two-key PostgreSQL advisory lock that serialises appends to
# one chain ("JI" in ASCII); the second is the chain name's CRC-32.
_CHAIN_LOCK_CLASS = 0x4A49
# The PostgreSQL sequence that numbers all rows (migration 0004).
SEQ_SEQUENCE = "core_auditevent_global_seq"
# Unit path characters that name a chain: city (4) + county (4).
CHAIN_PATH_LENGTH = 8


def _jsonable(value: Any) -> Any:
    """Round-trip through JSON so what we hash is exactly what the database returns."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The auditable values of a model instance.

    A field may define `audit_value(value)` to say how it appears in the trail
    (personal-data fields store a masked form, never the clear value).
    """
    data: dict[str, Any] = {}
    wanted = set(fields) if fields is not None else None
    for field in instance._meta.concrete_fields:
        if wanted is not None and field.name not in wanted:
            continue
        value = getattr(instance, field.attname)
        if hasattr(field, "audit_value"):
            value = field.audit_value(value)
        elif isinstance(value, Decimal):
            value = str(value)
        data[field.attname] = value
    return _jsonable(data)


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values changed, as (before, after)."""
    keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def chain_of(unit_path: str) -> str:
    """The chain a row joins: its unit's county subtree (the city's own path at city level), "" without a unit.

    Unit paths are materialised paths of 4 characters a level (org.Unit.steplen)
    with the city at the root, so the first CHAIN_PATH_LENGTH characters name
    the county. Each chain has its own lock, head and checkpoint, so writers in
    different counties never wait on each other.
    """
    return (unit_path or "")[:CHAIN_PATH_LENGTH]


def _payload(row: AuditEvent) -> dict[str, Any]:
    created = row.created_at.astimezone(UTC).isoformat(timespec="microseconds")
    return {
        "seq": row.seq,
        "chain": row.chain,
        "chain_seq": row.chain_seq,
        "key_id": row.key_id,
        "created_at": created,
        "event_type": row.event_type,
        "outcome": row.outcome,
        "actor_id": row.actor_id,
        "actor_name": row.actor_name,
        "ip": row.ip,
        "unit_id": row.unit_id,
        "unit_path": row.unit_path,
        "unit_name": row.unit_name,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "object_repr": row.object_repr,
        "before": row.before,
        "after": row.after,
        "reason": row.reason,
        "details": row.details,
        "prev_hash": row.prev_hash,
    }


def _canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def compute_hash(row: AuditEvent, ring: audit_keys.KeyRing | None = None) -> str:
    """The HMAC-SHA256 of the row's canonical content under the key its `key_id` names."""
    ring = ring or audit_keys.keyring()
    if ring.key(row.key_id) is None:
        raise audit_keys.AuditKeyError(f"audit key {row.key_id!r} is not configured")
    return ring.sign(row.key_id, _canonical(_payload(row)))


def legacy_hash(row) -> str:
    """The plain SHA-256 of rows written before the chain was keyed (migration 0004 checks them with it)."""
    payload = _payload(row)
    for key in ("chain", "chain_seq", "key_id"):
        del payload[key]
    return hashlib.sha256(_canonical(payload)).hexdigest()


def _lock_chain(chain: str) -> int | None:
    """Take the chain's lock; on PostgreSQL also returns the next global `seq` (None: take max + 1).

    On PostgreSQL two transactions could both read the same head and fork the
    chain; a transaction-scoped advisory lock per chain makes appends to one
    chain take turns while other chains go on. The global `seq` then comes
    from a sequence (gaps where a transaction rolled back; the gap-free number
    that shows a deletion is `chain_seq`). SQLite runs IMMEDIATE transactions
    (settings), which already hold the database write lock from BEGIN.
    """
    if connection.vendor != "postgresql":
        return None
    objid = zlib.crc32(chain.encode("utf-8")) - 2**31  # into int4
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nextval('{SEQ_SEQUENCE}') FROM (SELECT pg_advisory_xact_lock(%s, %s)) AS locked",
            [_CHAIN_LOCK_CLASS, objid],
        )
        return cursor.fetchone()[0]


def record(
    event_type: EventType | str,
    *,
    actor=None,
    actor_name: str | None = None,
    subject: models.Model | None = None,
    unit=None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    outcome: Outcome | str = Outcome.SUCCESS,
    details: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one event to the trail. Must run inside the transaction of the change."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record() must be called inside the transaction of the change it records")
    if unit is None and subject is not None:
        unit = _unit_of(subject)
    unit_path = getattr(unit, "path", "") or ""
    chain = chain_of(unit_path)
    ring = audit_keys.keyring()
    seq = _lock_chain(chain)
    last = AuditEvent.objects.filter(chain=chain).order_by("-chain_seq").values_list("chain_seq", "hash").first()
    chain_seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    if seq is None:
        seq = (AuditEvent.objects.aggregate(top=models.Max("seq"))["top"] or 0) + 1
    ip, unparsed_ip = _normalised_ip(ip if ip is not None else current_ip())
    if unparsed_ip is not None:
        details = {**(details or {}), "ip_unparsed": unparsed_ip[:100]}
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_id, name = actor.pk, actor_name or actor.get_username()
    else:
        actor_id, name = None, actor_name or ""
    row = AuditEvent(
        seq=seq,
        created_at=timezone.now(),
        event_type=str(event_type),
        outcome=str(outcome),
        actor_id=actor_id,
        actor_name=name[:150],
        ip=ip,
        unit_id=getattr(unit, "pk", None),
        unit_path=unit_path,
        unit_name=(getattr(unit, "name", "") or "")[:200],
        object_type=subject._meta.label_lower if subject is not None else "",
        object_id=str(subject.pk) if subject is not None and subject.pk is not None else "",
        object_repr=str(subject)[:200] if subject is not None else "",
        before=_jsonable(before),
        after=_jsonable(after),
        reason=reason or "",
        details=_jsonable(details or {}),
        chain=chain,
        chain_seq=chain_seq,
        key_id=ring.current_id,
        prev_hash=prev_hash,
    )
    row.hash = compute_hash(row, ring)
    row.save(force_insert=True)
    return row


def _normalised_ip(value: str | None) -> tuple[str | None, str | None]:
    """(address as the database stores it, or None; the raw text if it was no address).

    The hash is computed before the row is saved, so the address must already be
    in the database's spelling: both backends rewrite IPv6 to its compressed
    form, and PostgreSQL refuses text that is no address at all (a forged
    X-Forwarded-For must not make every write fail).
    """
    if not value:
        return None, None
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None, value
    if address.version == 6 and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped), None
    return str(address), None


def _unit_of(subject: models.Model):
    # A unit is its own scope; a unit-owned record names its unit.
    if hasattr(subject, "path") and hasattr(subject, "kind"):
        return subject
    return getattr(subject, "unit", None)


def record_now(event_type: EventType | str, **kwargs) -> AuditEvent:
    """Record an event that is itself the change (a log-in, a refusal): its own transaction."""
    with transaction.atomic():
        return record(event_type, **kwargs)
