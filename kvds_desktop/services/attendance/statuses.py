"""Attendance statuses as data: what each counts as, and who may use it.

Statuses are edited in Settings; the Aanwezigheid page sets a status by its one-key
code. A Dutch default set is written when a database has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.attendance.common import REASONS, STATUS
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.scheduling.common import transaction, write_audit
from kvds_desktop.store.database import Database

__all__ = [
    "DEFAULT_STATUSES",
    "REASONS",
    "StatusRow",
    "ensure_default_statuses",
    "list_statuses",
    "save_status",
]

MAX_LABEL = 80

# code, label_nl, label_en, present, late, excused, reason, minutes, teacher may use
DEFAULT_STATUSES: tuple[tuple[str, str, str, bool, bool, bool, bool, bool, bool], ...] = (
    ("A", "aanwezig", "present", True, False, False, False, False, True),
    ("L", "te laat", "late", True, True, False, False, True, True),
    ("E", "eerder weg", "left early", True, False, False, False, True, True),
    ("M", "afwezig met bericht", "absent with notice", False, False, True, True, False, True),
    ("Z", "afwezig zonder bericht", "absent without notice", False, False, False, False, False,
     True),
    ("O", "vrijgesteld", "exempted", False, False, True, True, False, False),
)  # fmt: skip


@dataclass(frozen=True)
class StatusRow:
    """One attendance status as the register and Settings show it."""

    id: int
    code: str
    label_nl: str
    label_en: str
    counts_present: bool
    counts_late: bool
    excused: bool
    needs_reason: bool
    needs_minutes: bool
    teacher_may_use: bool
    sort_order: int
    active: bool


_COLUMNS = (
    STATUS.c.id,
    STATUS.c.code,
    STATUS.c.label_nl,
    STATUS.c.label_en,
    STATUS.c.counts_present,
    STATUS.c.counts_late,
    STATUS.c.excused,
    STATUS.c.needs_reason,
    STATUS.c.needs_minutes,
    STATUS.c.teacher_may_use,
    STATUS.c.sort_order,
    STATUS.c.active,
)


def _row(r: Any) -> StatusRow:
    return StatusRow(
        id=int(r[0]),
        code=str(r[1]),
        label_nl=str(r[2]),
        label_en=str(r[3]),
        counts_present=bool(r[4]),
        counts_late=bool(r[5]),
        excused=bool(r[6]),
        needs_reason=bool(r[7]),
        needs_minutes=bool(r[8]),
        teacher_may_use=bool(r[9]),
        sort_order=int(r[10] or 0),
        active=bool(r[11]),
    )


def list_statuses(db: Database, *, active_only: bool = True) -> list[StatusRow]:
    """The statuses by their sort order (only the active ones unless asked)."""
    query = select(*_COLUMNS).order_by(STATUS.c.sort_order, STATUS.c.code)
    if active_only:
        query = query.where(STATUS.c.active.is_(True))
    with db.engine.connect() as conn:
        return [_row(r) for r in conn.execute(query)]


def _check(code: str, label_nl: str, label_en: str) -> tuple[str, str, str]:
    code = code.strip()
    if len(code) != 1 or not code.isalnum():
        raise UserError(N_("A status code is exactly one letter or digit."))
    label_nl, label_en = label_nl.strip(), label_en.strip()
    if not label_nl or not label_en:
        raise UserError(N_("A status needs a Dutch and an English label."))
    if len(label_nl) > MAX_LABEL or len(label_en) > MAX_LABEL:
        raise UserError(N_("A status label can be at most {max} characters."), max=MAX_LABEL)
    return code.upper(), label_nl, label_en


def save_status(
    db: Database,
    *,
    id: int | None,
    code: str,
    label_nl: str,
    label_en: str,
    counts_present: bool,
    counts_late: bool,
    excused: bool,
    needs_reason: bool,
    needs_minutes: bool,
    teacher_may_use: bool,
    active: bool,
    actor: Actor,
) -> int:
    """Create (``id`` None) or change a status; returns its id. Audited.

    Raises:
        UserError: the code is not one letter or digit, or is used by another status
            (case does not matter); a label is missing; the status no longer exists.
    """
    code, label_nl, label_en = _check(code, label_nl, label_en)
    values = {
        "code": code,
        "label_nl": label_nl,
        "label_en": label_en,
        "counts_present": bool(counts_present),
        "counts_late": bool(counts_late),
        "excused": bool(excused),
        "needs_reason": bool(needs_reason),
        "needs_minutes": bool(needs_minutes),
        "teacher_may_use": bool(teacher_may_use),
        "active": bool(active),
    }
    with transaction(db) as conn:
        clash = select(STATUS.c.label_nl).where(func.upper(STATUS.c.code) == code)
        if id is not None:
            clash = clash.where(STATUS.c.id != id)
        taken = conn.execute(clash).scalar()
        if taken is not None:
            raise UserError(
                N_("The code {code} is already used by the status {label}."),
                code=code,
                label=taken,
            )
        if id is None:
            highest = conn.execute(select(func.max(STATUS.c.sort_order))).scalar() or 0
            new_id = conn.execute(
                STATUS.insert().values(**values, sort_order=int(highest) + 10)
            ).inserted_primary_key
            assert new_id is not None
            status_id = int(new_id[0])
            write_audit(
                conn,
                [audit_row(actor, "attendance_status.create", "attendance_status", str(status_id),
                           new=values)],
            )  # fmt: skip
            return status_id
        old = conn.execute(select(*_COLUMNS).where(STATUS.c.id == id)).first()
        if old is None:
            raise UserError(N_("This status no longer exists; refresh the list."))
        before = _row(old)
        changed_old = {k: getattr(before, k) for k, v in values.items() if getattr(before, k) != v}
        changed_new = {k: values[k] for k in changed_old}
        if changed_new:
            conn.execute(STATUS.update().where(STATUS.c.id == id).values(**values))
            write_audit(
                conn,
                [audit_row(actor, "attendance_status.update", "attendance_status", str(id),
                           old=changed_old, new=changed_new)],
            )  # fmt: skip
        return id


def ensure_default_statuses(db: Database, actor: Actor) -> int:
    """Write the Dutch default statuses when there are none; returns how many were added."""
    with transaction(db) as conn:
        if conn.execute(select(func.count()).select_from(STATUS)).scalar_one():
            return 0
        rows = [
            {
                "code": code, "label_nl": nl, "label_en": en, "counts_present": present,
                "counts_late": late, "excused": excused, "needs_reason": reason,
                "needs_minutes": minutes, "teacher_may_use": teacher,
                "sort_order": (order + 1) * 10, "active": True,
            }
            for order, (code, nl, en, present, late, excused, reason, minutes, teacher)
            in enumerate(DEFAULT_STATUSES)
        ]  # fmt: skip
        conn.execute(STATUS.insert(), rows)
        write_audit(
            conn,
            [audit_row(actor, "attendance_status.defaults", "attendance_status", "",
                       new={"codes": ",".join(r["code"] for r in rows)})],  # type: ignore[misc]
        )  # fmt: skip
        return len(rows)
