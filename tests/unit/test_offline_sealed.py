"""Sealed files: encryption round trip, every changed byte refused, clear errors."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from kvds_desktop.errors import UserError
from kvds_desktop.exchange import sealed
from kvds_desktop.exchange.sealed import (
    MAGIC,
    MARKS_KIND,
    PACK_KIND,
    NotSealed,
    SealedFileDamaged,
    WrongKind,
    WrongPassphrase,
    check_passphrase,
    read_passphrase_file,
    seal,
    unseal,
)

PASSPHRASE = "paarse olifant op de fiets"
PAYLOAD = json.dumps({"lessons": ["les 1", "les 2"], "naam": "Amal Haddad"}).encode()


@pytest.fixture
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """A low scrypt cost, so a test can try hundreds of changed files quickly."""
    monkeypatch.setattr(sealed, "SCRYPT_N", 2**10)


@pytest.fixture(scope="module")
def sealed_pack() -> bytes:
    """A pack sealed with the real scrypt cost."""
    return seal(PAYLOAD, PASSPHRASE, kind=PACK_KIND)


def _flip(data: bytes, position: int, mask: int = 0x01) -> bytes:
    return data[:position] + bytes([data[position] ^ mask]) + data[position + 1 :]


def _header(data: bytes) -> dict[str, object]:
    line = data[len(MAGIC) : data.index(b"\n", len(MAGIC))]
    return dict(json.loads(line))


def test_round_trip_gives_the_payload_back(sealed_pack: bytes) -> None:
    assert sealed_pack.startswith(MAGIC)
    assert b"Amal" not in sealed_pack  # encrypted, not just compressed
    assert unseal(sealed_pack, PASSPHRASE, kind=PACK_KIND) == PAYLOAD


def test_the_header_records_the_key_derivation(sealed_pack: bytes) -> None:
    header = _header(sealed_pack)
    assert header["kind"] == PACK_KIND and header["cipher"] == "AES-256-GCM"
    assert header["kdf"] == {"name": "scrypt", "n": 2**15, "r": 8, "p": 1}
    assert len(base64.b64decode(str(header["salt"]))) == 16
    assert len(base64.b64decode(str(header["nonce"]))) == 12


def test_two_seals_of_the_same_payload_differ() -> None:
    first, second = (seal(PAYLOAD, PASSPHRASE, kind=PACK_KIND) for _ in range(2))
    assert first != second  # fresh salt and nonce every time
    assert unseal(second, PASSPHRASE, kind=PACK_KIND) == PAYLOAD


def test_a_wrong_passphrase_is_told_apart(sealed_pack: bytes) -> None:
    with pytest.raises(WrongPassphrase) as caught:
        unseal(sealed_pack, PASSPHRASE.upper(), kind=PACK_KIND)
    assert "passphrase does not fit" in str(caught.value)
    assert isinstance(caught.value, UserError)


def test_a_marks_file_is_not_opened_as_a_pack() -> None:
    marks = seal(PAYLOAD, PASSPHRASE, kind=MARKS_KIND)
    with pytest.raises(WrongKind, match="marks file, not a week pack"):
        unseal(marks, PASSPHRASE, kind=PACK_KIND)


def test_a_pack_is_not_read_as_a_marks_file(sealed_pack: bytes) -> None:
    with pytest.raises(WrongKind, match="week pack, not a marks file"):
        unseal(sealed_pack, PASSPHRASE, kind=MARKS_KIND)


@pytest.mark.parametrize(
    "data",
    [b"", b"hello", b"PK\x03\x04 an xlsx", MAGIC, MAGIC + b"not json\n", MAGIC + b"[1]\n",
     MAGIC + b'{"kind": "week-pack"}\n' + b"x" * 40],
)  # fmt: skip
def test_other_files_are_not_sealed_files(data: bytes) -> None:
    with pytest.raises(NotSealed, match="not a KVDS week pack or marks file"):
        unseal(data, PASSPHRASE, kind=PACK_KIND)


def _region(data: bytes, field: str) -> int:
    """The position of the middle of a header field's value."""
    start = data.index(f'"{field}":'.encode()) + len(field) + 4
    return start + 4


