"""Absence signal rules per municipality, and who crosses them.

Three kinds of rule: ``rate`` (attendance below ``threshold`` percent over at least
``min_lessons`` marked lessons in the last ``window_weeks``), ``consecutive``
(``threshold`` absences in a row, the latest within the window) and ``unexcused``
(``threshold`` unexcused absences within ``window_weeks``). A rule of a municipality
replaces the general rule ("" = every municipality) of the same kind for its
candidates. A signal belongs to the ISO week it is found in (``period_key``
``2026-W49``); a rule fires at most ``max_repeats`` times per candidate per
``window_weeks`` (counting the signals marked as sent). Only active candidates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, select

from kvds_desktop.domain.enums import CandidateStatus
from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.attendance.common import (
    CANDIDATE,
    KLANTMANAGER,
    LESSON,
    MARK,
    RULE,
    SENT,
    STATUS,
    iso_week_key,
    load_candidate_id,
    person_name,
    person_sort_key,
)
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.scheduling.common import transaction, write_audit
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import new_uid

KINDS: tuple[str, ...] = ("rate", "consecutive", "unexcused")
MESSAGES = {
    "rate": N_(
        "Attendance {rate}% over {lessons} lessons in {weeks} weeks (rule: below "
        "{threshold}% over at least {min_lessons} lessons)."
    ),
    "consecutive": N_("Absent {count} lessons in a row (rule: {threshold} in a row)."),
    "unexcused": N_("{count} unexcused absences in {weeks} weeks (rule: {threshold} or more)."),
}
# rate below 80% over at least 8 lessons in 4 weeks; 3 absences in a row; 2 unexcused
# absences within 4 weeks; each at most once per candidate per 4 weeks.
DEFAULT_RULES: tuple[tuple[str, float, int, int, int], ...] = (
    ("rate", 80.0, 8, 4, 1),
    ("consecutive", 3.0, 0, 4, 1),
    ("unexcused", 2.0, 0, 4, 1),
)


@dataclass(frozen=True)
class RuleRow:
    """One signal rule as Settings shows it."""

    id: int
    uid: str
    municipality: str
    kind: str
    threshold: float
    min_lessons: int
    window_weeks: int
    max_repeats: int
    active: bool


@dataclass(frozen=True)
class SignalRow:
    """A candidate crossing a rule, why (``message_id`` with ``params``), and if sent."""

    candidate_uid: str
    name: str
    municipality: str
    klantmanager: str
    klantmanager_email: str
    rule_uid: str
    rule_kind: str
    message_id: str
    params: dict[str, Any]
    period_key: str
    sent_on: date | None
    klantnummer: str = ""


_RULE_COLUMNS = (
    RULE.c.id, RULE.c.uid, RULE.c.municipality, RULE.c.kind, RULE.c.threshold,
    RULE.c.min_lessons, RULE.c.window_weeks, RULE.c.max_repeats, RULE.c.active,
)  # fmt: skip


def _rule(r: Any) -> RuleRow:
    return RuleRow(
        int(r[0]), str(r[1]), str(r[2] or ""), str(r[3]), float(r[4]), int(r[5]), int(r[6]),
        int(r[7]), bool(r[8]),
    )  # fmt: skip


def list_rules(db: Database, *, active_only: bool = False) -> list[RuleRow]:
    """The signal rules by municipality ("" first) and kind."""
    query = select(*_RULE_COLUMNS).order_by(RULE.c.municipality, RULE.c.kind, RULE.c.id)
    if active_only:
        query = query.where(RULE.c.active.is_(True))
    with db.engine.connect() as conn:
        return [_rule(r) for r in conn.execute(query)]


def _check_rule(
    kind: str, threshold: float, min_lessons: int, window_weeks: int, max_repeats: int
) -> None:
    if kind not in KINDS:
        raise UserError(N_("Unknown kind of signal rule {kind}."), kind=kind)
    if kind == "rate" and not 1 <= threshold <= 100:
        raise UserError(N_("An attendance percentage lies between 1 and 100."))
    if kind != "rate" and (threshold < 1 or threshold != int(threshold)):
        raise UserError(N_("The number of absences in a rule is a whole number of at least 1."))
    if min_lessons < 0:
        raise UserError(N_("The minimum number of lessons cannot be negative."))
    if not 1 <= window_weeks <= 52:
        raise UserError(N_("The window of a rule is 1 to 52 weeks."))
    if max_repeats < 1:
        raise UserError(N_("A rule fires at least once per period."))


def save_rule(
    db: Database,
    *,
    id: int | None,
    municipality: str,
    kind: str,
    threshold: float,
    min_lessons: int,
    window_weeks: int,
    max_repeats: int,
    active: bool,
    actor: Actor,
) -> int:
    """Create (``id`` None) or change a signal rule; returns its id. Audited.

    Raises:
        UserError: unknown kind, a value out of range, or the rule no longer exists.
    """
    _check_rule(kind, threshold, min_lessons, window_weeks, max_repeats)
    values = {
        "municipality": municipality.strip()[:80], "kind": kind, "threshold": float(threshold),
        "min_lessons": int(min_lessons), "window_weeks": int(window_weeks),
        "max_repeats": int(max_repeats), "active": bool(active),
    }  # fmt: skip
    with transaction(db) as conn:
        if id is None:
            uid = new_uid()
            key = conn.execute(RULE.insert().values(uid=uid, **values)).inserted_primary_key
            assert key is not None
            write_audit(conn, [audit_row(actor, "signal_rule.create", "signal_rule", uid,
                                         new=values)])  # fmt: skip
            return int(key[0])
        old = conn.execute(select(*_RULE_COLUMNS).where(RULE.c.id == id)).first()
        if old is None:
            raise UserError(N_("This signal rule no longer exists; refresh the list."))
        before = _rule(old)
        changed = {k: getattr(before, k) for k, v in values.items() if getattr(before, k) != v}
        if changed:
            conn.execute(RULE.update().where(RULE.c.id == id).values(**values))
            new = {k: values[k] for k in changed}
            entry = audit_row(
                actor, "signal_rule.update", "signal_rule", before.uid, old=changed, new=new
            )
            write_audit(conn, [entry])
        return id


def ensure_default_rules(db: Database, actor: Actor) -> int:
    """Write the default rules (for every municipality) when there are none; how many."""
    with transaction(db) as conn:
        if conn.execute(select(func.count()).select_from(RULE)).scalar_one():
            return 0
        rows = [
            {"uid": new_uid(), "municipality": "", "kind": kind, "threshold": threshold,
             "min_lessons": lessons, "window_weeks": weeks, "max_repeats": repeats,
             "active": True}
            for kind, threshold, lessons, weeks, repeats in DEFAULT_RULES
        ]  # fmt: skip
        conn.execute(RULE.insert(), rows)
        write_audit(
            conn,
            [audit_row(actor, "signal_rule.create", "signal_rule", str(r["uid"]), new=r)
             for r in rows],
        )  # fmt: skip
        return len(rows)


def _applicable(rules: Sequence[RuleRow], municipality: str) -> list[RuleRow]:
    own = [r for r in rules if r.municipality and r.municipality.casefold() == municipality]
    kinds = {r.kind for r in own}
    return own + [r for r in rules if not r.municipality and r.kind not in kinds]


def _evaluate(rule: RuleRow, marks: list[tuple[date, bool, bool]], at: date) -> Any:
    """(params) when ``marks`` (date, present, excused; oldest first) cross the rule."""
    since = at - timedelta(weeks=rule.window_weeks)
    recent = [m for m in marks if m[0] > since]
    threshold = int(rule.threshold) if rule.kind != "rate" else rule.threshold
    if rule.kind == "rate":
        present = sum(1 for m in recent if m[1])
        if len(recent) < max(1, rule.min_lessons):
            return None
        rate = 100 * present / len(recent)
        if rate >= rule.threshold:
            return None
        return {"rate": round(rate, 1), "lessons": len(recent), "weeks": rule.window_weeks,
                "threshold": _number(rule.threshold), "min_lessons": rule.min_lessons}  # fmt: skip
    if rule.kind == "consecutive":
        run = 0
        for mark in reversed(recent):
            if mark[1]:
                break
            run += 1
        return {"count": run, "threshold": threshold} if run >= threshold else None
    count = sum(1 for m in recent if not m[1] and not m[2])
    if count < threshold:
        return None
    return {"count": count, "weeks": rule.window_weeks, "threshold": threshold}


def _number(value: float) -> float | int:
    return int(value) if value == int(value) else value


def find_signals(db: Database, at: date) -> list[SignalRow]:
    """Who crosses which rule on ``at`` and why, by klantmanager and name."""
    rules = list_rules(db, active_only=True)
    if not rules:
        return []
    window = max(r.window_weeks for r in rules)
    since = at - timedelta(weeks=window)
    period_key = iso_week_key(at)
    active = and_(
        CANDIDATE.c.status == CandidateStatus.ACTIEF.value, CANDIDATE.c.merged_into_id.is_(None)
    )
    with db.engine.connect() as conn:
        marks: dict[int, list[tuple[date, bool, bool]]] = {}
        query = (
            select(MARK.c.candidate_id, LESSON.c.lesson_date, STATUS.c.counts_present,
                   STATUS.c.excused)
            .select_from(
                MARK.join(LESSON, LESSON.c.id == MARK.c.lesson_id)
                .join(STATUS, STATUS.c.id == MARK.c.status_id)
                .join(CANDIDATE, CANDIDATE.c.id == MARK.c.candidate_id)
            )
            .where(and_(LESSON.c.lesson_date > since, LESSON.c.lesson_date <= at,
                        LESSON.c.cancelled.is_(False), active))
            .order_by(MARK.c.candidate_id, LESSON.c.lesson_date, LESSON.c.start_time)
        )  # fmt: skip
        for cid, day, present, excused in conn.execute(query):
            marks.setdefault(int(cid), []).append((day, bool(present), bool(excused)))
        people = {
            int(r.id): r
            for r in conn.execute(
                select(CANDIDATE.c.id, CANDIDATE.c.uid, CANDIDATE.c.voornamen,
                       CANDIDATE.c.tussenvoegsel, CANDIDATE.c.achternaam,
                       CANDIDATE.c.municipality, CANDIDATE.c.klantnummer,
                       KLANTMANAGER.c.name.label("km"), KLANTMANAGER.c.email.label("km_email"))
                .select_from(CANDIDATE.outerjoin(
                    KLANTMANAGER, KLANTMANAGER.c.id == CANDIDATE.c.klantmanager_id))
                .where(and_(active, CANDIDATE.c.id.in_(list(marks))))
            )
        }  # fmt: skip
        sent: dict[tuple[int, int], list[tuple[str, date | None]]] = {}
        for cid, rid, key, sent_on in conn.execute(
            select(SENT.c.candidate_id, SENT.c.rule_id, SENT.c.period_key, SENT.c.sent_on)
        ):
            sent.setdefault((int(cid), int(rid)), []).append((str(key), sent_on))
    found: list[tuple[Any, SignalRow]] = []
    for cid, person in people.items():
        for rule in _applicable(rules, str(person.municipality or "").casefold()):
            params = _evaluate(rule, marks.get(cid, []), at)
            if params is None:
                continue
            history = sent.get((cid, rule.id), [])
            this_period = next((s for k, s in history if k == period_key), None)
            if this_period is None:
                start = at - timedelta(weeks=rule.window_weeks)
                earlier = [s for k, s in history if s is not None and start < s <= at]
                if len(earlier) >= rule.max_repeats:
                    continue
            row = SignalRow(
                candidate_uid=person.uid,
                name=person_name(person.voornamen, person.tussenvoegsel, person.achternaam),
                municipality=person.municipality or "", klantmanager=person.km or "",
                klantmanager_email=person.km_email or "", rule_uid=rule.uid,
                rule_kind=rule.kind, message_id=MESSAGES[rule.kind], params=params,
                period_key=period_key, sent_on=this_period, klantnummer=person.klantnummer or "",
            )  # fmt: skip
            sort_key = (
                row.klantmanager.casefold(),
                person_sort_key(person.voornamen, person.tussenvoegsel, person.achternaam),
                KINDS.index(rule.kind),
            )
            found.append((sort_key, row))
    return [row for _key, row in sorted(found, key=lambda item: item[0])]


def mark_signal_sent(
    db: Database, *, candidate_uid: str, rule_uid: str, period_key: str, on: date, actor: Actor
) -> None:
    """Record that a signal went to the klantmanager on ``on`` (audited ``signal.sent``).

    Raises:
        UserError: the candidate or the rule no longer exists.
    """
    with transaction(db) as conn:
        cid = load_candidate_id(conn, candidate_uid)
        rid = conn.execute(select(RULE.c.id).where(RULE.c.uid == rule_uid)).scalar()
        if rid is None:
            raise UserError(N_("This signal rule no longer exists; refresh the list."))
        manager = conn.execute(
            select(CANDIDATE.c.klantmanager_id).where(CANDIDATE.c.id == cid)
        ).scalar()
        existing = conn.execute(
            select(SENT.c.uid).where(
                and_(SENT.c.candidate_id == cid, SENT.c.rule_id == rid,
                     SENT.c.period_key == period_key)
            )
        ).scalar()  # fmt: skip
        values = {"sent_on": on, "sent_by": actor.name[:120], "klantmanager_id": manager}
        if existing is None:
            uid = new_uid()
            conn.execute(
                SENT.insert().values(
                    uid=uid, candidate_id=cid, rule_id=rid, period_key=period_key[:20],
                    fired_on=on, **values,
                )
            )  # fmt: skip
        else:
            uid = str(existing)
            conn.execute(SENT.update().where(SENT.c.uid == uid).values(**values))
        write_audit(conn, [audit_row(actor, "signal.sent", "signal_sent", uid,
                                     new={"candidate": candidate_uid, "rule": rule_uid,
                                          "period": period_key, "sent_on": on})])  # fmt: skip
