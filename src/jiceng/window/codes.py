"""Pure checks of the codes a window case carries: the unified social credit code (GB 32100-2015).

    clean_credit_code("91350100M000100Y43") -> "91350100M000100Y43"
    clean_credit_code("91350100M000100Y44") -> ValidationError("Wrong check character …")
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: 31 characters (no I, O, Z, S, V); weights 3^i mod 31 for the first 17 positions.
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_check_char(first17: str) -> str:
    """The check character for the first seventeen characters."""
    if len(first17) != 17:
        raise ValueError("seventeen characters expected")
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def clean_credit_code(value) -> str:
    """The normalised code, or ValidationError saying what is wrong with it."""
    text = "" if value is None else str(value).strip().replace(" ", "").upper()
    if len(text) != 18:
        raise ValidationError(_("A unified social credit code has 18 characters, not %(count)d."),
                              code="credit_length", params={"count": len(text)})
    bad = sorted({c for c in text if c not in CREDIT_CHARS})
    if bad:
        raise ValidationError(_("Characters not used in credit codes: %(chars)s (I, O, Z, S and V never occur)."),
                              code="credit_characters", params={"chars": " ".join(bad)})
    if not text[2:8].isdigit():
        raise ValidationError(_("Positions 3 to 8 must be the region code (six digits)."), code="credit_region")
    if credit_check_char(text[:17]) != text[17]:
        raise ValidationError(_("Wrong check character: the last character should be %(char)s."),
                              code="credit_check", params={"char": credit_check_char(text[:17])})
    return text


def mask_credit_code(value: str) -> str:
    """A code as lists show it: the registration authority and region, then stars, then the last two."""
    return value[:8] + "*" * 8 + value[-2:] if len(value or "") == 18 else ("*" * len(value or ""))