@pytest.mark.parametrize("where", ["magic", "kind", "salt", "nonce", "check", "n",
                                   "body", "middle", "tag"])  # fmt: skip
def test_a_changed_byte_is_refused(sealed_pack: bytes, where: str) -> None:
    body = sealed_pack.index(b"\n", len(MAGIC)) + 1
    position = {
        "magic": 3, "body": body, "middle": (body + len(sealed_pack)) // 2,
        "tag": len(sealed_pack) - 1,
    }.get(where) or _region(sealed_pack, where)  # fmt: skip
    with pytest.raises(UserError):
        unseal(_flip(sealed_pack, position), PASSPHRASE, kind=PACK_KIND)


def test_a_changed_body_byte_says_the_file_was_changed(sealed_pack: bytes) -> None:
    with pytest.raises(SealedFileDamaged, match="changed or damaged after it was made"):
        unseal(_flip(sealed_pack, len(sealed_pack) - 20), PASSPHRASE, kind=PACK_KIND)


@pytest.mark.usefixtures("cheap_kdf")
@pytest.mark.parametrize("mask", [0x01, 0x80, 0xFF])
def test_every_single_changed_byte_is_refused(mask: int) -> None:
    data = seal(PAYLOAD, PASSPHRASE, kind=MARKS_KIND)
    assert unseal(data, PASSPHRASE, kind=MARKS_KIND) == PAYLOAD
    for position in range(len(data)):
        with pytest.raises(UserError):
            unseal(_flip(data, position, mask), PASSPHRASE, kind=MARKS_KIND)


@pytest.mark.usefixtures("cheap_kdf")
def test_cut_or_lengthened_files_are_refused() -> None:
    data = seal(PAYLOAD, PASSPHRASE, kind=MARKS_KIND)
    for changed in (data[:-1], data[:-16], data + b"\x00", data + b"\n", data[:40]):
        with pytest.raises(UserError):
            unseal(changed, PASSPHRASE, kind=MARKS_KIND)


def test_a_header_asking_for_huge_memory_is_refused_before_deriving(sealed_pack: bytes) -> None:
    header = _header(sealed_pack)
    header["kdf"] = {"name": "scrypt", "n": 2**24, "r": 8, "p": 1}
    forged = MAGIC + json.dumps(header).encode() + b"\n" + b"\x00" * 32
    with pytest.raises(NotSealed):
        unseal(forged, PASSPHRASE, kind=PACK_KIND)


@pytest.mark.parametrize("passphrase", ["", "kort", "123456789", " " * 9])
def test_a_short_passphrase_is_refused(passphrase: str) -> None:
    with pytest.raises(UserError, match="at least 10 characters"):
        check_passphrase(passphrase)
    with pytest.raises(UserError, match="at least 10 characters"):
        seal(PAYLOAD, passphrase, kind=PACK_KIND)


def test_ten_characters_are_enough() -> None:
    check_passphrase("0123456789")


def test_the_passphrase_file_gives_its_first_line_stripped(tmp_path: Path) -> None:
    path = tmp_path / "wachtwoord.txt"
    path.write_text("  paarse olifant op de fiets \r\nsecond line\n", encoding="utf-8")
    assert read_passphrase_file(path) == "paarse olifant op de fiets"
    path.write_bytes("\ufeffmet bom en ü\n".encode())
    assert read_passphrase_file(path) == "met bom en ü"


def test_passphrase_file_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="There is no passphrase file"):
        read_passphrase_file(tmp_path / "missing.txt")
    with pytest.raises(UserError, match="is a folder"):
        read_passphrase_file(tmp_path)
    for content in (b"", b"\n\nsecond", b"   \n"):
        (tmp_path / "empty.txt").write_bytes(content)
        with pytest.raises(UserError, match="is empty"):
            read_passphrase_file(tmp_path / "empty.txt")
    (tmp_path / "binary.txt").write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(UserError, match="not a text file"):
        read_passphrase_file(tmp_path / "binary.txt")
