"""Sealed files: encrypted, authenticated containers for week packs and marks files.

A sealed file is a magic line, one JSON header line and the ciphertext::

    KVDS-SEALED 1
    {"check": ..., "cipher": "AES-256-GCM", "compression": "zlib", "kdf": {...}, ...}
    <AES-256-GCM ciphertext of the zlib-compressed payload, with its 16-byte tag>

The key comes from the passphrase with scrypt (random 16-byte salt). scrypt gives 64
bytes: 32 for the AES key and 32 for a check key, whose HMAC over a fixed text is kept
in the header, so a wrong passphrase is told apart from a damaged file. The magic line
and the header are the associated data of the cipher: a change to any byte of the file
is refused. Nothing here knows what the payload means; callers pass JSON bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import zlib
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from kvds_desktop.errors import N_, UserError

MAGIC = b"KVDS-SEALED 1\n"
PACK_KIND = "week-pack"
MARKS_KIND = "marks"
CIPHER = "AES-256-GCM"
COMPRESSION = "zlib"
CHECK_TEXT = b"kvds passphrase check"
MIN_PASSPHRASE = 10
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
NONCE_BYTES = 12
# What a header may ask for: enough for stronger settings later, never gigabytes of memory.
MAX_SCRYPT_MEMORY = 256 * 1024 * 1024
MAX_HEADER_BYTES = 4096
MAX_PAYLOAD_BYTES = 256 * 1024 * 1024


class NotSealed(UserError):
    """The data is not a sealed KVDS file, or its magic line or header is damaged."""


class WrongKind(UserError):
    """A sealed file of another kind (a marks file opened as a week pack, ...)."""


class WrongPassphrase(UserError):
    """The passphrase does not fit the file; asking again may help."""


class SealedFileDamaged(UserError):
    """The passphrase fits, but the file was changed or damaged after it was sealed."""


def check_passphrase(passphrase: str) -> None:
    """Refuse a passphrase too short to protect a file that leaves the laptop.

    Raises:
        UserError: the passphrase has fewer than 10 characters.
    """
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise UserError(
            N_(
                "A passphrase needs at least {min} characters. Choose a longer one, for "
                "example a few words with spaces between them."
            ),
            min=MIN_PASSPHRASE,
        )


def read_passphrase_file(path: Path) -> str:
    """The passphrase on the first line of a text file, without surrounding spaces.

    Raises:
        UserError: the file is missing, a folder, unreadable, not text, or its first
            line is empty.
    """
    path = Path(path)
    if not path.exists():
        raise UserError(N_("There is no passphrase file at {path}."), path=str(path))
    if path.is_dir():
        raise UserError(N_("{path} is a folder, not a passphrase file."), path=str(path))
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise UserError(
            N_("The passphrase file {path} cannot be read: {reason}"),
            path=str(path),
            reason=exc.strerror or str(exc),
        ) from exc
    except UnicodeDecodeError as exc:
        raise UserError(
            N_("The passphrase file {path} is not a text file (UTF-8)."), path=str(path)
        ) from exc
    first = text.splitlines()[0].strip() if text.strip() else ""
    if not first:
        raise UserError(
            N_("The passphrase file {path} is empty. Write the passphrase on its first line."),
            path=str(path),
        )
    return first


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> tuple[bytes, bytes]:
    """The AES key and the check value for ``passphrase``."""
    material = Scrypt(salt=salt, length=64, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))
    key, check_key = material[:32], material[32:]
    return key, hmac.new(check_key, CHECK_TEXT, hashlib.sha256).digest()


def seal(payload: bytes, passphrase: str, *, kind: str) -> bytes:
    """Compress, encrypt and authenticate ``payload`` as a sealed file of ``kind``.

    Raises:
        UserError: the passphrase is too short.
    """
    check_passphrase(passphrase)
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    key, check = _derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    header = {
        "kind": kind,
        "cipher": CIPHER,
        "compression": COMPRESSION,
        "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P},
        "salt": _b64(salt),
        "nonce": _b64(nonce),
        "check": _b64(check),
    }
    head = MAGIC + json.dumps(header, sort_keys=True, separators=(",", ":")).encode() + b"\n"
    body = AESGCM(key).encrypt(nonce, zlib.compress(payload, 9), head)
    return head + body


def _not_sealed() -> NotSealed:
    return NotSealed(
        N_(
            "This is not a KVDS week pack or marks file, or its beginning is damaged. "
            "Choose the file made by KVDS Desktop, or ask for a new copy."
        )
    )


def _wrong_kind(found: str, expected: str) -> WrongKind:
    if expected == PACK_KIND and found == MARKS_KIND:
        return WrongKind(
            N_(
                "This is a marks file, not a week pack. The coordinator imports it with "
                "'Import marks'; a teacher opens the week pack (.kvdspack) instead."
            )
        )
    if expected == MARKS_KIND and found == PACK_KIND:
        return WrongKind(
            N_(
                "This is a week pack, not a marks file. Ask the teacher for the marks file "
                "(.kvdsmarks) that the teacher app exports."
            )
        )
    return WrongKind(
        N_("This file holds {found}, not {expected}. Choose the right file."),
        found=found,
        expected=expected,
    )


def _header(data: bytes) -> tuple[dict[str, Any], bytes, bytes]:
    """The parsed header, the authenticated head bytes and the ciphertext."""
    if not data.startswith(MAGIC):
        raise _not_sealed()
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER_BYTES)
    if end < 0:
        raise _not_sealed()
    try:
        header = json.loads(data[len(MAGIC) : end].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _not_sealed() from None
    if not isinstance(header, dict):
        raise _not_sealed()
    return header, data[: end + 1], data[end + 1 :]


def _params(header: dict[str, Any]) -> tuple[bytes, bytes, bytes, int, int, int]:
    """Salt, nonce, check value and scrypt n, r, p, refusing anything out of bounds."""
    kdf = header.get("kdf")
    if (
        header.get("cipher") != CIPHER
        or header.get("compression") != COMPRESSION
        or not isinstance(kdf, dict)
        or kdf.get("name") != "scrypt"
    ):
        raise _not_sealed()
    n, r, p = kdf.get("n"), kdf.get("r"), kdf.get("p")
    if not all(type(v) is int for v in (n, r, p)):
        raise _not_sealed()
    assert isinstance(n, int) and isinstance(r, int) and isinstance(p, int)
    if n < 2 or n & (n - 1) or not 1 <= r <= 32 or not 1 <= p <= 4:
        raise _not_sealed()
    if 128 * n * r > MAX_SCRYPT_MEMORY:
        raise _not_sealed()
    try:
        salt, nonce, check = (
            base64.b64decode(str(header.get(field, "")), validate=True)
            for field in ("salt", "nonce", "check")
        )
    except (binascii.Error, ValueError):
        raise _not_sealed() from None
    if len(salt) < SALT_BYTES or len(nonce) != NONCE_BYTES or len(check) != 32:
        raise _not_sealed()
    return salt, nonce, check, n, r, p


def _damaged() -> SealedFileDamaged:
    return SealedFileDamaged(
        N_(
            "This file was changed or damaged after it was made, so it cannot be trusted. "
            "Ask for a new copy of the file."
        )
    )


def unseal(data: bytes, passphrase: str, *, kind: str) -> bytes:
    """The payload of a sealed file of ``kind``, checked to be exactly as it was sealed.

    Raises:
        NotSealed: the data is not a sealed KVDS file, or its header is damaged.
        WrongKind: it holds another kind of file.
        WrongPassphrase: the passphrase does not fit.
        SealedFileDamaged: the file was changed or damaged after it was made.
        (All four are UserErrors.)
    """
    header, head, body = _header(data)
    found = header.get("kind")
    if not isinstance(found, str) or not found:
        raise _not_sealed()
    if found != kind:
        raise _wrong_kind(found, kind)
    salt, nonce, check, n, r, p = _params(header)
    key, expected = _derive(passphrase or "", salt, n, r, p)
    if not hmac.compare_digest(check, expected):
        raise WrongPassphrase(
            N_(
                "The passphrase does not fit this file. Check it (capitals and spaces "
                "count) and try again, or ask for the passphrase the file was made with. "
                "If the passphrase is right, the file was changed on the way: ask for it "
                "again."
            )
        )
    try:
        compressed = AESGCM(key).decrypt(nonce, body, head)
    except InvalidTag:
        raise _damaged() from None
    inflater = zlib.decompressobj()
    try:
        payload = inflater.decompress(compressed, MAX_PAYLOAD_BYTES)
    except zlib.error:
        raise _damaged() from None
    if inflater.unconsumed_tail or not inflater.eof:
        raise _damaged()
    return payload
