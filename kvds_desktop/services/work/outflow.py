"""Outflow (uitstroom) with its follow-up checks (nazorg), the figures, and the ladder.

Registering an outflow ends the candidacy the way the candidate services do (the status
that fits the kind: uitgestroomd, verhuisd, ontheven or gestopt, dated, with a reason)
and plans the follow-up checks at 1, 3, 6 and 12 months for outflow to work, education,
volunteer work or a work-experience place. The checks that are due soon or overdue are
the reminders. The figures count outflow per kind, lasting outflow at 6 and 12 months,
and outflow to work in the CBS sense: a paid job one month after the benefit ended and
no new benefit (the check at 1 month). The participatieladder (1 isolated ... 6 paid
work) is measured now and then; the candidate carries the latest step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, select

from kvds_desktop.domain import rules
from kvds_desktop.domain.enums import BenefitAfterOutflow, CandidateStatus, OutflowKind
from kvds_desktop.domain.names import display_name, sort_name
from kvds_desktop.errors import N_, UserError
from kvds_desktop.exchange.outflow_export import FollowUpRow, OutflowRow
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.candidates import change_status
from kvds_desktop.services.scheduling.common import CANDIDATE, TABLES, transaction, write_audit
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import new_uid

OUTFLOW = TABLES["outflow"]
FOLLOW_UP = TABLES["outflow_follow_up"]
LADDER = TABLES["ladder_step"]

FOLLOW_UP_MONTHS: tuple[int, ...] = (1, 3, 6, 12)
# The status that ends a candidacy with an outflow of a kind (else uitgestroomd).
FINAL_STATUS: dict[str, CandidateStatus] = {
    OutflowKind.VERHUISD: CandidateStatus.VERHUISD,
    OutflowKind.ONTHEFFING: CandidateStatus.ONTHEVEN,
    OutflowKind.GESTOPT: CandidateStatus.GESTOPT,
}
# Outflow that is followed up: somewhere to stay (work, school, volunteering).
FOLLOWED_UP: frozenset[str] = frozenset(OutflowKind) - {
    OutflowKind.VERHUISD, OutflowKind.ONTHEFFING, OutflowKind.GESTOPT, OutflowKind.OVERIG
}  # fmt: skip
# A paid job (a BBL place is a paid learning-work contract).
PAID_WORK: frozenset[str] = frozenset(
    {OutflowKind.BETAALD_WERK, OutflowKind.BETAALD_WERK_ONDERSTEUNING, OutflowKind.BBL}
)
LADDER_LABELS: dict[int, str] = {
    1: N_("isolated"),
    2: N_("social contacts outside the home"),
    3: N_("taking part in organised activities"),
    4: N_("unpaid work"),
    5: N_("paid work with support"),
    6: N_("paid work"),
}
MAX_HOURS = 60
# The follow-up table has no benefit column: the benefit is kept at the start of the note.


@dataclass(frozen=True)
class OutflowFigures:
    """Outflow in a period, per kind, and how lasting it was."""

    start: date
    end: date
    total: int
    per_kind: tuple[tuple[str, int], ...]  # every OutflowKind code in order, with its count
    to_paid_work: int
    checked_6: int  # outflows whose 6-month check is done
    lasting_6: int  # ... and still out then
    checked_12: int
    lasting_12: int
    cbs_checked: int  # paid work with the benefit ended, 1-month check done
    cbs_to_work: int  # ... still in the job and no new benefit: to work in the CBS sense


@dataclass(frozen=True)
class LadderRow:
    """One measurement on the participatieladder."""

    uid: str
    day: date
    step: int
    note: str


def _enum(kind: type[Any], value: str, message_id: str) -> str:
    try:
        return str(kind(value).value)
    except ValueError:
        raise UserError(message_id, value=value, values=", ".join(k.value for k in kind)) from None


def check_kind(kind: str) -> str:
    """``kind`` as an OutflowKind code; UserError when it is none."""
    return _enum(OutflowKind, kind, N_("Unknown outflow kind {value}; use one of: {values}."))


def check_benefit(benefit: str) -> str:
    """``benefit`` as a BenefitAfterOutflow code; UserError when it is none."""
    return _enum(BenefitAfterOutflow, benefit, N_("Unknown benefit {value}; use one of: {values}."))


USUAL_BENEFIT: dict[str, BenefitAfterOutflow] = {
    OutflowKind.BETAALD_WERK: BenefitAfterOutflow.NONE,
    OutflowKind.OPLEIDING_STUDIEFINANCIERING: BenefitAfterOutflow.NONE,
    OutflowKind.BETAALD_WERK_ONDERSTEUNING: BenefitAfterOutflow.PARTIAL,
    OutflowKind.BBL: BenefitAfterOutflow.PARTIAL,
}


def default_benefit(kind: str) -> str:
    """The usual benefit after an outflow of ``kind`` (none after a job or study finance,
    partial with support or BBL, else full): a default for a form, not a rule."""
    return USUAL_BENEFIT.get(kind, BenefitAfterOutflow.FULL).value


def _text(value: str, most: int, field: str) -> str:
    value = (value or "").strip()
    if len(value) > most:
        raise UserError(N_("{field} is too long: at most {most} characters."), field=field,
                        most=most)  # fmt: skip
    return value


def register_outflow(
    db: Database,
    *,
    candidate_uid: str,
    kind: str,
    day: date,
    employer: str,
    function: str,
    hours_per_week: int | None,
    contract: str,
    benefit_after: str,
    note: str,
    actor: Actor,
    now: datetime,
    today: date | None = None,
) -> OutflowRow:
    """Register that a candidate flowed out on ``day``, and plan the follow-up checks.

    The candidacy ends through the candidate services (status by kind, dated ``day``,
    the reason "uitstroom: <kind>"); ``today`` (default: the date of ``now``) is the
    latest allowed day.

    Raises:
        UserError: an unknown kind or benefit, hours out of range, a text too long, a
            day in the future or before the registration, or a candidacy that cannot
            end now (already ended, or not started for outflow to work).
    """
    kind = check_kind(kind)
    benefit_after = check_benefit(benefit_after)
    if hours_per_week is not None and not 0 <= hours_per_week <= MAX_HOURS:
        raise UserError(N_("Hours per week are between 0 and {most}."), most=MAX_HOURS)
    values = {
        "kind": kind, "outflow_date": day, "employer": _text(employer, 160, "employer"),
        "function": _text(function, 120, "function"), "hours_per_week": hours_per_week,
        "contract": _text(contract, 60, "contract"), "benefit_after": benefit_after,
        "note": (note or "").strip(),
    }  # fmt: skip
    reason = f"uitstroom: {kind}" + (f" ({values['note']})" if values["note"] else "")
    status = FINAL_STATUS.get(kind, CandidateStatus.UITGESTROOMD).value
    change_status(db, candidate_uid, status, day, reason, actor, today or now.date())
    uid = new_uid()
    with transaction(db) as conn:
        candidate_id = conn.execute(
            select(CANDIDATE.c.id).where(CANDIDATE.c.uid == candidate_uid)
        ).scalar_one()
        key = conn.execute(
            OUTFLOW.insert().values(uid=uid, candidate_id=candidate_id, **values)
        ).inserted_primary_key
        assert key is not None
        outflow_id = key[0]
        months = FOLLOW_UP_MONTHS if kind in FOLLOWED_UP else ()
        if months:
            conn.execute(
                FOLLOW_UP.insert(),
                [
                    {"uid": new_uid(), "outflow_id": outflow_id, "month": month,
                     "due_date": rules.add_months(day, month), "note": ""}
                    for month in months
                ],
            )  # fmt: skip
        audited = {**values, "candidate": candidate_uid, "follow_ups": len(months)}
        write_audit(conn, [audit_row(actor, "outflow.register", "outflow", uid, new=audited,
                                     at=now)])  # fmt: skip
        return _outflow_rows(conn, OUTFLOW.c.uid == uid)[0]


def record_follow_up(
    db: Database,
    follow_up_uid: str,
    *,
    checked_on: date,
    still_out: bool,
    benefit: str,
    note: str,
    actor: Actor,
    now: datetime | None = None,
) -> FollowUpRow:
    """Record (or correct) the result of a follow-up check; returns the check.

    Raises:
        UserError: an unknown benefit, the check no longer exists, a check before the
            outflow or (with ``now``) in the future.
    """
    benefit = check_benefit(benefit)
    note = _text(note, 500, "note")
    with transaction(db) as conn:
        found = conn.execute(
            select(FOLLOW_UP.c.id, FOLLOW_UP.c.checked_on, FOLLOW_UP.c.still_out,
                   FOLLOW_UP.c.note, OUTFLOW.c.outflow_date, FOLLOW_UP.c.benefit)
            .select_from(FOLLOW_UP.join(OUTFLOW, OUTFLOW.c.id == FOLLOW_UP.c.outflow_id))
            .where(FOLLOW_UP.c.uid == follow_up_uid)
        ).first()  # fmt: skip
        if found is None:
            raise UserError(N_("This follow-up no longer exists; refresh the list."))
        if checked_on < found[4]:
            raise UserError(N_("A follow-up cannot be checked before the outflow date."))
        if now is not None and checked_on > now.date():
            raise UserError(N_("The date of a follow-up check cannot lie in the future."))
        old_benefit, old_note = found[5] or None, found[3] or ""
        conn.execute(
            FOLLOW_UP.update()
            .where(FOLLOW_UP.c.id == found[0])
            .values(checked_on=checked_on, still_out=still_out, benefit=benefit,
                    note=note.strip())
        )  # fmt: skip
        old = {"checked_on": found[1], "still_out": found[2], "benefit": old_benefit,
               "note": old_note}  # fmt: skip
        new = {"checked_on": checked_on, "still_out": still_out, "benefit": benefit, "note": note}
        write_audit(conn, [audit_row(actor, "outflow.follow_up", "outflow_follow_up",
                                     follow_up_uid, old=old, new=new, at=now)])  # fmt: skip
        return _follow_up_rows(conn, FOLLOW_UP.c.uid == follow_up_uid)[0]


def find_follow_up(db: Database, ref: str) -> str:
    """The uid of the follow-up check whose uid is ``ref`` or starts with it (6 or more).

    Raises:
        UserError: no check, or more than one, fits.
    """
    ref = ref.strip().lower()
    with db.engine.connect() as conn:
        found = conn.execute(
            select(FOLLOW_UP.c.uid).where(FOLLOW_UP.c.uid.startswith(ref, autoescape=True)).limit(2)
        ).all() if len(ref) >= 6 else []  # fmt: skip
    if len(found) == 1:
        return str(found[0][0])
    if found:
        raise UserError(N_("{ref} fits more than one follow-up; give more of the id."), ref=ref)
    raise UserError(N_("No follow-up has the id {ref}."), ref=ref)


def _follow_up_rows(conn: Connection, *conditions: Any) -> list[FollowUpRow]:
    rows = conn.execute(
        select(
            FOLLOW_UP.c.uid, OUTFLOW.c.uid, CANDIDATE.c.uid, CANDIDATE.c.voornamen,
            CANDIDATE.c.tussenvoegsel, CANDIDATE.c.achternaam, CANDIDATE.c.klantnummer,
            OUTFLOW.c.kind, OUTFLOW.c.outflow_date, OUTFLOW.c.employer, FOLLOW_UP.c.month,
            FOLLOW_UP.c.due_date, FOLLOW_UP.c.checked_on, FOLLOW_UP.c.still_out,
            FOLLOW_UP.c.note, FOLLOW_UP.c.benefit,
        )
        .select_from(
            FOLLOW_UP.join(OUTFLOW, OUTFLOW.c.id == FOLLOW_UP.c.outflow_id).join(
                CANDIDATE, CANDIDATE.c.id == OUTFLOW.c.candidate_id
            )
        )
        .where(CANDIDATE.c.merged_into_id.is_(None), *conditions)
        .order_by(FOLLOW_UP.c.due_date, FOLLOW_UP.c.month, FOLLOW_UP.c.id)
    ).all()  # fmt: skip
    found = []
    for r in rows:
        benefit, note = r[15] or None, r[14] or ""
        found.append(
            FollowUpRow(
                uid=r[0], outflow_uid=r[1], candidate_uid=r[2],
                candidate_name=display_name(r[3] or "", r[4], r[5] or ""),
                klantnummer=r[6] or "", kind=r[7], outflow_date=r[8], employer=r[9] or "",
                month=r[10], due_date=r[11], checked_on=r[12], still_out=r[13],
                benefit=benefit, note=note,
            )
        )  # fmt: skip
    return found


def due_follow_ups(db: Database, *, today: date, within_days: int = 14) -> list[FollowUpRow]:
    """The reminders: checks not done that are overdue or due within ``within_days``."""
    until = date.fromordinal(today.toordinal() + max(0, within_days))
    with db.engine.connect() as conn:
        return _follow_up_rows(
            conn, FOLLOW_UP.c.checked_on.is_(None), FOLLOW_UP.c.due_date <= until
        )


def _outflow_rows(conn: Connection, *conditions: Any) -> list[OutflowRow]:
    rows = conn.execute(
        select(
            OUTFLOW.c.id, OUTFLOW.c.uid, CANDIDATE.c.uid, CANDIDATE.c.voornamen,
            CANDIDATE.c.tussenvoegsel, CANDIDATE.c.achternaam, CANDIDATE.c.klantnummer,
            CANDIDATE.c.municipality, OUTFLOW.c.kind, OUTFLOW.c.outflow_date,
            OUTFLOW.c.employer, OUTFLOW.c.function, OUTFLOW.c.hours_per_week,
            OUTFLOW.c.contract, OUTFLOW.c.benefit_after, OUTFLOW.c.note,
        )
        .select_from(OUTFLOW.join(CANDIDATE, CANDIDATE.c.id == OUTFLOW.c.candidate_id))
        .where(CANDIDATE.c.merged_into_id.is_(None), *conditions)
    ).all()  # fmt: skip
    checks: dict[str, list[FollowUpRow]] = {}
    ids = [r[0] for r in rows]
    for start in range(0, len(ids), 500):
        for check in _follow_up_rows(conn, FOLLOW_UP.c.outflow_id.in_(ids[start : start + 500])):
            checks.setdefault(check.outflow_uid, []).append(check)
    found = [
        (
            (r[9], sort_name(r[3] or "", r[4], r[5] or "").casefold(), r[1]),
            OutflowRow(
                uid=r[1], candidate_uid=r[2],
                candidate_name=display_name(r[3] or "", r[4], r[5] or ""),
                klantnummer=r[6] or "", municipality=r[7] or "", kind=r[8], day=r[9],
                employer=r[10] or "", function=r[11] or "", hours_per_week=r[12],
                contract=r[13] or "", benefit_after=r[14], note=r[15] or "",
                follow_ups=tuple(sorted(checks.get(r[1], ()), key=lambda f: f.month)),
            ),
        )
        for r in rows
    ]  # fmt: skip
    found.sort(key=lambda pair: pair[0])
    return [row for _key, row in found]


def list_outflow(db: Database, *, start: date | None, end: date | None) -> list[OutflowRow]:
    """The outflows dated ``start`` to ``end`` (None: open), by date and name.

    Raises:
        UserError: the period ends before it starts.
    """
    if start is not None and end is not None and end < start:
        raise UserError(N_("The period ends before it starts."))
    conditions: list[Any] = []
    if start is not None:
        conditions.append(OUTFLOW.c.outflow_date >= start)
    if end is not None:
        conditions.append(OUTFLOW.c.outflow_date <= end)
    with db.engine.connect() as conn:
        return _outflow_rows(conn, *conditions)


def cbs_to_work(row: OutflowRow) -> bool | None:
    """Outflow to work in the CBS sense: paid work, the benefit ended, and at the check
    after 1 month still in the job without a new benefit. None: not paid work with the
    benefit ended, or not checked yet."""
    check = row.follow_up(1)
    if row.kind not in PAID_WORK or row.benefit_after != BenefitAfterOutflow.NONE:
        return None
    if check is None or check.checked_on is None or check.still_out is None:
        return None
    return bool(check.still_out) and check.benefit in (None, BenefitAfterOutflow.NONE)


def outflow_figures(db: Database, *, start: date, end: date) -> OutflowFigures:
    """Counts over the outflows dated ``start`` to ``end``.

    Raises:
        UserError: the period ends before it starts.
    """
    rows = list_outflow(db, start=start, end=end)
    counts = {kind.value: 0 for kind in OutflowKind}
    for row in rows:
        counts[row.kind] = counts.get(row.kind, 0) + 1

    def checked(month: int) -> list[FollowUpRow]:
        found = [row.follow_up(month) for row in rows]
        return [f for f in found if f is not None and f.checked_on is not None]

    cbs = [result for result in (cbs_to_work(row) for row in rows) if result is not None]
    return OutflowFigures(
        start=start, end=end, total=len(rows), per_kind=tuple(counts.items()),
        to_paid_work=sum(1 for row in rows if row.kind in PAID_WORK),
        checked_6=len(checked(6)), lasting_6=sum(1 for f in checked(6) if f.still_out),
        checked_12=len(checked(12)), lasting_12=sum(1 for f in checked(12) if f.still_out),
        cbs_checked=len(cbs), cbs_to_work=sum(cbs),
    )  # fmt: skip


def record_ladder_step(
    db: Database,
    *,
    candidate_uid: str,
    day: date,
    step: int,
    note: str,
    actor: Actor,
    now: datetime | None = None,
) -> LadderRow:
    """Record a participatieladder step measured on ``day``; the candidate carries the
    step of the latest measurement.

    Raises:
        UserError: a step outside 1-6, a note too long, or the candidate does not exist.
    """
    if step not in LADDER_LABELS:
        raise UserError(N_("A step on the participatieladder is a number from 1 to 6."))
    note = _text(note, 200, "note")
    uid = new_uid()
    with transaction(db) as conn:
        person = conn.execute(
            select(CANDIDATE.c.id, CANDIDATE.c.participatieladder).where(
                and_(CANDIDATE.c.uid == candidate_uid, CANDIDATE.c.merged_into_id.is_(None))
            )
        ).first()
        if person is None:
            raise UserError(N_("This candidate no longer exists; refresh the list."))
        conn.execute(LADDER.insert().values(uid=uid, candidate_id=person[0], measured_on=day,
                                            step=step, note=note))  # fmt: skip
        latest = conn.execute(
            select(LADDER.c.step)
            .where(LADDER.c.candidate_id == person[0])
            .order_by(LADDER.c.measured_on.desc(), LADDER.c.id.desc())
            .limit(1)
        ).scalar_one()
        audit = [audit_row(actor, "candidate.ladder", "ladder_step", uid,
                           new={"candidate": candidate_uid, "day": day, "step": step,
                                "note": note}, at=now)]  # fmt: skip
        if latest != person[1]:
            changes: dict[str, Any] = {"participatieladder": latest}
            if now is not None:
                changes["updated_at"] = now
            changes["version"] = CANDIDATE.c.version + 1  # an open form sees the change
            conn.execute(CANDIDATE.update().where(CANDIDATE.c.id == person[0]).values(**changes))
            audit.append(audit_row(actor, "candidate.update", "candidate", candidate_uid,
                                   old={"participatieladder": person[1]},
                                   new={"participatieladder": latest}, at=now))  # fmt: skip
        write_audit(conn, audit)
        return LadderRow(uid, day, step, note)


def ladder_history(db: Database, candidate_uid: str) -> list[LadderRow]:
    """The candidate's participatieladder measurements, oldest first."""
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(LADDER.c.uid, LADDER.c.measured_on, LADDER.c.step, LADDER.c.note)
            .select_from(LADDER.join(CANDIDATE, CANDIDATE.c.id == LADDER.c.candidate_id))
            .where(CANDIDATE.c.uid == candidate_uid)
            .order_by(LADDER.c.measured_on, LADDER.c.id)
        ).all()
    return [LadderRow(r[0], r[1], r[2], r[3] or "") for r in rows]
