"""Keeping a person to their role and municipality, in every query the services make.

:func:`install` puts the rules on an open :class:`Database` once it is known who works
in it (see :mod:`kvds_desktop.services.access`). Two places see every statement:

* each ORM session :meth:`Database.session` makes: ``do_orm_execute`` adds loader
  criteria, so a candidate of another municipality and every row that belongs to one
  (tables with a ``candidate_id``) are simply not there; ``before_flush`` refuses, with a
  clear message, a change the role may not make or a change to a candidate outside the
  scope, before anything reaches the database;
* the engine's ``before_execute``, for what the services read and write through Core
  (``db.engine.connect()``, ``session.connection()``): a SELECT whose FROM holds the
  candidate table or a table with a ``candidate_id`` gets a WHERE that keeps the other
  municipalities out; an INSERT, UPDATE or DELETE is checked against the role, and
  against the scope (the candidates it names, the rows it may touch).

SQL written as text (``text("SELECT ...")``) is checked for writes only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import (
    Connection,
    Delete,
    Insert,
    Select,
    TextClause,
    Update,
    event,
    inspect,
    or_,
    select,
)
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql import Alias, Join, TableClause
from sqlmodel import SQLModel, col

from kvds_desktop.domain.access import Area, Role, Scope, may_change
from kvds_desktop.errors import N_, Term, UserError
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import Candidate, ExamPart, Outflow, Placement

TABLE_AREAS: dict[str, Area] = {
    **dict.fromkeys(
        ("candidate", "candidate_status_change", "pip_version", "term_extension",
         "import_baseline", "not_duplicate", "outflow"), Area.CANDIDATES),
    "candidate_note": Area.NOTES,
    **dict.fromkeys(
        ("attendance_mark", "attendance_month", "signal_sent", "mark_fact", "mark_conflict"),
        Area.ATTENDANCE),
    **dict.fromkeys(("lesson", "sent_pack"), Area.LESSONS),
    **dict.fromkeys(("assessment", "exam_part", "exam_attempt", "module_progress"),
                    Area.PROGRESS),
    **dict.fromkeys(
        ("work_profile", "organisation", "organisation_contact", "opportunity",
         "match_decision", "employer_consent", "placement", "placement_step", "ladder_step",
         "outflow_follow_up"), Area.WORK),
    **dict.fromkeys(("study_group", "group_membership", "timetable_slot", "closure"),
                    Area.SCHEDULE),
    "app_user": Area.USERS,
}  # fmt: skip
FREE_TABLES = frozenset({"audit_entry"})  # everyone leaves a trail of what they did
# Rows that belong to a candidate through a parent: (the parent's key, the parent).
PARENTS: dict[str, tuple[str, Any]] = {
    "exam_attempt": ("exam_part_id", ExamPart),
    "placement_step": ("placement_id", Placement),
    "outflow_follow_up": ("outflow_id", Outflow),
}
CANDIDATE_KEYS = ("candidate_id", "candidate_a_id", "candidate_b_id")
SCOPED = "kvds_scoped"  # execution option: the session's loader criteria limit this already
_TEXT_WRITE = re.compile(
    r"^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)"
    r"\s+[\"`\[]?(\w+)",
    re.IGNORECASE,
)


class AccessDenied(UserError):
    """The person's role or municipality does not allow this change; nothing was saved."""


AREA_NAMES = {
    Area.CANDIDATES: N_("candidates' records"),
    Area.NOTES: N_("notes"),
    Area.ATTENDANCE: N_("attendance"),
    Area.LESSONS: N_("lessons"),
    Area.PROGRESS: N_("progress and exams"),
    Area.WORK: N_("work and placements"),
    Area.SCHEDULE: N_("groups and the timetable"),
    Area.MASTER_DATA: N_("master data"),
    Area.USERS: N_("users"),
}
ROLE_NAMES = {
    Role.COORDINATOR: N_("coordinator"),
    Role.TEACHER: N_("teacher"),
    Role.JOB_COACH: N_("job coach"),
    Role.MUNICIPALITY: N_("municipality (read only)"),
}


