"""The klantmanager digest: per klantmanager a file with their candidates over a period.

Faster feedback to the klantmanagers is what the pilot's evaluation asked for. For every
klantmanager with candidates, one file (:mod:`kvds_desktop.exchange.digest_export`) with
per candidate: attendance over ``start``..``end`` (the attendance figures), the absence
signals found at the end of the period, the language target with the latest levels and
the worst outlook (the progress summaries), the placements that overlap the period and
the outflows dated in it. No BSN.

Whose candidates: not merged, linked to the klantmanager, and either still in progress
(not in an ended status) or with an outflow in the period. Candidates without a
klantmanager have no recipient and get no file. The reference day of signals and
progress is the end of the period, or ``today`` when the period runs past it.

Example (the command the lead wires as ``kvds export digest --from D --to D --out-dir DIR
[--format pdf|xlsx|csv]``)::

    paths = write_digests(db, start=start, end=end, out_dir=out_dir,
                          language=ctx.tr.language, fmt=fmt, today=ctx.today)
    ctx.emit({"files": [str(p) for p in paths]}, "\\n".join(str(p) for p in paths))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import and_, or_, select

from kvds_desktop.domain.digest import SKILLS, DigestRow
from kvds_desktop.domain.enums import ENDED_STATUSES
from kvds_desktop.errors import N_, UserError
from kvds_desktop.exchange.digest_export import check_format, digest_file_name, write_digest_file
from kvds_desktop.exchange.files import write_bytes
from kvds_desktop.exchange.outflow_export import OutflowRow
from kvds_desktop.i18n import Translator
from kvds_desktop.reports.digest_report import DigestDocument, digest_pdf
from kvds_desktop.services.attendance.common import CANDIDATE, KLANTMANAGER, person_sort_key
from kvds_desktop.services.attendance.figures import figures_for_candidate
from kvds_desktop.services.attendance.signals import SignalRow, find_signals
from kvds_desktop.services.progress.summary import CandidateProgress, progress_rows
from kvds_desktop.services.scheduling.common import check_period
from kvds_desktop.services.work.outflow import list_outflow
from kvds_desktop.services.work.placements import PlacementRow, list_placements
from kvds_desktop.store.database import Database


@dataclass(frozen=True)
class Digest:
    """One klantmanager's digest: who it is for, and the rows."""

    klantmanager: str
    municipality: str
    email: str
    rows: tuple[DigestRow, ...]


def _people(db: Database, outflowed: set[str]) -> list[Any]:
    in_progress = CANDIDATE.c.status.not_in([s.value for s in ENDED_STATUSES])
    with db.engine.connect() as conn:
        return list(conn.execute(
            select(CANDIDATE.c.uid, CANDIDATE.c.voornamen, CANDIDATE.c.tussenvoegsel,
                   CANDIDATE.c.achternaam, CANDIDATE.c.klantnummer, CANDIDATE.c.municipality,
                   KLANTMANAGER.c.id.label("km_id"), KLANTMANAGER.c.name.label("km"),
                   KLANTMANAGER.c.municipality.label("km_municipality"),
                   KLANTMANAGER.c.email.label("km_email"))
            .select_from(CANDIDATE.join(KLANTMANAGER,
                                        KLANTMANAGER.c.id == CANDIDATE.c.klantmanager_id))
            .where(and_(CANDIDATE.c.merged_into_id.is_(None),
                        or_(in_progress, CANDIDATE.c.uid.in_(sorted(outflowed)))))
        ).all())  # fmt: skip


def _overlaps(placement: PlacementRow, start: date, end: date) -> bool:
    return placement.start_date <= end and (
        placement.end_date is None or placement.end_date >= start
    )


