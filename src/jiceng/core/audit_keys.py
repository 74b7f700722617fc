"""The keys that sign the audit chain: they live outside the database.

Two sources (docs/operations.md, "Audit keys"):

- the environment: `JICENG_AUDIT_KEY` (or a file named by `JICENG_AUDIT_KEY_FILE`)
  holds a key ring, entries `ID:SECRET` separated by commas or white space; the
  first entry signs new rows, the others are kept to verify older rows;
- otherwise a key directory (`AUDIT_KEY_DIR`, `$JICENG_DATA_DIR/audit_keys` by
  default): one file `ID.key` per key (mode 0600) and a file `current` naming
  the key that signs new rows. The first key is created on first use;
  `jiceng audit rotate-key` adds the next one.

Rows and checkpoints record the id of the key that signed them, so rotation
never invalidates what was signed before: old keys are only ever added to,
never removed from, the ring.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

KEY_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class AuditKeyError(Exception):
    """The key configuration is unusable (named: which variable or file, and why)."""


@dataclass(frozen=True)
class KeyRing:
    current_id: str
    keys: dict[str, bytes]
    source: str  # "env" or the key directory
    # One keyed HMAC state per key, copied for each message (verify signs every row).
    _bases: dict = field(default_factory=dict, compare=False, repr=False)

    def key(self, key_id: str) -> bytes | None:
        return self.keys.get(key_id)

    def sign(self, key_id: str, message: bytes) -> str:
        base = self._bases.get(key_id)
        if base is None:
            base = self._bases[key_id] = hmac.new(self.keys[key_id], digestmod=hashlib.sha256)
        mac = base.copy()
        mac.update(message)
        return mac.hexdigest()


_lock = threading.Lock()
_cache: dict[tuple, KeyRing] = {}


def _parse_env(text: str) -> KeyRing:
    keys: dict[str, bytes] = {}
    order: list[str] = []
    for entry in re.split(r"[,\s]+", text.strip()):
        if not entry:
            continue
        key_id, sep, secret = entry.partition(":")
        if not sep or not KEY_ID_RE.match(key_id) or len(secret) < 16:
            raise AuditKeyError(
                "JICENG_AUDIT_KEY: each entry must be ID:SECRET (id of letters, digits, - or _; secret of at least 16 characters)"
            )
        if key_id in keys:
            raise AuditKeyError(f"JICENG_AUDIT_KEY: key id {key_id!r} appears twice")
        keys[key_id] = secret.encode("utf-8")
        order.append(key_id)
    if not order:
        raise AuditKeyError("JICENG_AUDIT_KEY is set but holds no key")
    return KeyRing(order[0], keys, "env")


def _write_private(path: Path, text: str) -> None:
    """Create `path` with mode 0600 (never readable by others, even for a moment)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def _set_current(directory: Path, key_id: str) -> None:
    tmp = directory / f".current.{os.getpid()}.{secrets.token_hex(4)}"
    _write_private(tmp, key_id + "\n")
    os.replace(tmp, directory / "current")


def _read_dir(directory: Path) -> KeyRing:
    keys: dict[str, bytes] = {}
    for path in sorted(directory.glob("*.key")):
        key_id = path.name[: -len(".key")]
        if KEY_ID_RE.match(key_id):
            keys[key_id] = path.read_text(encoding="utf-8").strip().encode("utf-8")
    current_file = directory / "current"
    current = current_file.read_text(encoding="utf-8").strip() if current_file.exists() else ""
    if current not in keys:
        raise AuditKeyError(f"{current_file}: names key {current!r}, but {directory}/{current}.key does not exist")
    return KeyRing(current, keys, str(directory))


def _create_first(directory: Path) -> None:
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if any(directory.glob("k1-*.key")):  # another process made it first
        return
    key_id = _new_id(1)
    _write_private(directory / f"{key_id}.key", secrets.token_urlsafe(48))
    _set_current(directory, key_id)


def _new_id(number: int) -> str:
    # A random tail, so two installs' keys never share an id: a key taken from
    # the wrong install is then named "not configured", not mistaken for tampering.
    return f"k{number}-{secrets.token_hex(3)}"


def _env_text() -> str | None:
    return getattr(settings, "AUDIT_KEY", None) or None


def _key_dir() -> Path:
    return Path(settings.AUDIT_KEY_DIR)


def keyring() -> KeyRing:
    """The configured key ring; the key directory's first key is created on first use."""
    env = _env_text()
    if env:
        cache_key: tuple = ("env", env)
    else:
        directory = _key_dir()
        current = directory / "current"
        try:
            stamp = current.stat().st_mtime_ns
        except FileNotFoundError:
            with _lock:
                if not current.exists():
                    _create_first(directory)
            stamp = current.stat().st_mtime_ns
        cache_key = ("dir", str(directory), stamp)
    ring = _cache.get(cache_key)
    if ring is None:
        ring = _parse_env(env) if env else _read_dir(_key_dir())
        with _lock:
            _cache.clear()
            _cache[cache_key] = ring
    return ring


def rotate() -> str:
    """Add a new key to the key directory and make it the one that signs new rows; returns its id."""
    if _env_text():
        raise AuditKeyError(
            "the audit key comes from JICENG_AUDIT_KEY: to rotate, put a new ID:SECRET entry first in it "
            "(keep the old entries after it) and restart the service"
        )
    ring = keyring()
    numbers = [int(m.group(1)) for key_id in ring.keys if (m := re.fullmatch(r"k(\d+)(?:-[0-9a-f]+)?", key_id))]
    new_id = _new_id(max(numbers, default=0) + 1)
    directory = _key_dir()
    _write_private(directory / f"{new_id}.key", secrets.token_urlsafe(48))
    _set_current(directory, new_id)
    _cache.clear()
    return new_id