def area_of(table: str) -> Area | None:
    """The area a table belongs to (None: everyone may write it); unknown: master data."""
    if table in FREE_TABLES:
        return None
    return TABLE_AREAS.get(table, Area.MASTER_DATA)


def require_change(role: Role, table: str) -> None:
    """Refuse a change to ``table`` that ``role`` may not make.

    Raises:
        AccessDenied: the role may not change this kind of data.
    """
    area = area_of(table)
    if area is not None and not may_change(role, area):
        raise AccessDenied(
            N_("You may not change {area}: your role is {role}. Nothing was saved. Ask the "
               "coordinator to make this change, or to give you another role."),
            area=Term(AREA_NAMES[area]), role=Term(ROLE_NAMES[role]),
        )  # fmt: skip


def _refuse_scope(scope: Scope) -> AccessDenied:
    return AccessDenied(
        N_("You may only change candidates of {scope}; this belongs to a candidate of "
           "another municipality. Nothing was saved."),
        scope=", ".join(scope.names()),
    )  # fmt: skip


def install(db: Database, role: Role, scope: Scope) -> None:
    """Keep every later session and statement on ``db`` to ``role`` within ``scope``."""
    names = scope.names()
    criteria = _loader_criteria(names) if not scope.everything else []

    def hook(session: Session) -> None:
        if criteria:
            event.listen(session, "do_orm_execute", lambda state: _limit(state, criteria))
        event.listen(session, "before_flush", lambda s, *_: _check_flush(s, role, scope))

    def before_execute(
        conn: Connection, stmt: Any, multiparams: Any, params: Any, options: Any
    ) -> tuple[Any, Any, Any]:
        if isinstance(stmt, Select) and names and not options.get(SCOPED):
            stmt = _scoped_select(stmt, names)
        elif isinstance(stmt, (Insert, Update, Delete)):
            require_change(role, stmt.table.name)  # type: ignore[union-attr]
            if names:
                _check_values(conn, stmt, _rows(multiparams, params), scope)
                if isinstance(stmt, (Update, Delete)):
                    stmt = stmt.where(*_clauses([stmt.table], names))
        elif isinstance(stmt, TextClause) and (found := _TEXT_WRITE.match(stmt.text)):
            require_change(role, found.group(1).lower())
        return stmt, multiparams, params

    db.session_hooks.append(hook)
    event.listen(db.engine, "before_execute", before_execute, retval=True)


def _owned_classes() -> list[Any]:
    """The mapped classes whose rows belong to a candidate (a ``candidate_id`` column)."""
    found = []
    for mapper in inspect(Candidate).registry.mappers:
        table = getattr(mapper.local_table, "name", "")
        if "candidate_id" in mapper.columns and table != "attendance_month":
            found.append(mapper.class_)
    return found


def _in_scope_ids(names: tuple[str, ...]) -> Select[Any]:
    scoped = SQLModel.metadata.tables["candidate"].alias("scope_candidate")
    return select(scoped.c.id).where(scoped.c.municipality.in_(names)).correlate(None)


def _loader_criteria(names: tuple[str, ...]) -> list[Any]:
    options = [
        with_loader_criteria(Candidate, col(Candidate.municipality).in_(names),
                             include_aliases=True)
    ]  # fmt: skip
    for cls in _owned_classes():
        options.append(
            with_loader_criteria(cls, cls.candidate_id.in_(_in_scope_ids(names)),
                                 include_aliases=True)
        )  # fmt: skip
    return options


def _limit(state: ORMExecuteState, criteria: list[Any]) -> None:
    if state.is_select or state.is_update or state.is_delete:
        state.statement = state.statement.options(*criteria)
        state.update_execution_options(**{SCOPED: True})  # the engine need not add its own


def _tables(froms: Iterable[Any]) -> Iterator[Any]:
    """The tables (and aliases of tables) in a FROM list, joins taken apart."""
    for item in froms:
        if isinstance(item, Join):
            yield from _tables((item.left, item.right))
        elif isinstance(item, TableClause) or (
            isinstance(item, Alias) and isinstance(item.element, TableClause)
        ):
            yield item


