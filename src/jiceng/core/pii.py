"""Personal data: validation, masking and encryption at rest of ID-card numbers and phones.

ID numbers are important personal information under 等保三级 practice, so the
database holds them encrypted (AES-256-GCM) and a keyed HMAC-SHA256 beside
them for exact look-ups; the clear value exists only in memory. Both keys are
derived from one master key: JICENG_PII_KEY (or the file named by
JICENG_PII_KEY_FILE), else one generated on first use and kept under
JICENG_DATA_DIR like SECRET_KEY. Lose that key and the stored ID numbers are
lost with it: back it up apart from the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import operator
import os
import re
import secrets
import time
from datetime import date
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django import forms
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.db.models.lookups import Lookup
from django.db.models.query_utils import DeferredAttribute
from django.utils.translation import gettext_lazy as _

# --- validation -------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Province-level codes of GB/T 2260 (the first two digits of every ID number),
# plus 81/82/83 for the residence permits of Hong Kong, Macao and Taiwan
# residents. The full county-level table is not checked: it changes every year
# and people keep numbers whose county code was abolished long ago.
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
_MOBILE = re.compile(r"1[3-9]\d{9}")
_SEPARATORS = re.compile(r"[\s\-]")


def normalise_id_number(value) -> str:
    """Trim blanks and upper-case the final x, the one spelling people type differently."""
    return "" if value is None else str(value).strip().replace(" ", "").upper()


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character for the first seventeen digits."""
    if len(first17) != 17:
        raise ValueError("seventeen digits expected")
    return _ID_CHECK[sum(map(operator.mul, map(int, first17), _ID_WEIGHTS)) % 11]


def validate_id_number(value) -> None:
    """Refuse an ID-card number that is not 18 characters, a known region, a real birth date and the right check digit."""
    clean_id_number(value)


def _today() -> date:
    # date.today() is a system call; bulk imports validate 100,000 numbers in a row.
    now = time.monotonic()
    if now - _TODAY[1] > 60:
        _TODAY[:] = [date.today(), now]
    return _TODAY[0]


_TODAY: list = [date.min, float("-inf")]


def clean_id_number(value) -> str:
    """The normalised ID number, or ValidationError saying why it is not one (see validate_id_number)."""
    text = normalise_id_number(value)
    if len(text) != 18:
        raise ValidationError(
            _("Must be 18 characters, not %(count)d."), code="id_length", params={"count": len(text)}
        )
    if not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
        raise ValidationError(
            _("Only digits are allowed, and X as the last character."), code="id_characters"
        )
    region = text[:6]
    if region[:2] not in PROVINCE_CODES or (region[:2] not in {"81", "82", "83"} and region[2:] == "0000"):
        raise ValidationError(_("Unknown region code %(code)s."), code="id_region", params={"code": region})
    try:
        birth = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        birth = None
    if birth is None or birth.year < 1900 or birth > _today():
        raise ValidationError(_("Invalid birth date %(date)s."), code="id_birth_date", params={"date": text[6:14]})
    if id_check_digit(text[:17]) != text[17]:
        raise ValidationError(_("Wrong check digit."), code="id_check_digit")
    return text


