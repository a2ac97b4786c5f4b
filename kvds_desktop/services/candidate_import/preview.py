"""Reading a candidate list and comparing it with the app, without writing anything."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

from kvds_desktop.errors import N_
from kvds_desktop.exchange.candidate_fields import (
    HeaderMatch,
    Problem,
    ValueProblem,
    parse_value,
    recognise,
)
from kvds_desktop.exchange.tabular import TableRow, read_table
from kvds_desktop.services.candidate_import.model import (
    ChangedCandidate,
    Conflict,
    ImportPreview,
    MissingColumns,
    NewCandidate,
    PlannedRow,
    Rejection,
)
from kvds_desktop.services.candidate_import.state import AppState, load_state
from kvds_desktop.store.database import Database

NAME_MISSING = N_("Row {row}: the name is missing.")
NO_IDENTIFIER = N_("Row {row}: there is no klantnummer and no BSN; one of them is needed.")
FUTURE_BIRTH = N_("Row {row}: the birth date {value} lies in the future.")
SAME_KLANTNUMMER = N_("Row {row}: the same klantnummer as row {other} (duplicate row in the file).")
SAME_BSN = N_("Row {row}: the same BSN as row {other} (duplicate row in the file).")
SAME_CANDIDATE = N_("Row {row}: the same candidate as row {other} (duplicate row in the file).")


def rejection(row: int, problem: Problem) -> Rejection:
    """A rejection of ``row`` for ``problem`` (the row number is always a parameter)."""
    return Rejection(row, problem.message_id, {**problem.params, "row": row})


def parse_row(
    row: TableRow, match: HeaderMatch, headers: list[str], today: date
) -> tuple[dict[str, str], list[Rejection]]:
    """The row's non-empty values in stored form, and every reason to reject it."""
    values: dict[str, str] = {}
    problems: list[Rejection] = []
    failed: set[str] = set()
    number = row.number
    for index, name in match.columns.items():
        text = row.values[index] if index < len(row.values) else ""
        try:
            value = parse_value(name, text, row=number, column=headers[index])
        except ValueProblem as exc:
            problems.append(rejection(number, exc.problem))
            failed.add(name)
            continue
        if value:
            values[name] = value
    if not values.get("voornamen") or not values.get("achternaam"):
        problems.insert(0, Rejection(number, NAME_MISSING, {"row": number}))
    if not values.get("klantnummer") and not values.get("bsn") and "bsn" not in failed:
        problems.append(Rejection(number, NO_IDENTIFIER, {"row": number}))
    birth = values.get("birth_date")
    if birth and birth > today.isoformat():
        problems.append(Rejection(number, FUTURE_BIRTH, {"row": number, "value": birth}))
    return values, problems


def preview_import(
    db: Database,
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    sheet: str | None = None,
    today: date,
) -> ImportPreview:
    """Read ``path`` and say what importing it would do; nothing is written.

    Raises:
        UserError: the file cannot be read or is empty, or a required column is missing
            (:class:`MissingColumns`). A file whose rows are all rejected is returned, for
            display; :func:`commit_import` refuses it.
        StorageError: the database cannot be read.
    """
    path = Path(path)
    source = path.name
    table = read_table(path, sheet=sheet)
    match = recognise(table.headers, mapping)
    missing = match.missing_required()
    if missing:
        raise MissingColumns(source, missing, table.headers)
    with db.session() as session:
        state = load_state(session.connection())
    return analyse(source, table.headers, table.rows, match, state, today)


def analyse(
    source: str,
    headers: list[str],
    rows: list[TableRow],
    match: HeaderMatch,
    state: AppState,
    today: date,
) -> ImportPreview:
    """Sort every row into new, changed, unchanged, conflicting or rejected."""
    new: list[NewCandidate] = []
    changed: list[ChangedCandidate] = []
    unchanged: list[int] = []
    rejected: list[Rejection] = []
    conflicts: list[Conflict] = []
    planned: list[PlannedRow] = []
    seen_numbers: dict[str, int] = {}
    seen_bsns: dict[str, int] = {}
    seen_candidates: dict[int, int] = {}
    for row in rows:
        values, problems = parse_row(row, match, headers, today)
        if problems:
            rejected.extend(problems)
            continue
        number, bsn = values.get("klantnummer"), values.get("bsn")
        if number and number in seen_numbers:
            rejected.append(
                Rejection(row.number, SAME_KLANTNUMMER, {"row": row.number,
                                                         "other": seen_numbers[number]})
            )  # fmt: skip
            continue
        if bsn and bsn in seen_bsns:
            rejected.append(
                Rejection(row.number, SAME_BSN, {"row": row.number, "other": seen_bsns[bsn]})
            )
            continue
        candidate, problem = state.match(values)
        if problem is not None:
            rejected.append(rejection(row.number, problem))
            continue
        if candidate is not None and candidate.id in seen_candidates:
            rejected.append(
                Rejection(row.number, SAME_CANDIDATE, {"row": row.number,
                                                       "other": seen_candidates[candidate.id]})
            )  # fmt: skip
            continue
        if number:
            seen_numbers[number] = row.number
        if bsn:
            seen_bsns[bsn] = row.number
        if candidate is None:
            new.append(NewCandidate(row.number, values))
            planned.append(PlannedRow(row.number, values, None))
            continue
        seen_candidates[candidate.id] = row.number
        planned.append(PlannedRow(row.number, values, candidate.uid))
        diff = state.diff(row.number, candidate, values)
        conflicts.extend(diff.conflicts)
        if diff.changes:
            changed.append(
                ChangedCandidate(row.number, candidate.uid, candidate.display_name, diff.changes)
            )
        elif not diff.conflicts:
            unchanged.append(row.number)
    rejected.sort(key=lambda r: r.row)
    columns = {headers[index]: name for index, name in sorted(match.columns.items())}
    return ImportPreview(
        source=source,
        new=new,
        changed=changed,
        unchanged=unchanged,
        rejected=rejected,
        conflicts=conflicts,
        unknown_columns=list(match.unknown),
        columns=columns,
        duplicate_columns=list(match.duplicates),
        planned=tuple(planned),
    )