def _clauses(froms: Iterable[Any], names: tuple[str, ...]) -> list[Any]:
    """A condition per candidate table (or table with candidate_id) keeping others out.

    A row with no candidate (the empty side of an outer join) is kept.
    """
    clauses: list[Any] = []
    for table in _tables(froms):
        base: Any = table.element if isinstance(table, Alias) else table
        if base.name == "candidate":
            clauses.append(or_(table.c.id.is_(None), table.c.municipality.in_(names)))
        elif "candidate_id" in table.c:
            ids = _in_scope_ids(names)
            clauses.append(or_(table.c.candidate_id.is_(None), table.c.candidate_id.in_(ids)))
    return clauses


def _scoped_select(stmt: Select[Any], names: tuple[str, ...]) -> Select[Any]:
    clauses = _clauses(stmt.get_final_froms(), names)
    return stmt.where(*clauses) if clauses else stmt


def _rows(multiparams: Any, params: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for item in [*(multiparams or ()), params]:
        if isinstance(item, dict):
            rows.append(item)
        elif isinstance(item, (list, tuple)):
            rows += [row for row in item if isinstance(row, dict)]
    return rows


def _values(stmt: Any, rows: list[dict[str, Any]], key: str) -> set[Any]:
    """The values a statement gives column ``key``: its parameters and its own VALUES."""
    found = {row[key] for row in rows if key in row}
    if not found:
        compiled = stmt.compile().params
        found = {value for name, value in compiled.items()
                 if name == key or re.fullmatch(rf"{key}_m\d+", name)}  # fmt: skip
    found.discard(None)
    return found


def _check_values(conn: Connection, stmt: Any, rows: list[dict[str, Any]], scope: Scope) -> None:
    """Refuse an INSERT or UPDATE that puts a row with a candidate outside the scope."""
    if isinstance(stmt, Delete):
        return
    table = stmt.table
    if table.name == "candidate":
        if not scope.covers_all(_values(stmt, rows, "municipality")):
            raise _refuse_scope(scope)
        return
    ids = set()
    for key in CANDIDATE_KEYS:
        if key in table.c:
            ids |= _values(stmt, rows, key)
    ids.discard(None)
    if ids and not _all_in_scope(conn, ids, scope):
        raise _refuse_scope(scope)


def _all_in_scope(conn: Connection, ids: set[Any], scope: Scope) -> bool:
    candidate = SQLModel.metadata.tables["candidate"]
    found = conn.execute(
        select(candidate.c.id, candidate.c.municipality).where(candidate.c.id.in_(ids))
    ).all()
    return len(found) == len(ids) and scope.covers_all(m for _i, m in found)


def _check_flush(session: Session, role: Role, scope: Scope) -> None:
    """Refuse the whole flush when one of its changes is not the person's to make."""
    with session.no_autoflush:
        for obj in [*session.new, *session.dirty, *session.deleted]:
            if obj in session.dirty and not session.is_modified(obj):
                continue
            table = obj.__table__.name
            require_change(role, table)
            if not scope.everything and not _owned_in_scope(session, obj, table, scope):
                raise _refuse_scope(scope)


def _old_and_new(obj: Any, key: str) -> set[Any]:
    history = inspect(obj).attrs[key].history
    return {*history.added, *history.unchanged, *history.deleted}


def _owned_in_scope(session: Session, obj: Any, table: str, scope: Scope) -> bool:
    """Whether the candidate(s) ``obj`` belongs to, before and after the change, are in scope."""
    if table == "candidate":
        return scope.covers_all(_old_and_new(obj, "municipality"))
    ids: set[Any] = set()
    for key in CANDIDATE_KEYS:
        if key in obj.__table__.c:
            ids |= _old_and_new(obj, key)
    if table in PARENTS:
        key, parent = PARENTS[table]
        parents = _old_and_new(obj, key) - {None}
        if parents:
            owners = session.execute(
                select(parent.candidate_id).where(parent.id.in_(parents))
            ).scalars().all()
            if len(owners) < len(parents):  # the parent is out of sight: out of scope
                return False
            ids |= set(owners)
    ids.discard(None)  # a candidate made in this same flush: checked itself
    if not ids:
        return True
    found = session.execute(
        select(col(Candidate.municipality)).where(col(Candidate.id).in_(ids))
    ).scalars().all()
    return len(found) == len(ids) and scope.covers_all(found)
