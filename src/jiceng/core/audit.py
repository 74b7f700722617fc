"""Writing and verifying the hash-chained audit trail.

Services call `record()` inside the transaction of the change they audit, so
the change and its record commit or roll back together. Each row carries the
hash of the previous one; `verify()` walks the chain and names the first row
that was altered, inserted out of order or removed.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from .context import current_ip
from .models import AuditEvent, EventType, Outcome

GENESIS_HASH = "0" * 64
# Key of the PostgreSQL advisory lock that serialises appends to the chain; any
# constant unique within the database will do ("JICENG" in ASCII, truncated).
_CHAIN_LOCK_KEY = 0x4A4943454E47


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


def _payload(row: AuditEvent) -> dict[str, Any]:
    created = row.created_at.astimezone(UTC).isoformat(timespec="microseconds")
    return {
        "seq": row.seq,
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


def compute_hash(row: AuditEvent) -> str:
    text = json.dumps(_payload(row), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _lock_chain() -> None:
    # On PostgreSQL two transactions could both read the same last row and fork
    # the chain; a transaction-scoped advisory lock makes appends take turns.
    # SQLite runs IMMEDIATE transactions (settings), which already hold the
    # database write lock from BEGIN, so nothing more is needed there.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


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
    _lock_chain()
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
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
        unit_path=getattr(unit, "path", "") or "",
        unit_name=(getattr(unit, "name", "") or "")[:200],
        object_type=subject._meta.label_lower if subject is not None else "",
        object_id=str(subject.pk) if subject is not None and subject.pk is not None else "",
        object_repr=str(subject)[:200] if subject is not None else "",
        before=_jsonable(before),
        after=_jsonable(after),
        reason=reason or "",
        details=_jsonable(details or {}),
        prev_hash=prev_hash,
    )
    row.hash = compute_hash(row)
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


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    bad_seq: int | None = None
    problem: str = ""


def verify(batch_size: int = 2000) -> VerifyResult:
    """Walk the whole chain in order; stop at the first row that does not fit."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for row in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if row.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, f"row {expected_seq} is missing (next row is {row.seq})")
        if row.prev_hash != expected_prev:
            return VerifyResult(False, checked, row.seq, f"row {row.seq} does not link to the row before it")
        if compute_hash(row) != row.hash:
            return VerifyResult(False, checked, row.seq, f"row {row.seq} was altered (hash mismatch)")
        expected_prev = row.hash
        expected_seq += 1
        checked += 1
    return VerifyResult(True, checked)

