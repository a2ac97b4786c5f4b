"""The citizen service number (BSN): checked with the 11-proef, masked when shown."""

from __future__ import annotations

from stdnum.nl import bsn as stdnum_bsn


def normalise(value: str | None) -> str | None:
    """Digits only, with a leading zero restored when a spreadsheet dropped it; None if empty."""
    if value is None:
        return None
    digits = "".join(ch for ch in str(value).strip().removesuffix(".0") if ch.isdigit())
    if not digits:
        return None
    return digits.zfill(9) if len(digits) == 8 else digits


def is_valid(value: str | None) -> bool:
    """Whether ``value`` is a 9-digit number that passes the 11-proef."""
    normalised = normalise(value)
    return normalised is not None and bool(stdnum_bsn.is_valid(normalised))


def mask(value: str | None) -> str:
    """Only the last three digits, as shown on screen by default."""
    normalised = normalise(value)
    if not normalised:
        return ""
    return "•" * (len(normalised) - 3) + normalised[-3:]
