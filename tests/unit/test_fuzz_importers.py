"""Every importer, fed malformed, truncated and hostile files: a clear error or an import.

The seeds are real files the app makes from a copy of the pilot demo database; the
mutations and the importers are those of bench/bench_fuzz.py (which feeds 10,000 inputs
per importer). Here hypothesis drives the mutations: ``KVDS_FUZZ_EXAMPLES`` (default 60)
inputs per importer. Whatever the input, the importer must end in a UserError (with
nothing written: SQLite's commit counter and a hash of every row stay the same) or in a
correct import; any other exception fails the test.
"""

from __future__ import annotations

import io
import os
import random
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.bench_fuzz import (
    CLOSURES,
    FORMULAS,
    IMPORTERS,
    Fuzzer,
    mutate,
    table_digest,
)

EXAMPLES = int(os.environ.get("KVDS_FUZZ_EXAMPLES", "60"))
ROW_CHECK_EVERY = 15  # a full hash of every row costs about half a second on the pilot


@pytest.fixture(scope="module")
def fuzzer(pilot_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzzer]:
    made = Fuzzer.create(pilot_file, tmp_path_factory.mktemp("fuzz"))
    yield made
    made.close()


def _feed(fuzzer: Fuzzer, importer: str, data: bytes, *, check_rows: bool = True) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about what it repairs
        outcome = fuzzer.feed(importer, data, check_rows=check_rows)
    assert outcome != "changed", f"{importer}: a rejected file changed the database"
    return outcome


@pytest.mark.parametrize("importer", IMPORTERS)
def test_the_seed_files_made_by_the_app_import(fuzzer: Fuzzer, importer: str) -> None:
    version = fuzzer._data_version()
    assert _feed(fuzzer, importer, fuzzer.seeds[importer]) == "imported"
    # the commit counter that guards rejected files does see a write (each of these
    # imports writes at least its audit entry; a pack writes nothing)
    if importer in ("closures", "marks", "workbooks", "packs"):
        assert (fuzzer._data_version() != version) == (importer != "packs")


@pytest.mark.parametrize("importer", IMPORTERS)
def test_fuzzed_files_give_a_clear_error_or_an_import(fuzzer: Fuzzer, importer: str) -> None:
    seen: dict[str, int] = {"imported": 0, "rejected": 0}

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(rng=st.randoms(use_true_random=False))
    def fuzz(rng: random.Random) -> None:
        data = mutate(fuzzer, importer, rng)
        number = seen["imported"] + seen["rejected"]
        outcome = _feed(fuzzer, importer, data, check_rows=number % ROW_CHECK_EVERY == 0)
        seen[outcome] += 1

    fuzz()
    assert seen["rejected"] > 0  # the mutations do reach the error paths


# --- hostile files, one by one ----------------------------------------------------------


def _zip_with(data: bytes, extra: dict[str, bytes], drop: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            if name != drop:
                target.writestr(name, source.read(name))
        for name, body in extra.items():
            target.writestr(name, body)
    return out.getvalue()


def _text(seed: bytes) -> str:
    return seed.decode("utf-8-sig")


HOSTILE: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda seed: b"",
    "white space": lambda seed: b"  \r\n\t\r\n",
    "half": lambda seed: seed[: len(seed) // 2],
    "one byte": lambda seed: seed[:1],
    "random junk": lambda seed: random.Random(7).randbytes(5000),
    "NUL bytes": lambda seed: seed.replace(b";", b"\x00;").replace(b"P", b"\x00"),
    "UTF-16": lambda seed: _text(seed).encode("utf-16"),
    "latin-1": lambda seed: _text(seed).encode("latin-1", errors="replace"),
    "double BOM": lambda seed: b"\xef\xbb\xbf\xef\xbb\xbf" + seed,
    "header only": lambda seed: _text(seed).splitlines()[0].encode(),
    "commas for semicolons": lambda seed: seed.replace(b";", b","),
    "pipes for semicolons": lambda seed: seed.replace(b";", b"|"),
    "formulas": lambda seed: b"\n".join(
        line.replace(b";", b";" + FORMULAS[i % len(FORMULAS)].encode() + b";", 1)
        for i, line in enumerate(seed.splitlines())
    ),
    "a huge field": lambda seed: seed.replace(b";", b";" + b"A" * 2_000_000 + b";", 3),
    "lone carriage returns": lambda seed: seed.replace(b"\r\n", b"\r").replace(b";", b";\r", 2),
    "a junk zip member": lambda seed: _zip_with(seed, {"xl/worksheets/sheet9.xml": b"\x00junk"}),
    "a junk styles part": lambda seed: _zip_with(
        seed, {"xl/styles.xml": b"<junk"}, drop="xl/styles.xml"
    ),
    "no workbook part": lambda seed: _zip_with(seed, {}, drop="xl/workbook.xml"),
    "an empty zip": lambda seed: b"PK\x05\x06" + b"\x00" * 18,
}


TEXT_ONLY = frozenset({"UTF-16", "latin-1", "header only", "lone carriage returns"})
ZIP_ONLY = frozenset({"a junk zip member", "a junk styles part", "no workbook part"})
KINDS = {"candidates_csv": "text", "closures": "text", "candidates_xlsx": "zip",
         "workbooks": "zip", "packs": "sealed", "marks": "sealed"}  # fmt: skip
CASES = [
    (importer, hostile)
    for importer in IMPORTERS
    for hostile in sorted(HOSTILE)
    if (hostile not in TEXT_ONLY or KINDS[importer] == "text")
    and (hostile not in ZIP_ONLY or KINDS[importer] == "zip")
]
ALWAYS_REFUSED = frozenset({"empty", "white space", "random junk", "one byte", "an empty zip"})


@pytest.mark.parametrize(("importer", "hostile"), CASES)
def test_hostile_files_are_refused_clearly_or_imported(
    fuzzer: Fuzzer, importer: str, hostile: str
) -> None:
    outcome = _feed(fuzzer, importer, HOSTILE[hostile](fuzzer.seeds[importer]), check_rows=False)
    if hostile in ALWAYS_REFUSED:
        assert outcome == "rejected"


def test_rows_of_a_rejected_file_leave_every_row_as_it_was(fuzzer: Fuzzer) -> None:
    before = table_digest(fuzzer.path)
    for importer in IMPORTERS:
        seed = fuzzer.seeds[importer]
        assert _feed(fuzzer, importer, seed[:25]) == "rejected"  # cut inside the header
    assert table_digest(fuzzer.path) == before


def test_a_closures_file_with_only_bad_rows_is_reported_not_raised(fuzzer: Fuzzer) -> None:
    bad = CLOSURES.splitlines()[0] + "\r\n31-02-2027;;Foute datum;;\r\n"
    assert _feed(fuzzer, "closures", bad.encode()) == "imported"  # a report of rejected rows
