"""Importing a 10,000-row candidate list: preview (target < 3 s), commit, and a second preview.

The file is what a municipal client system sends: ``;`` separated, Windows-1252,
Dutch dates, a few invalid rows. It is imported into an empty database; the second
preview of the same file must report every valid row unchanged.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROWS = 10_000
INVALID_EVERY = 997  # a handful of rows with an invalid BSN
PREVIEW_LIMIT_SECONDS = 3.0
TODAY = date(2026, 11, 28)
FIRST_NAMES = ("Amélie", "Mohammed", "Fatima", "Yonas", "Zoë", "François", "Olga", "Ahmad",
               "Noor", "Sara", "Tesfay", "Aylin", "Dawit", "Leila", "Omar", "Rahel")  # fmt: skip
LAST_NAMES = ("Benoît", "Al Khatib", "Çelik", "Haddad", "Kovalenko", "Müller", "Tesfay",
              "Hassan", "Yilmaz", "Abebe", "Nasser", "Mahmoud", "Osman", "Ibrahim")  # fmt: skip
MANAGERS = (("Jan de Vries", "Druten"), ("Fatima Ouali", "Wijchen"), ("Kees Smit", "Druten"),
            ("Anouk Peters", "Wijchen"))  # fmt: skip
HEADER = ("Cliëntnummer;BSN;Voornaam;Tussenvoegsel;Achternaam;Geboortedatum;Geslacht;"
          "Telefoonnummer;E-mail;Postcode;Woonplaats;Gemeente;Klantmanager;Wet;Leerroute;"
          "Streefniveau;Dagtekening PIP;Aandachtspunten")  # fmt: skip


def bsn_for(index: int) -> str:
    """A distinct BSN passing the 11-proef for each ``index`` below 1,000,000."""
    prefix = [int(ch) for ch in f"1{index:06d}"]
    for eighth in range(10):
        digits = [*prefix, eighth]
        check = sum(w * d for w, d in zip(range(9, 1, -1), digits, strict=True)) % 11
        if check < 10:
            return "".join(map(str, digits)) + str(check)
    raise AssertionError(index)  # pragma: no cover - some eighth digit always works


def write_file(path: Path, rows: int = ROWS, seed: int = 3) -> int:
    """Write the candidate list; return how many rows are invalid."""
    rng = random.Random(seed)
    lines = [HEADER]
    invalid = 0
    for index in range(rows):
        manager, municipality = MANAGERS[index % len(MANAGERS)]
        birth = date(1960, 1, 1) + timedelta(days=rng.randint(0, 15_000))
        pip = TODAY - timedelta(days=rng.randint(30, 900))
        bsn = bsn_for(index)
        if index % INVALID_EVERY == 5:
            bsn = bsn[:-1] + str((int(bsn[-1]) + 1) % 10)
            invalid += 1
        lines.append(
            ";".join((
                str(2_000_000 + index), bsn, rng.choice(FIRST_NAMES), "",
                rng.choice(LAST_NAMES), f"{birth.day}-{birth.month}-{birth.year}",
                rng.choice("MV"), f"06{rng.randint(10_000_000, 99_999_999)}",
                f"k{index}@example.nl", f"66{rng.randint(10, 99)} AB", municipality,
                municipality, manager, "Wi2021", rng.choice(("B1", "onderwijs", "Z-route")),
                rng.choice(("A2", "B1", "Alfa C")), pip.strftime("%d-%m-%Y"),
                '"Let op; vervoer regelen"' if index % 50 == 0 else "",
            ))
        )  # fmt: skip
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return invalid


def run() -> dict[str, object]:
    """Time preview, commit and the second preview of a 10,000-row file."""
    from kvds_desktop.services.candidate_import import commit_import, preview_import
    from kvds_desktop.store.database import Database

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "kandidaten.csv"
        invalid = write_file(source)
        db = Database.open(Path(folder) / "bench.sqlite", create=True)
        try:
            started = time.perf_counter()
            preview = preview_import(db, source, today=TODAY)
            preview_s = time.perf_counter() - started
            started = time.perf_counter()
            result = commit_import(
                db, preview, actor="bench", device="bench", now=datetime.now(UTC), today=TODAY
            )
            commit_s = time.perf_counter() - started
            started = time.perf_counter()
            again = preview_import(db, source, today=TODAY)
            second_s = time.perf_counter() - started
        finally:
            db.close()
    return {
        "name": "candidate_import_10k",
        "rows": ROWS,
        "preview_s": round(preview_s, 3),
        "commit_s": round(commit_s, 3),
        "second_preview_s": round(second_s, 3),
        "created": result.created,
        "rejected": result.rejected,
        "expected_rejected": invalid,
        "second_unchanged": len(again.unchanged),
        "second_new_changed_conflicts": len(again.new) + len(again.changed) + len(again.conflicts),
        "within_limit": preview_s < PREVIEW_LIMIT_SECONDS and second_s < PREVIEW_LIMIT_SECONDS,
    }


if __name__ == "__main__":
    print(json.dumps(run()))