def birth_date_of(id_number: str) -> date:
    """The birth date written in a valid ID number."""
    return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def normalise_mobile(value) -> str:
    """Drop spaces, hyphens and a +86 / 86 country prefix."""
    if value is None:
        return ""
    text = str(value)
    if not text.isdigit():
        text = _SEPARATORS.sub("", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("86") and len(text) == 13:
        text = text[2:]
    return text


def validate_mobile(value) -> None:
    """Refuse anything but an 11-digit mainland mobile number (1 then 3–9)."""
    clean_mobile(value)


def clean_mobile(value) -> str:
    """The normalised mobile number, or ValidationError (see validate_mobile)."""
    text = normalise_mobile(value)
    if not _MOBILE.fullmatch(text):
        raise ValidationError(
            _("Not a mobile number: 11 digits beginning with 13 to 19."), code="mobile_invalid"
        )
    return text


# --- masking --------------------------------------------------------------------


def mask_id_number(value) -> str:
    """'110105********1234': region kept, birth date and serial hidden."""
    text = normalise_id_number(value)
    if not text:
        return ""
    if len(text) <= 10:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


def mask_phone(value) -> str:
    """'138****5678': operator prefix and last four kept."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    if len(text) < 8:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


# --- keys, encryption and the look-up hash ------------------------------------------

_CIPHER_PREFIX = "v1:"


def _master_key() -> bytes:
    raw = None
    if os.environ.get("JICENG_PII_KEY_FILE"):
        raw = Path(os.environ["JICENG_PII_KEY_FILE"]).read_text(encoding="utf-8").strip()
    elif os.environ.get("JICENG_PII_KEY"):
        raw = os.environ["JICENG_PII_KEY"].strip()
    if raw is None:
        # Generated once beside the database so a try-out install works; a
        # production install sets its own key and backs it up separately.
        key_file = Path(settings.DATA_DIR) / "pii_key"
        if not key_file.exists():
            key_file.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(), encoding="utf-8")
            key_file.chmod(0o600)
        raw = key_file.read_text(encoding="utf-8").strip()
    try:
        key = base64.urlsafe_b64decode(raw.encode() + b"=" * (-len(raw) % 4))
    except ValueError as exc:
        raise ImproperlyConfigured("JICENG_PII_KEY must be 32 bytes in URL-safe base64") from exc
    if len(key) != 32:
        raise ImproperlyConfigured("JICENG_PII_KEY must be 32 bytes in URL-safe base64")
    return key


@lru_cache(maxsize=1)
def _keys() -> tuple[AESGCM, bytes]:
    master = _master_key()

    def derive(purpose: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)

    # Separate subkeys, so the look-up hash can never be used to attack the cipher.
    return AESGCM(derive(b"jiceng pii encryption")), derive(b"jiceng pii lookup hash")


def reset_keys() -> None:
    """Forget the cached keys (tests that change JICENG_PII_KEY)."""
    _keys.cache_clear()


def encrypt(clear: str) -> str:
    nonce = secrets.token_bytes(12)
    sealed = _keys()[0].encrypt(nonce, clear.encode("utf-8"), None)
    return _CIPHER_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def decrypt(stored: str) -> str:
    if not stored.startswith(_CIPHER_PREFIX):
        raise ValueError("not a Jiceng PII ciphertext")
    blob = base64.urlsafe_b64decode(stored[len(_CIPHER_PREFIX) :].encode("ascii"))
    return _keys()[0].decrypt(blob[:12], blob[12:], None).decode("utf-8")


def lookup_hash(value) -> str:
    """The keyed HMAC-SHA256 of a normalised ID number ('' for no number)."""
    text = normalise_id_number(value)
    if not text:
        return ""
    return hmac.new(_keys()[1], text.encode("utf-8"), hashlib.sha256).hexdigest()


# --- the model field ------------------------------------------------------------------


class _IdNumberDescriptor(DeferredAttribute):
    """Keeps the look-up hash in step with the value, whatever path sets it (forms, bulk writes)."""

    def __set__(self, instance, value):
        value = normalise_id_number(value) if value is not None else value
        instance.__dict__[self.field.attname] = value
        if self.field.hash_field:
            instance.__dict__[self.field.hash_field] = lookup_hash(value)


class HashedExact(Lookup):
    """`field=value` compares the keyed hash column: the ciphertext is randomised and cannot be compared."""

    lookup_name = "exact"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        hash_field = self.lhs.target.model._meta.get_field(self.lhs.target.hash_field)
        column, params = compiler.compile(hash_field.get_col(self.lhs.alias))
        return f"{column} = %s", [*params, lookup_hash(self.rhs)]


class EncryptedIdNumberField(models.CharField):
    """An ID-card number, validated, stored encrypted, with its keyed hash kept in `hash_field`."""

    descriptor_class = _IdNumberDescriptor

    def __init__(self, *args, hash_field: str | None = None, **kwargs):
        self.hash_field = hash_field
        kwargs.setdefault("max_length", 100)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["hash_field"] = self.hash_field
        return name, path, args, kwargs

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        names = [f.name for f in self.model._meta.local_fields]
        if self.hash_field not in names or names.index(self.hash_field) > names.index(self.name):
            errors.append(
                checks.Error(
                    f"{self.name}: hash_field {self.hash_field!r} must be a field declared before it",
                    obj=self,
                    id="jiceng.E001",
                )
            )
        return errors

    @property
    def validators(self):
        # The column is long enough for the ciphertext; the clear value's rules
        # are the ID-number rules, not a length of 100.
        return [validate_id_number]

    def to_python(self, value):
        return normalise_id_number(value) if value is not None else value

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = normalise_id_number(value) if value is not None else None
        return encrypt(value) if value else ("" if value is not None else None)

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return HashedExact
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None  # a ciphertext supports no other comparison

    def formfield(self, **kwargs):
        return super().formfield(**{"max_length": 18, "form_class": forms.CharField, **kwargs})

    def audit_value(self, value) -> str:
        return mask_id_number(value)


class MobileField(models.CharField):
    """A mobile number: validated and normalised; the audit trail keeps only its masked form."""

    default_validators = [validate_mobile]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return normalise_mobile(value) if value else ("" if value is not None else None)

    def pre_save(self, model_instance, add):
        value = self.to_python(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def audit_value(self, value) -> str:
        return mask_phone(value)
