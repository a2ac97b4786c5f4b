"""Outflow with follow-ups and reminders, the figures, the ladder, the export, and consent
with the shared work profile; the commands on a copy of the pilot."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import text

from kvds_desktop.errors import UserError
from kvds_desktop.exchange.outflow_export import export_outflow, headers
from kvds_desktop.i18n import Translator
from kvds_desktop.paths import AppPaths
from kvds_desktop.services import candidates as cand
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.work import consent as cons
from kvds_desktop.services.work import outflow as out
from kvds_desktop.store.database import Database
from tests.cli_support import json_result as data
from tests.cli_support import run_cli as run

TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
ME = Actor("coördinator", "laptop-druten")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database.open(tmp_path / "kvds.sqlite", create=True)
    yield database
    database.close()


@pytest.fixture
def copy(pilot_file: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.sqlite"
    shutil.copy(pilot_file, target)
    return target


def _active(db: Database, name: str, number: str) -> str:
    uid = cand.create_candidate(
        db, {"voornamen": name, "achternaam": "Haddad", "municipality": "Wijchen",
             "law": "wi2021", "registration_date": date(2025, 9, 1), "klantnummer": number},
        ME, TODAY,
    )  # fmt: skip
    cand.change_status(db, uid, "actief", date(2025, 10, 1), "", ME, TODAY)
    return uid


def _register(db: Database, uid: str, kind: str = "betaald_werk", **changes: Any) -> out.OutflowRow:
    values: dict[str, Any] = {
        "kind": kind, "day": date(2026, 5, 15), "employer": "Bakkerij Van Dijk",
        "function": "bakkerijmedewerker", "hours_per_week": 32, "contract": "jaarcontract",
        "benefit_after": "geen", "note": "",
    }  # fmt: skip
    values.update(changes)
    return out.register_outflow(db, candidate_uid=uid, actor=ME, now=NOW, **values)


def _one(db: Database, sql: str, **params: Any) -> Any:
    with db.engine.connect() as conn:
        return conn.execute(text(sql), params).first()


def test_outflow_ends_the_candidacy_and_plans_the_follow_ups(db: Database) -> None:
    uid = _active(db, "Amal", "W1")
    row = _register(db, uid)
    assert (row.kind, row.day, row.employer, row.hours_per_week, row.benefit_after) == (
        "betaald_werk", date(2026, 5, 15), "Bakkerij Van Dijk", 32, "geen",
    )  # fmt: skip
    assert [(f.month, f.due_date, f.checked_on) for f in row.follow_ups] == [
        (1, date(2026, 6, 15), None), (3, date(2026, 8, 15), None),
        (6, date(2026, 11, 15), None), (12, date(2027, 5, 15), None),
    ]  # fmt: skip
    status = _one(db, "SELECT status FROM candidate WHERE uid = :uid", uid=uid)
    change = _one(db, "SELECT status, effective_date, reason FROM candidate_status_change "
                      "ORDER BY id DESC LIMIT 1")  # fmt: skip
    assert status[0] == "uitgestroomd"
    assert (change[0], str(change[1]), change[2]) == ("uitgestroomd", "2026-05-15",
                                                      "uitstroom: betaald_werk")  # fmt: skip
    audit = _one(db, "SELECT action, new_values FROM audit_entry WHERE record_uid = :uid",
                 uid=row.uid)  # fmt: skip
    assert audit[0] == "outflow.register" and json.loads(audit[1])["follow_ups"] == 4

    moved = _register(db, _active(db, "Bilal", "W2"), "verhuisd", employer="", function="",
                      hours_per_week=None, contract="", benefit_after="volledig")  # fmt: skip
    assert moved.follow_ups == ()
    assert _one(db, "SELECT status FROM candidate WHERE uid = :uid",
                uid=moved.candidate_uid)[0] == "verhuisd"  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"kind": "pensioen"}, "Unknown outflow kind"), ({"benefit_after": "half"}, "Unknown benefit"),
     ({"day": date(2026, 11, 29)}, "cannot lie in the future"),
     ({"hours_per_week": 70}, "between 0 and 60"), ({"contract": "x" * 61}, "too long")],
)  # fmt: skip
def test_outflow_is_checked(db: Database, changes: dict[str, Any], message: str) -> None:
    uid = _active(db, "Amal", "W1")
    with pytest.raises(UserError, match=message):
        _register(db, uid, **changes)
    assert _one(db, "SELECT count(*) FROM outflow")[0] == 0
    _register(db, uid)
    with pytest.raises(UserError, match="cannot go from 'uitgestroomd'"):
        _register(db, uid)  # an ended candidacy does not flow out twice
    assert _one(db, "SELECT count(*) FROM outflow")[0] == 1


def test_reminders_are_the_overdue_and_soon_due_checks(db: Database) -> None:
    row = _register(db, _active(db, "Amal", "W1"))
    early = out.due_follow_ups(db, today=date(2026, 11, 5), within_days=14)
    assert [(f.month, f.overdue(date(2026, 11, 5))) for f in early] == [
        (1, True), (3, True), (6, False),
    ]  # fmt: skip
    assert [f.month for f in out.due_follow_ups(db, today=date(2026, 11, 5), within_days=0)] == [
        1, 3,
    ]  # fmt: skip
    first = row.follow_up(1)
    assert first is not None
    checked = out.record_follow_up(db, first.uid, checked_on=date(2026, 6, 17), still_out=True,
                                   benefit="geen", note="werkt fulltime", actor=ME)  # fmt: skip
    assert (checked.checked_on, checked.still_out, checked.benefit, checked.note) == (
        date(2026, 6, 17), True, "geen", "werkt fulltime",
    )  # fmt: skip
    assert [f.month for f in out.due_follow_ups(db, today=TODAY)] == [3, 6]
    again = out.record_follow_up(db, first.uid, checked_on=date(2026, 6, 18), still_out=False,
                                 benefit="gedeeltelijk", note="", actor=ME, now=NOW)  # fmt: skip
    assert (again.still_out, again.benefit, again.note) == (False, "gedeeltelijk", "")
    trail = _one(db, "SELECT old_values, new_values FROM audit_entry WHERE action = "
                     "'outflow.follow_up' ORDER BY id DESC LIMIT 1")  # fmt: skip
    old, new = json.loads(trail[0]), json.loads(trail[1])
    assert (old["still_out"], old["benefit"], new["benefit"]) == (True, "geen", "gedeeltelijk")
    with pytest.raises(UserError, match="before the outflow date"):
        out.record_follow_up(db, first.uid, checked_on=date(2026, 5, 1), still_out=True,
                             benefit="geen", note="", actor=ME)  # fmt: skip
    with pytest.raises(UserError, match="in the future"):
        out.record_follow_up(db, first.uid, checked_on=date(2026, 12, 1), still_out=True,
                             benefit="geen", note="", actor=ME, now=NOW)  # fmt: skip
    assert out.find_follow_up(db, first.uid[:8]) == first.uid


def _check(db: Database, row: out.OutflowRow, month: int, still_out: bool, benefit: str) -> None:
    check = row.follow_up(month)
    assert check is not None
    out.record_follow_up(db, check.uid, checked_on=check.due_date, still_out=still_out,
                         benefit=benefit, note="", actor=ME)  # fmt: skip


def test_figures_count_kinds_lasting_outflow_and_work_in_the_cbs_sense(db: Database) -> None:
    stays = _register(db, _active(db, "Amal", "W1"))
    falls_back = _register(db, _active(db, "Bilal", "W2"), day=date(2026, 4, 1))
    supported = _register(db, _active(db, "Dina", "W3"), "betaald_werk_ondersteuning",
                          benefit_after="gedeeltelijk")  # fmt: skip
    _register(db, _active(db, "Elias", "W4"), "verhuisd", benefit_after="volledig")
    _register(db, _active(db, "Farah", "W5"), day=date(2025, 12, 1))  # outside the period
    _check(db, stays, 1, True, "geen")
    _check(db, stays, 6, True, "geen")
    _check(db, falls_back, 1, False, "volledig")
    _check(db, falls_back, 6, False, "volledig")
    _check(db, supported, 1, True, "gedeeltelijk")
    _check(db, supported, 6, True, "gedeeltelijk")

    figures = out.outflow_figures(db, start=date(2026, 1, 1), end=date(2026, 12, 31))
    kinds = dict(figures.per_kind)
    assert (figures.total, figures.to_paid_work) == (4, 3)
    assert (kinds["betaald_werk"], kinds["betaald_werk_ondersteuning"], kinds["verhuisd"],
            kinds["bbl"]) == (2, 1, 1, 0)  # fmt: skip
    assert (figures.checked_6, figures.lasting_6, figures.checked_12) == (3, 2, 0)
    # CBS: paid work after the benefit ended (not the supported job with a partial benefit)
    assert (figures.cbs_checked, figures.cbs_to_work) == (2, 1)
    assert [r.candidate_name for r in out.list_outflow(db, start=None, end=date(2026, 1, 1))] == [
        "Farah Haddad"
    ]
    with pytest.raises(UserError, match="ends before it starts"):
        out.outflow_figures(db, start=date(2026, 2, 1), end=date(2026, 1, 1))


def test_the_ladder_keeps_every_step_and_the_candidate_the_latest(db: Database) -> None:
    uid = _active(db, "Amal", "W1")
    out.record_ladder_step(db, candidate_uid=uid, day=date(2026, 1, 10), step=2, note="intake",
                           actor=ME)  # fmt: skip
    out.record_ladder_step(db, candidate_uid=uid, day=date(2026, 6, 1), step=4, note="", actor=ME)
    out.record_ladder_step(db, candidate_uid=uid, day=date(2025, 12, 1), step=1, note="", actor=ME)
    assert [(r.day, r.step) for r in out.ladder_history(db, uid)] == [
        (date(2025, 12, 1), 1), (date(2026, 1, 10), 2), (date(2026, 6, 1), 4),
    ]  # fmt: skip
    assert _one(db, "SELECT participatieladder FROM candidate WHERE uid = :uid", uid=uid)[0] == 4
    with pytest.raises(UserError, match="from 1 to 6"):
        out.record_ladder_step(db, candidate_uid=uid, day=TODAY, step=7, note="", actor=ME)


def test_export_reads_back_as_csv_and_xlsx(db: Database, tmp_path: Path) -> None:
    row = _register(db, _active(db, "Amal", "W1"), note="via het Werkbedrijf")
    _check(db, row, 1, True, "geen")
    rows = out.list_outflow(db, start=date(2026, 1, 1), end=TODAY)
    assert export_outflow(rows, tmp_path / "uit.csv", language="nl") == 1
    raw = (tmp_path / "uit.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == headers()
    line = dict(zip(table[0], table[1], strict=True))
    assert (line["klantnummer"], line["naam"], line["soort uitstroom"]) == (
        "W1", "Amal Haddad", "betaald_werk",
    )  # fmt: skip
    assert (line["datum uitstroom"], line["uren per week"], line["opmerking"]) == (
        "2026-05-15", "32", "via het Werkbedrijf",
    )  # fmt: skip
    assert (line["nazorg 1 mnd gecontroleerd"], line["nazorg 1 mnd nog uitgestroomd"],
            line["nazorg 1 mnd uitkering"]) == ("2026-06-15", "ja", "geen")  # fmt: skip
    assert (line["nazorg 6 mnd gepland"], line["nazorg 6 mnd gecontroleerd"]) == (
        "2026-11-15", "",
    )  # fmt: skip

    export_outflow(rows, tmp_path / "uit.xlsx", language="en")
    sheet = load_workbook(tmp_path / "uit.xlsx").active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == headers() and len(values) == 2
    cells = dict(zip(values[0], values[1], strict=True))
    assert cells["datum uitstroom"] == datetime(2026, 5, 15)
    assert (cells["nazorg 1 mnd nog uitgestroomd"], cells["uren per week"]) == ("yes", 32)
    with pytest.raises(UserError, match=r"\.csv or \.xlsx"):
        export_outflow(rows, tmp_path / "uit.txt")


# --- consent and the shared profile ---------------------------------------------------


def _profile_candidate(db: Database) -> Any:
    """An active candidate with a full record, a work profile and measured levels."""
    return _one(
        db,
        "SELECT c.uid, c.klantnummer, c.bsn, c.birth_date, c.address, c.postcode, c.phone, "
        "c.nationality, c.voornamen, c.achternaam, w.sector_wishes, w.work_history "
        "FROM candidate c JOIN work_profile w ON w.candidate_id = c.id "
        "WHERE c.status = 'actief' AND c.bsn IS NOT NULL AND c.phone != '' "
        "AND c.nationality != '' AND c.birth_date IS NOT NULL "
        "AND EXISTS (SELECT 1 FROM assessment a WHERE a.candidate_id = c.id) "
        "ORDER BY c.klantnummer LIMIT 1",
    )


def _pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_the_profile_needs_consent_and_shows_only_what_an_employer_needs(copy: Path) -> None:
    db = Database.open(copy)
    try:
        person = _profile_candidate(db)
        with db.engine.connect() as conn:
            org, other = conn.execute(
                text("SELECT uid FROM organisation ORDER BY id LIMIT 2")
            ).scalars()
        tr = Translator.for_language("en")
        args = {"candidate_uid": person.uid, "organisation_uid": org, "tr": tr, "today": TODAY,
                "now": NOW}  # fmt: skip
        with pytest.raises(UserError, match="not given consent"):
            cons.shared_profile_pdf(db, **args)
        cons.give_consent(db, candidate_uid=person.uid, organisation_uid=other,
                          day=date(2026, 11, 1), actor=ME)  # fmt: skip
        with pytest.raises(UserError, match="not given consent"):  # another organisation's
            cons.shared_profile_pdf(db, **args)
        given = cons.give_consent(db, candidate_uid=person.uid, organisation_uid=org,
                                  day=date(2026, 11, 20), actor=ME, note="mondeling")  # fmt: skip
        assert not cons.has_consent(db, person.uid, org, date(2026, 11, 19))
        assert cons.has_consent(db, person.uid, org, TODAY)
        with pytest.raises(UserError, match="still holds"):
            cons.give_consent(db, candidate_uid=person.uid, organisation_uid=org, day=TODAY,
                              actor=ME)  # fmt: skip

        pages, shown = _pdf_text(cons.shared_profile_pdf(db, **args, actor=ME))
        assert pages == 1
        for needed in (person.voornamen, person.achternaam, "Dutch language level", "Reading",
                       "Availability", "Days without lessons", "Driving licence",
                       "Sector wishes", person.sector_wishes.split(",")[0].strip(),
                       person.work_history.split(" in ")[0], given.organisation):  # fmt: skip
            assert needed in shown, needed
        birth = person.birth_date if isinstance(person.birth_date, date) else date.fromisoformat(
            str(person.birth_date))  # fmt: skip
        for secret in (person.bsn, person.klantnummer, person.address, person.postcode,
                       person.phone, person.nationality, birth.isoformat(),
                       birth.strftime("%d-%m-%Y"), tr.date(birth, "long"), "aanwezig",
                       "attendance", "benefit", "uitkering"):  # fmt: skip
            assert secret not in shown, secret
        shared = _one(db, "SELECT new_values FROM audit_entry WHERE action = "
                          "'candidate.profile_shared'")  # fmt: skip
        assert json.loads(shared[0])["organisation"] == org

        cons.withdraw_consent(db, candidate_uid=person.uid, organisation_uid=org, day=TODAY,
                              actor=ME, note="wil niet meer")  # fmt: skip
        assert cons.has_consent(db, person.uid, org, date(2026, 11, 27))
        assert not cons.has_consent(db, person.uid, org, TODAY)
        with pytest.raises(UserError, match="not given consent"):
            cons.shared_profile_pdf(db, **args)
        with pytest.raises(UserError, match="nothing to withdraw"):
            cons.withdraw_consent(db, candidate_uid=person.uid, organisation_uid=org, day=TODAY,
                                  actor=ME)  # fmt: skip
        rows = cons.consents(db, person.uid)
        assert [(r.organisation_uid, r.withdrawn_on) for r in rows] == [(other, None),
                                                                        (org, TODAY)]  # fmt: skip
        assert rows[1].note == "mondeling; wil niet meer"
    finally:
        db.close()


# --- the commands ---------------------------------------------------------------------


def _active_number(copy: Path) -> str:
    db = Database.open(copy)
    try:
        return str(_one(db, "SELECT klantnummer FROM candidate WHERE status = 'actief' "
                            "ORDER BY klantnummer LIMIT 1")[0])  # fmt: skip
    finally:
        db.close()


def test_cli_registers_outflow_lists_it_and_records_a_follow_up(
    app_paths: AppPaths, copy: Path, tmp_path: Path
) -> None:
    number = _active_number(copy)
    saved = data(run(app_paths, copy, "--json", "outflow", "register", "--candidate", number,
                     "--kind", "betaald_werk", "--date", "2026-10-26", "--employer",
                     "Bakkerij Van Dijk", "--hours", "32", "--actor", "Anna"))  # fmt: skip
    assert (saved["kind"], saved["benefit_after"], saved["klantnummer"]) == (
        "betaald_werk", "geen", number,
    )  # fmt: skip
    assert [f["due"] for f in saved["follow_ups"]] == [
        "2026-11-26", "2027-01-26", "2027-04-26", "2027-10-26",
    ]  # fmt: skip
    listed = data(run(app_paths, copy, "--json", "outflow", "--from", "2026-10-26",
                      "--to", "2026-10-26"))  # fmt: skip
    assert saved["uid"] in {r["uid"] for r in listed["outflows"]}
    assert listed["figures"]["per_kind"]["betaald_werk"] >= 1
    due = data(run(app_paths, copy, "--json", "followups", "--within", "0"))
    mine = next(f for f in due if f["outflow"] == saved["uid"])
    assert (mine["month"], mine["overdue"]) == (1, True)
    checked = data(run(app_paths, copy, "--json", "followup", mine["uid"][:8], "--date",
                       "2026-11-27", "--still-out", "ja"))  # fmt: skip
    assert (checked["checked_on"], checked["still_out"], checked["benefit"]) == (
        "2026-11-27", True, "geen",
    )  # fmt: skip
    due = data(run(app_paths, copy, "--json", "followups", "--within", "0"))
    assert saved["uid"] not in {f["outflow"] for f in due}
    code, _out, err = run(app_paths, copy, "outflow", "register", "--candidate", number,
                          "--kind", "gestopt", "--date", "2026-11-01")  # fmt: skip
    assert code == 1 and "cannot go from" in err

    target = tmp_path / "uitstroom.csv"
    written = data(run(app_paths, copy, "--json", "export", "outflow", "--out", str(target),
                       "--from", "2026-10-01", "--to", "2026-10-31"))  # fmt: skip
    table = list(csv.reader(io.StringIO(target.read_text("utf-8-sig")), delimiter=";"))
    assert written["rows"] == len(table) - 1 and [number, "2026-10-26"] in [
        [r[0], r[4]] for r in table[1:]
    ]


def test_cli_consent_profile_and_ladder(app_paths: AppPaths, copy: Path, tmp_path: Path) -> None:
    db = Database.open(copy)
    try:
        person = _profile_candidate(db)
        organisation = _one(db, "SELECT name FROM organisation ORDER BY id LIMIT 1")[0]
    finally:
        db.close()
    pdf = tmp_path / "profiel.pdf"
    base = ["--candidate", person.klantnummer, "--organisation", organisation]
    code, _out, err = run(app_paths, copy, "profile", *base, "--out", str(pdf))
    assert code == 1 and "consent" in err and not pdf.exists()
    given = data(run(app_paths, copy, "--json", "consent", *base, "--date", "2026-11-20"))
    assert [(c["organisation"], c["given_on"]) for c in given["consents"]] == [
        (organisation, "2026-11-20")
    ]
    made = data(run(app_paths, copy, "--json", "profile", *base, "--out", str(pdf)))
    pages, shown = _pdf_text(pdf.read_bytes())
    assert made["path"] == str(pdf) and pages == 1 and person.achternaam in shown
    withdrawn = data(run(app_paths, copy, "--json", "consent", *base, "--withdraw"))
    assert withdrawn["consents"][0]["withdrawn_on"] == "2026-11-28"

    data(run(app_paths, copy, "--json", "ladder", "--candidate", person.klantnummer, "--step",
             "3", "--date", "2026-09-01"))  # fmt: skip
    shown_steps = data(run(app_paths, copy, "--json", "ladder", "--candidate", person.klantnummer))
    assert [(s["date"], s["step"]) for s in shown_steps["steps"]] == [("2026-09-01", 3)]
    code, out_text, err = run(app_paths, copy, "ladder", "--candidate", person.klantnummer)
    assert code == 0 and "taking part in organised activities" in out_text, err
