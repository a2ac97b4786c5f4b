"""The management report: its text holds the period, the municipalities and the key
numbers, and it stays within four pages."""

from __future__ import annotations

import io
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from kvds_desktop.i18n import Translator
from kvds_desktop.reports.management_report import management_report_pdf
from kvds_desktop.services import business_case as bc
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.printouts.management import gather_management_report
from kvds_desktop.store.database import Database

START, END = date(2026, 1, 1), date(2026, 11, 28)


@pytest.fixture
def db(pilot_file: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "pilot.sqlite"
    shutil.copyfile(pilot_file, path)
    with sqlite3.connect(path) as raw:  # start from no costs: the tests enter their own
        raw.execute("DELETE FROM cost_entry")
    database = Database.open(path)
    now = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    for municipality, category, amount in (("", "personeel", 240_000.0),
                                           ("Wijchen", "huisvesting", 42_000.0)):  # fmt: skip
        bc.save_cost(database, municipality=municipality, location=None, category=category,
                     period_start=START, period_end=date(2026, 12, 31), amount_eur=amount,
                     note="", actor=Actor("t", "d"), now=now)  # fmt: skip
    yield database
    database.close()


def _text(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), len(reader.pages)


def test_the_report_holds_the_period_the_municipalities_and_the_key_numbers(
    db: Database, reference_date: date
) -> None:
    tr = Translator.for_language("en")
    report = gather_management_report(db, start=START, end=END, today=reference_date)
    assert [a.name for a in report.areas] == ["Druten", "Wijchen"]
    assert report.total.outflow == sum(a.outflow for a in report.areas) > 0
    assert sum(n for _month, n in report.outflow_months) == report.total.outflow
    assert sum(sum(counts) for _label, counts in report.outflow_kinds) == report.total.outflow
    text, pages = _text(management_report_pdf(report, tr))
    assert pages <= 4
    assert tr.date(START) in text and tr.date(END) in text
    assert "Druten" in text and "Wijchen" in text
    for heading in ("The period in short", "Where people went when they left",
                    "What the programme cost", "What the estimate rests on"):  # fmt: skip
        assert heading in text
    total = report.total
    assert f"{total.served} people who took part" in text.replace("Candidates served ", "")
    assert f"{total.to_work} of them to paid work" in text
    case = bc.business_case(db, start=START, end=END)
    assert f"{round(case.total.total_cost):,}" in text  # the costs, e.g. € 261,863
    assert f"{round(case.total.amount_saved):,}" in text
    assert "1,400" in text  # the benefit per month, shown as an assumption


def test_an_empty_period_still_prints(db: Database) -> None:
    tr = Translator.for_language("en")
    day = date(2019, 1, 2)
    report = gather_management_report(db, start=day, end=day, today=day)
    text, pages = _text(management_report_pdf(report, tr))
    assert pages <= 4 and "The period in short" in text