def _row(
    person: Any,
    db: Database,
    start: date,
    end: date,
    progress: CandidateProgress | None,
    signals: Sequence[SignalRow],
    placements: Sequence[PlacementRow],
    outflows: Sequence[OutflowRow],
    tr: Translator,
) -> DigestRow:
    figures = figures_for_candidate(db, person.uid, start, end)
    levels = tuple(
        (f.latest or "") if progress and (f := progress.forecast(skill)) else "" for skill in SKILLS
    )
    return DigestRow(
        candidate_uid=person.uid,
        klantnummer=person.klantnummer or "",
        name=figures.name,
        municipality=person.municipality or "",
        law=progress.law if progress else "",
        route=(progress.route or "") if progress else "",
        hours_offered=figures.hours_offered,
        hours_followed=figures.hours_followed,
        hours_excused=figures.hours_excused,
        hours_unexcused=figures.hours_unexcused,
        rate=figures.rate if figures.marked else None,
        signals=tuple(tr._(s.message_id).format(**s.params) for s in signals),
        target=(progress.target or "") if progress else "",
        levels=levels,
        outlook=progress.worst.value if progress else "",
        term_end=progress.term_end if progress else None,
        placements=tuple(
            f"{p.organisation} ({p.kind}, {p.stage}, {p.start_date.isoformat()})"
            for p in placements
        ),
        outflows=tuple(
            " ".join(part for part in (o.kind, o.day.isoformat(), o.employer) if part)
            for o in outflows
        ),
    )


def digests(db: Database, *, start: date, end: date, language: str, today: date) -> list[Digest]:
    """The digests of every klantmanager with candidates, by klantmanager name.

    Raises:
        UserError: the period ends before it starts or is longer than five years.
    """
    check_period(start, end)
    at = min(end, today)
    tr = Translator.for_language(language)
    outflow = list_outflow(db, start=start, end=end)
    people = _people(db, {o.candidate_uid for o in outflow})
    uids = [p.uid for p in people]
    progress = {p.candidate_uid: p for p in progress_rows(db, today=at, candidate_uids=uids)}
    signals: dict[str, list[SignalRow]] = {}
    for signal in find_signals(db, at):
        signals.setdefault(signal.candidate_uid, []).append(signal)
    placements: dict[str, list[PlacementRow]] = {}
    for placement in list_placements(db, today=at, active_only=False):
        if _overlaps(placement, start, end):
            placements.setdefault(placement.candidate_uid, []).append(placement)
    outflows: dict[str, list[OutflowRow]] = {}
    for row in outflow:
        outflows.setdefault(row.candidate_uid, []).append(row)
    by_manager: dict[int, list[Any]] = {}
    for person in people:
        by_manager.setdefault(int(person.km_id), []).append(person)
    result = []
    for group in by_manager.values():
        group.sort(key=lambda p: (person_sort_key(p.voornamen, p.tussenvoegsel, p.achternaam),
                                  p.uid))  # fmt: skip
        first = group[0]
        rows = tuple(
            _row(p, db, start, end, progress.get(p.uid), signals.get(p.uid, ()),
                 placements.get(p.uid, ()), outflows.get(p.uid, ()), tr)
            for p in group
        )  # fmt: skip
        result.append(Digest(first.km or "", first.km_municipality or "", first.km_email or "",
                             rows))  # fmt: skip
    result.sort(key=lambda d: (d.klantmanager.casefold(), d.municipality.casefold()))
    return result


def write_digests(
    db: Database, *, start: date, end: date, out_dir: Path, language: str, fmt: str, today: date
) -> list[Path]:
    """Write one digest file per klantmanager into ``out_dir``; returns the files written.

    ``fmt`` is pdf (a printable table), xlsx or csv. File names:
    ``overzicht-<klantmanager>-<gemeente>-<start>-<end>.<fmt>`` in safe characters; two
    klantmanagers with the same name in one municipality get ``-2`` and so on.

    Raises:
        UserError: an unknown format; the folder does not exist; the period is reversed
            or too long; a file cannot be written.
    """
    kind = check_format(fmt)
    folder = Path(out_dir).expanduser()
    if not folder.is_dir():
        raise UserError(N_("The folder {folder} does not exist."), folder=str(folder))
    tr = Translator.for_language(language)
    written: list[Path] = []
    used: set[str] = set()
    for digest in digests(db, start=start, end=end, language=language, today=today):
        name = digest_file_name(digest.klantmanager, digest.municipality, start, end, kind)
        stem, number = name.removesuffix(f".{kind}"), 2
        while name in used:
            name, number = f"{stem}-{number}.{kind}", number + 1
        used.add(name)
        if kind == "pdf":
            document = DigestDocument(digest.klantmanager, digest.municipality, start, end,
                                      today, digest.rows)  # fmt: skip
            written.append(write_bytes(folder / name, digest_pdf(document, tr)))
        else:
            written.append(write_digest_file(digest.rows, folder / name, kind))
    return written
