"""Importing candidate lists from the municipality: real files, a real database, no mocks."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from kvds_desktop.domain import bsn, rules
from kvds_desktop.errors import UserError
from kvds_desktop.exchange.candidate_fields import (
    list_named_mappings,
    load_mapping,
    load_named_mapping,
    recognise,
    save_named_mapping,
)
from kvds_desktop.exchange.tabular import read_table
from kvds_desktop.services.candidate_import import (
    ImportPreview,
    ImportResult,
    MissingColumns,
    commit_import,
    preview_import,
)
from kvds_desktop.services.maintenance import table_counts
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import AuditEntry, Candidate, Klantmanager, Location, PipVersion
from tests.fixtures.candidate_files import (
    BSN_A,
    BSN_ZERO,
    EXPECTED_NEW,
    EXPECTED_REJECTED,
    HEADERS,
    REFERENCE,
    ROWS,
    convert_with_libreoffice,
    csv_text,
    soffice,
    write_csv,
    write_xlsx,
)

NOW = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database.open(tmp_path / "x.sqlite", create=True)
    with database.session() as session:
        session.add(Location(name="Druten", municipality="Druten"))
        session.add(Location(name="Wijchen", municipality="Wijchen"))
    yield database
    database.close()


def commit(
    db: Database, preview: ImportPreview, resolutions: dict[tuple[int, str], str] | None = None
) -> ImportResult:
    return commit_import(
        db, preview, resolutions=resolutions, actor="coordinator", device="laptop", now=NOW
    )


def candidates(db: Database) -> dict[str, Candidate]:
    with db.session() as session:
        return {c.klantnummer or "": c for c in session.exec(select(Candidate)).all()}


def summary(preview: ImportPreview) -> tuple[int, int, int, int, list[int]]:
    return (
        len(preview.new),
        len(preview.changed),
        len(preview.unchanged),
        len(preview.conflicts),
        preview.rejected_rows,
    )


def test_messy_export_rejects_exactly_the_bad_rows(db: Database, tmp_path: Path) -> None:
    preview = preview_import(db, write_csv(tmp_path / "export.csv"), today=REFERENCE)
    assert summary(preview) == (EXPECTED_NEW, 0, 0, 0, sorted(EXPECTED_REJECTED))
    for rejection in preview.rejected:
        assert EXPECTED_REJECTED[rejection.row] in rejection.text(str)
        assert rejection.text(str).startswith(f"Row {rejection.row}: ")
    assert preview.unknown_columns == ["Interne code"]
    assert preview.as_json()["rejected"][0] == {
        "row": 4, "reason": "Row 4: the BSN 123456788 fails the 11-check."
    }  # fmt: skip

    result = commit(db, preview)
    assert result.created == EXPECTED_NEW and result.rejected == 4
    found = candidates(db)
    assert sorted(found) == ["1002300", "1002301", "1002305", "1002306"]
    amelie = found["1002300"]
    assert (amelie.voornamen, amelie.achternaam, amelie.bsn) == ("Amélie", "Benoît", BSN_A)
    assert amelie.birth_date == date(1990, 2, 1) and amelie.postcode == "6651 AB"
    assert (amelie.law, amelie.route, amelie.target_level) == ("wi2021", "b1", "b1")
    assert amelie.aandachtspunten == "Kinderopvang; nog regelen\nmet tolk"
    assert amelie.term_start == date(2025, 3, 13)
    assert amelie.term_end == rules.term_end(date(2025, 3, 13))
    assert amelie.status == "aangemeld" and amelie.registration_date == date(2026, 11, 28)
    zoe = found["1002301"]
    assert (zoe.bsn, zoe.tussenvoegsel, zoe.achternaam) == (BSN_ZERO, "van der", "Çelik")
    assert zoe.birth_date == date(1985, 6, 5) and zoe.route == "onderwijs"
    assert found["1002305"].target_level == "alfa_c" and found["1002305"].law == "wi2013"
    assert found["1002306"].birth_date == date(2001, 4, 3)
    with db.session() as session:
        locations = {loc.id: loc.name for loc in session.exec(select(Location))}
        managers = {km.name: km for km in session.exec(select(Klantmanager))}
        pips = session.exec(select(PipVersion)).all()
        audits = session.exec(select(AuditEntry)).all()
    assert locations[amelie.location_id] == "Druten" and locations[zoe.location_id] == "Wijchen"
    assert set(managers) == {"Jan de Vries", "Fatima Ouali"}
    assert managers["Fatima Ouali"].email == "f.ouali@wijchen.nl"
    assert amelie.klantmanager_id == managers["Jan de Vries"].id
    assert sorted(p.decision_date for p in pips) == [date(2025, 3, 12), date(2025, 7, 1)]
    assert [a.action for a in audits] == ["import.create"] * EXPECTED_NEW + ["import.file"]
    assert all(BSN_A not in a.new_values and BSN_ZERO not in a.new_values for a in audits)
    assert any(f'"{bsn.mask(BSN_A)}"' in a.new_values for a in audits)

    again = preview_import(db, tmp_path / "export.csv", today=REFERENCE)
    assert summary(again) == (0, 0, EXPECTED_NEW, 0, sorted(EXPECTED_REJECTED))
    second = commit(db, again)
    assert (second.created, second.updated) == (0, 0)


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-8-sig", ";"), ("utf-8", ","), ("cp1252", "\t")]
)
def test_separators_and_encodings_read_the_same(
    db: Database, tmp_path: Path, encoding: str, delimiter: str
) -> None:
    table = read_table(write_csv(tmp_path / "list.csv", encoding, delimiter))
    assert table.headers == HEADERS
    assert (table.delimiter, table.kind) == (delimiter, "csv")
    assert table.encoding == encoding
    assert [row.number for row in table.rows] == [2, 3, 4, 5, 6, 7, 8, 10]
    assert table.rows[0].values == [v.strip() for v in ROWS[0]]
    reference = preview_import(db, write_csv(tmp_path / "ref.csv"), today=REFERENCE)
    preview = preview_import(db, tmp_path / "list.csv", today=REFERENCE)
    assert [n.values for n in preview.new] == [n.values for n in reference.new]
    assert [r.text(str) for r in preview.rejected] == [r.text(str) for r in reference.rejected]
    hinted = tmp_path / "hinted.csv"
    hinted.write_bytes(f"sep={delimiter}\r\n".encode() + (tmp_path / "list.csv").read_bytes())
    assert read_table(hinted).rows == table.rows


def test_xlsx_with_typed_cells_imports_like_the_csv(db: Database, tmp_path: Path) -> None:
    from_csv = preview_import(db, write_csv(tmp_path / "export.csv"), today=REFERENCE)
    from_xlsx = preview_import(db, write_xlsx(tmp_path / "export.xlsx"), today=REFERENCE)
    assert summary(from_xlsx) == summary(from_csv)
    assert [n.values for n in from_xlsx.new] == [n.values for n in from_csv.new]
    with pytest.raises(UserError, match=r"no sheet called Blad1.*Export, Toelichting"):
        preview_import(db, tmp_path / "export.xlsx", sheet="Blad1", today=REFERENCE)
    with pytest.raises(MissingColumns):
        preview_import(db, tmp_path / "export.xlsx", sheet="Toelichting", today=REFERENCE)
    commit(db, from_xlsx)
    assert summary(preview_import(db, tmp_path / "export.csv", today=REFERENCE))[:4] == (
        0, 0, EXPECTED_NEW, 0,
    )  # fmt: skip


def test_the_same_data_saved_by_libreoffice_imports_identically(
    db: Database, tmp_path: Path
) -> None:
    if soffice() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is needed in CI: libreoffice-calc-nogui")
        pytest.skip("LibreOffice is not installed")
    source = write_csv(tmp_path / "gemeente.csv", encoding="utf-8")
    converted = convert_with_libreoffice(source, tmp_path / "lo")
    from_csv = preview_import(db, source, today=REFERENCE)
    from_lo = preview_import(db, converted, today=REFERENCE)
    assert read_table(converted).kind == "xlsx"
    assert summary(from_lo) == summary(from_csv)
    assert [n.values for n in from_lo.new] == [n.values for n in from_csv.new]
    assert [r.text(str) for r in from_lo.rejected] == [r.text(str) for r in from_csv.rejected]
    commit(db, from_lo)
    assert summary(preview_import(db, source, today=REFERENCE))[:4] == (0, 0, EXPECTED_NEW, 0)


def write(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def test_conflicts_are_shown_and_resolved(db: Database, tmp_path: Path) -> None:
    head = "klantnummer;voornamen;achternaam;telefoon;e-mail"
    first = write(tmp_path / "a.csv", [head, "K1;Sara;Ali;0611111111;sara@a.nl", "K2;Tom;Bos;;"])
    commit(db, preview_import(db, first, today=REFERENCE))
    with db.session() as session:
        sara = session.exec(select(Candidate).where(col(Candidate.klantnummer) == "K1")).one()
        sara.phone = "0699999999"  # the coordinator corrects it in the app
        session.add(sara)
    second = write(
        tmp_path / "b.csv", [head, "K1;Sara;Ali;0622222222;sara@b.nl", "K2;Tom;Bos;0633333333;"]
    )
    preview = preview_import(db, second, today=REFERENCE)
    [conflict] = preview.conflicts
    assert (conflict.row, conflict.field) == (2, "phone")
    assert (conflict.app_value, conflict.file_value, conflict.baseline_value) == (
        "0699999999", "0622222222", "0611111111",
    )  # fmt: skip
    changes = {(c.row, f.field, f.old, f.new) for c in preview.changed for f in c.changes}
    assert changes == {(2, "email", "sara@a.nl", "sara@b.nl"), (3, "phone", "", "0633333333")}

    # Without a choice the app's value stays, and the conflict comes back next time.
    result = commit(db, preview)
    assert result.conflicts_kept_app == 1
    assert candidates(db)["K1"].phone == "0699999999"
    again = preview_import(db, second, today=REFERENCE)
    assert [(c.row, c.field) for c in again.conflicts] == [(2, "phone")]
    assert not again.changed

    commit(db, again, resolutions={(2, "phone"): "file"})
    assert candidates(db)["K1"].phone == "0622222222"
    assert summary(preview_import(db, second, today=REFERENCE))[:4] == (0, 0, 2, 0)

    with db.session() as session:
        sara = session.exec(select(Candidate).where(col(Candidate.klantnummer) == "K1")).one()
        sara.phone = "0644444444"
        session.add(sara)
    third = write(tmp_path / "c.csv", [head, "K1;Sara;Ali;0655555555;sara@b.nl"])
    commit(db, preview_import(db, third, today=REFERENCE), resolutions={(2, "phone"): "app"})
    assert candidates(db)["K1"].phone == "0644444444"
    # Decided: the same file no longer conflicts; the app's value stands.
    assert summary(preview_import(db, third, today=REFERENCE))[:4] == (0, 0, 1, 0)
    # A value only the app changed is not a conflict when the file did not change it.
    assert summary(preview_import(db, second, today=REFERENCE))[3] == 1


def test_header_synonyms_and_mappings(db: Database, tmp_path: Path) -> None:
    match = recognise(
        ["Cliëntnummer", "GESLACHTSNAAM", "klant_referentie", "Dagtekening PIP", "Voor-namen",
         "E-mail klantmanager", "Inkomensconsulent", "Datum start inburgeringsplicht", "Foo"]
    )  # fmt: skip
    assert match.columns == {
        0: "klantnummer", 1: "achternaam", 3: "pip_date", 4: "voornamen",
        5: "klantmanager_email", 6: "klantmanager", 7: "obligation_start",
    }  # fmt: skip
    assert (match.duplicates, match.unknown) == (["klant_referentie"], ["Foo"])

    mapping_file = tmp_path / "map.toml"
    mapping_file.write_text(
        '[columns]\n"Klant ref" = "klantnummer"\n"Roepnaam" = "voornamen"\n'
        '"Naam" = "achternaam"\n"Oud veld" = "ignore"\n',
        encoding="utf-8",
    )
    mapping = load_mapping(mapping_file)
    source = write(tmp_path / "odd.csv", ["Klant ref,Roepnaam,Naam,Oud veld", "77,Li,Wei,x"])
    with pytest.raises(MissingColumns, match="klantnummer/bsn"):
        preview_import(db, source, today=REFERENCE)
    preview = preview_import(db, source, mapping=mapping, today=REFERENCE)
    assert preview.unknown_columns == [] and len(preview.new) == 1
    assert preview.new[0].values == {"klantnummer": "77", "voornamen": "Li", "achternaam": "Wei"}

    save_named_mapping(db, "Gemeente Druten", mapping)
    assert list_named_mappings(db) == ["Gemeente Druten"]
    assert load_named_mapping(db, "Gemeente Druten") == mapping
    mapping_file.write_text('[columns]\n"Naam" = "lievelingskleur"\n', encoding="utf-8")
    with pytest.raises(UserError, match=r"unknown field lievelingskleur.*klantnummer"):
        load_mapping(mapping_file)
    mapping_file.write_text("[columns\nNaam = ", encoding="utf-8")
    with pytest.raises(UserError, match="not valid TOML"):
        load_mapping(mapping_file)


BAD_FILES = {
    "random.xlsx": (os.urandom(2048), "is not a CSV or XLSX file"),
    "empty.csv": (b"", "is empty"),
    "blank.csv": (b" \r\n;;;\r\n", "is empty"),
    "scan.csv": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "is not a CSV or XLSX file"),
    "old.xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old Excel file"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_unreadable_files_are_refused_with_one_message(
    db: Database, tmp_path: Path, name: str
) -> None:
    content, message = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(content)
    before = table_counts(db)
    with pytest.raises(UserError, match=message) as caught:
        preview_import(db, path, today=REFERENCE)
    assert str(path) in str(caught.value)
    with pytest.raises(UserError, match="does not exist"):
        preview_import(db, tmp_path / "missing.csv", today=REFERENCE)
    assert table_counts(db) == before


@pytest.mark.parametrize("rows", [[], ["K9;;Ali;1-1-1990", "K9;Ali;;31-13-1990"]])
def test_a_file_without_a_valid_row_changes_nothing(
    db: Database, tmp_path: Path, rows: list[str]
) -> None:
    path = write(tmp_path / "list.csv", ["klantnummer;voornamen;achternaam;geboortedatum", *rows])
    before = table_counts(db)
    preview = preview_import(db, path, today=REFERENCE)
    assert summary(preview)[:4] == (0, 0, 0, 0) and not preview.has_valid_rows
    assert len(preview.rejected_rows) == len(rows)
    with pytest.raises(UserError, match=r"list\.csv has no valid row; nothing was imported"):
        commit(db, preview)
    assert table_counts(db) == before


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads all")
def test_a_file_that_cannot_be_read_is_explained(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "locked.csv")
    path.chmod(0)
    try:
        with pytest.raises(UserError, match="cannot be opened"):
            preview_import(db, path, today=REFERENCE)
    finally:
        path.chmod(0o644)


def test_commit_checks_again_what_changed_since_the_preview(db: Database, tmp_path: Path) -> None:
    head = "klantnummer;voornamen;achternaam;telefoon"
    commit(
        db, preview_import(db, write(tmp_path / "a.csv", [head, "K1;Sara;Ali;"]), today=REFERENCE)
    )
    later = write(tmp_path / "b.csv", [head, "K1;Sara;Ali;0611111111", "K2;Tom;Bos;"])
    preview = preview_import(db, later, today=REFERENCE)
    assert summary(preview)[:2] == (1, 1)
    with db.session() as session:
        session.add(
            Candidate(
                klantnummer="K2",
                voornamen="Tom",
                achternaam="Bos",
                municipality="",
                law="wi2021",
                registration_date=REFERENCE,
            )
        )
        sara = session.exec(select(Candidate).where(col(Candidate.klantnummer) == "K1")).one()
        sara.phone = "0622222222"
        session.add(sara)
    result = commit(db, preview)
    assert result.created == 0 and result.conflicts_kept_app == 1
    [late] = result.rejections
    assert late.row == 3 and "added in the app after the preview" in late.text(str)
    assert candidates(db)["K1"].phone == "0622222222"
    assert len(candidates(db)) == 2


def test_a_bsn_twice_in_the_file_is_a_duplicate(db: Database, tmp_path: Path) -> None:
    rows = [["1", BSN_A, "A", "", "B", *[""] * 15], ["2", BSN_A, "C", "", "D", *[""] * 15]]
    path = tmp_path / "dup.csv"
    path.write_text(csv_text(";", rows), encoding="utf-8")
    preview = preview_import(db, path, today=REFERENCE)
    assert [r.text(str) for r in preview.rejected] == [
        "Row 3: the same BSN as row 2 (duplicate row in the file)."
    ]


def test_a_file_locked_by_another_program_is_explained(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What Windows says when Excel holds the file open (simulated: root may read anything)."""
    path = write_csv(tmp_path / "open-in-excel.csv")

    def locked(self: Path) -> bytes:
        raise PermissionError(13, "The process cannot access the file", str(self))

    monkeypatch.setattr(Path, "read_bytes", locked)
    before = table_counts(db)
    with pytest.raises(UserError, match="cannot be opened"):
        preview_import(db, path, today=REFERENCE)
    assert table_counts(db) == before
