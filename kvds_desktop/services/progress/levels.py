"""Language assessments: a measured level per skill, recorded one by one or a group at once.

An assessment is a level (Alfa A ... C1) on one skill (lezen, luisteren, spreken,
schrijven, gesprekken) measured on a day with an instrument (observation, placement
test, progress test, exam) by an assessor. Every assessment is validated before
anything is written, written in one transaction and audited. Levels and skills may be
given as their codes or their labels (``b1``, ``B1``, ``Alfa A``, ``lezen``, ``reading``)
through :func:`level_code`, :func:`skill_code` and :func:`instrument_code`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, select

from kvds_desktop.domain.enums import LEVEL_ORDER, AssessmentMethod, Skill
from kvds_desktop.domain.labels import LEVEL, METHOD, SKILL
from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.scheduling.common import ASSESSMENT, CANDIDATE, transaction, write_audit
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import new_uid

TABLE = "assessment"
CHUNK = 900  # candidate ids per IN (...) list, below SQLite's variable limit
LEVELS = frozenset(level.value for level in LEVEL_ORDER)
SKILLS = frozenset(skill.value for skill in Skill)
INSTRUMENTS = frozenset(method.value for method in AssessmentMethod)
MAX_ASSESSOR = 120


@dataclass(frozen=True)
class AssessmentRow:
    """One measured level: who, which skill, which level, when, how and by whom."""

    uid: str
    candidate_uid: str
    skill: str
    level: str
    day: date
    instrument: str
    assessor: str
    note: str


def _key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _lookup(
    text: str, codes: Iterable[str], labels: dict[str, str], gettext: Callable[[str], str]
) -> str | None:
    wanted = _key(text)
    for code in codes:
        names = {code, labels.get(code, code), gettext(labels.get(code, code))}
        if wanted and wanted in {_key(name) for name in names}:
            return code
    return None


def level_code(text: str, gettext: Callable[[str], str] = lambda message: message) -> str:
    """The level code of a code or label typed in any case (``B1``, ``Alfa A``, ``alfa_a``).

    Raises:
        UserError: no level is called that.
    """
    found = _lookup(text, (lv.value for lv in LEVEL_ORDER), LEVEL, gettext)
    if found is None:
        raise UserError(
            N_("Unknown level {level}; choose one of: {levels}."),
            level=text,
            levels=", ".join(gettext(LEVEL[lv]) for lv in LEVEL_ORDER),
        )
    return found


def skill_code(text: str, gettext: Callable[[str], str] = lambda message: message) -> str:
    """The skill code of a code or label typed in any case (``lezen``, ``Reading``).

    Raises:
        UserError: no skill is called that.
    """
    found = _lookup(text, (sk.value for sk in Skill), SKILL, gettext)
    if found is None:
        raise UserError(
            N_("Unknown skill {skill}; choose one of: {skills}."),
            skill=text,
            skills=", ".join(sk.value for sk in Skill),
        )
    return found


def instrument_code(text: str, gettext: Callable[[str], str] = lambda message: message) -> str:
    """The instrument code of a code or label in any case (``examen``, ``exam``, ``observation``).

    Raises:
        UserError: no instrument is called that.
    """
    found = _lookup(text, (method.value for method in AssessmentMethod), METHOD, gettext)
    if found is None:  # the short English names: observation, placement test, ...
        short = {method.value: method.name for method in AssessmentMethod}
        found = _lookup(text, short, short, gettext)
    if found is None:
        raise UserError(
            N_("Unknown instrument {instrument}; choose one of: {instruments}."),
            instrument=text,
            instruments=", ".join(method.value for method in AssessmentMethod),
        )
    return found


def _candidate_ids(conn: Connection, uids: Collection[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    wanted = sorted(set(uids))
    for start in range(0, len(wanted), CHUNK):
        rows = conn.execute(
            select(CANDIDATE.c.uid, CANDIDATE.c.id).where(
                CANDIDATE.c.uid.in_(wanted[start : start + CHUNK])
            )
        )
        found.update({str(uid): int(cid) for uid, cid in rows})
    return found


def _candidate_id(conn: Connection, candidate_uid: str) -> int:
    found = _candidate_ids(conn, [candidate_uid]).get(candidate_uid)
    if found is None:
        raise UserError(N_("This candidate no longer exists; refresh the list."))
    return found


def _check(skill: str, level: str, day: date, instrument: str, today: date) -> None:
    if skill not in SKILLS:
        raise UserError(
            N_("Unknown skill {skill}; choose one of: {skills}."),
            skill=skill,
            skills=", ".join(sorted(SKILLS)),
        )
    if level not in LEVELS:
        raise UserError(
            N_("Unknown level {level}; choose one of: {levels}."),
            level=level,
            levels=", ".join(lv.value for lv in LEVEL_ORDER),
        )
    if instrument not in INSTRUMENTS:
        raise UserError(
            N_("Unknown instrument {instrument}; choose one of: {instruments}."),
            instrument=instrument,
            instruments=", ".join(method.value for method in AssessmentMethod),
        )
    if day > today:
        raise UserError(
            N_("The date {date} lies in the future; record a level once it has been measured."),
            date=day.isoformat(),
        )


def _check_assessor(assessor: str) -> str:
    cleaned = " ".join(assessor.split())
    if len(cleaned) > MAX_ASSESSOR:
        raise UserError(
            N_("The assessor's name is longer than {length} characters."), length=MAX_ASSESSOR
        )
    return cleaned


def _audit_values(row: AssessmentRow) -> dict[str, Any]:
    values = asdict(row)
    del values["uid"]
    return values


def _insert(conn: Connection, rows: list[tuple[int, AssessmentRow]], actor: Actor,
            now: datetime | None) -> None:  # fmt: skip
    if not rows:
        return
    conn.execute(
        ASSESSMENT.insert(),
        [
            {"uid": r.uid, "candidate_id": cid, "skill": r.skill, "level": r.level,
             "assessed_on": r.day, "method": r.instrument, "assessor": r.assessor,
             "note": r.note}
            for cid, r in rows
        ],
    )  # fmt: skip
    write_audit(
        conn,
        [
            audit_row(actor, "assessment.create", TABLE, r.uid, new=_audit_values(r), at=now)
            for _cid, r in rows
        ],
    )


def record_assessment(
    db: Database,
    *,
    candidate_uid: str,
    skill: str,
    level: str,
    day: date,
    instrument: str,
    assessor: str,
    note: str = "",
    actor: Actor,
    today: date,
    now: datetime | None = None,
) -> AssessmentRow:
    """Record one measured level (codes: see :class:`Skill`, :class:`Level`).

    Raises:
        UserError: unknown candidate, skill, level or instrument; a day after ``today``;
            an assessor's name that is too long.
    """
    _check(skill, level, day, instrument, today)
    row = AssessmentRow(new_uid(), candidate_uid, skill, level, day, instrument,
                        _check_assessor(assessor), note.strip())  # fmt: skip
    with transaction(db) as conn:
        _insert(conn, [(_candidate_id(conn, candidate_uid), row)], actor, now)
    return row


def record_assessments(
    db: Database,
    *,
    entries: Sequence[tuple[str, str, str]],
    day: date,
    instrument: str,
    assessor: str,
    actor: Actor,
    today: date,
    now: datetime | None = None,
) -> int:
    """Record the levels entered in a group grid: ``(candidate_uid, skill, level)`` each.

    An empty level means nothing was entered and is skipped; a level already recorded
    for the candidate and skill on ``day`` with the same instrument is not written twice.
    Every entry is checked before anything is written; all are written in one
    transaction. Returns the number of assessments written.

    Raises:
        UserError: an unknown candidate, skill, level or instrument; a day after
            ``today``; a candidate and skill entered twice; an assessor's name that is
            too long. Nothing is written then.
    """
    wanted = [(cand, skill, level.strip()) for cand, skill, level in entries if level.strip()]
    seen: set[tuple[str, str]] = set()
    for cand, skill, level in wanted:
        _check(skill, level, day, instrument, today)
        if (cand, skill) in seen:
            raise UserError(
                N_("A level for {skill} is entered twice for the same candidate."), skill=skill
            )
        seen.add((cand, skill))
    name = _check_assessor(assessor)
    with transaction(db) as conn:
        ids = _candidate_ids(conn, {cand for cand, _s, _l in wanted})
        if len(ids) < len({cand for cand, _s, _l in wanted}):
            raise UserError(N_("This candidate no longer exists; refresh the list."))
        existing = _existing(conn, list(ids.values()), day, instrument)
        rows = [
            (ids[cand], AssessmentRow(new_uid(), cand, skill, level, day, instrument, name, ""))
            for cand, skill, level in wanted
            if (ids[cand], skill, level) not in existing
        ]
        _insert(conn, rows, actor, now)
    return len(rows)


def _existing(
    conn: Connection, ids: list[int], day: date, instrument: str
) -> set[tuple[int, str, str]]:
    found: set[tuple[int, str, str]] = set()
    for start in range(0, len(ids), CHUNK):
        rows = conn.execute(
            select(ASSESSMENT.c.candidate_id, ASSESSMENT.c.skill, ASSESSMENT.c.level).where(
                and_(
                    ASSESSMENT.c.candidate_id.in_(ids[start : start + CHUNK]),
                    ASSESSMENT.c.assessed_on == day,
                    ASSESSMENT.c.method == instrument,
                )
            )
        )
        found.update((int(cid), str(skill), str(level)) for cid, skill, level in rows)
    return found


def _row(values: Any) -> AssessmentRow:
    return AssessmentRow(
        uid=values.uid,
        candidate_uid=values.candidate_uid,
        skill=values.skill,
        level=values.level,
        day=values.assessed_on,
        instrument=values.method,
        assessor=values.assessor or "",
        note=values.note or "",
    )


def _select() -> Any:
    joined = ASSESSMENT.join(CANDIDATE, CANDIDATE.c.id == ASSESSMENT.c.candidate_id)
    return select(
        ASSESSMENT.c.uid, CANDIDATE.c.uid.label("candidate_uid"), ASSESSMENT.c.skill,
        ASSESSMENT.c.level, ASSESSMENT.c.assessed_on, ASSESSMENT.c.method,
        ASSESSMENT.c.assessor, ASSESSMENT.c.note,
    ).select_from(joined)  # fmt: skip


def assessment_history(db: Database, candidate_uid: str) -> list[AssessmentRow]:
    """Every assessment of a candidate, oldest first.

    Raises:
        UserError: the candidate does not exist.
    """
    with db.engine.connect() as conn:
        cid = _candidate_id(conn, candidate_uid)
        rows = conn.execute(
            _select()
            .where(ASSESSMENT.c.candidate_id == cid)
            .order_by(ASSESSMENT.c.assessed_on, ASSESSMENT.c.id)
        ).all()
    return [_row(r) for r in rows]


def delete_assessment(db: Database, uid: str, *, actor: Actor, now: datetime | None = None) -> None:
    """Remove an assessment entered by mistake (the audit trail keeps its values).

    Raises:
        UserError: the assessment does not exist (any more).
    """
    with transaction(db) as conn:
        found = conn.execute(_select().where(ASSESSMENT.c.uid == uid)).first()
        if found is None:
            raise UserError(N_("This assessment no longer exists; refresh the list."))
        conn.execute(ASSESSMENT.delete().where(ASSESSMENT.c.uid == uid))
        old = _audit_values(_row(found))
        write_audit(conn, [audit_row(actor, "assessment.delete", TABLE, uid, old=old, at=now)])


def points_by_candidate(
    conn: Connection, ids: Sequence[int], on: date
) -> dict[int, dict[str, list[tuple[date, int, str]]]]:
    """Per candidate id and skill: ``(day, id, level)`` of each valid assessment up to ``on``.

    Sorted by day (and entry order on the same day), so the last one is the latest.
    """
    found: dict[int, dict[str, list[tuple[date, int, str]]]] = {}
    for start in range(0, len(ids), CHUNK):
        rows = conn.execute(
            select(
                ASSESSMENT.c.candidate_id, ASSESSMENT.c.skill, ASSESSMENT.c.assessed_on,
                ASSESSMENT.c.id, ASSESSMENT.c.level,
            ).where(
                and_(
                    ASSESSMENT.c.candidate_id.in_(list(ids[start : start + CHUNK])),
                    ASSESSMENT.c.assessed_on <= on,
                )
            )
        )  # fmt: skip
        for cid, skill, day, aid, level in rows:
            if level in LEVELS:
                found.setdefault(int(cid), {}).setdefault(skill, []).append((day, int(aid), level))
    for skills in found.values():
        for points in skills.values():
            points.sort()
    return found


def latest_levels(
    db: Database, candidate_uids: Collection[str], on: date
) -> dict[str, dict[str, str]]:
    """Per candidate uid: per skill, the latest level measured up to ``on``.

    Candidates without assessments (or unknown uids) are left out.
    """
    with db.engine.connect() as conn:
        ids = _candidate_ids(conn, candidate_uids)
        points = points_by_candidate(conn, sorted(ids.values()), on)
    uids = {cid: uid for uid, cid in ids.items()}
    return {
        uids[cid]: {skill: values[-1][2] for skill, values in sorted(skills.items())}
        for cid, skills in points.items()
    }
