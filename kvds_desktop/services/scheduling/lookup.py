"""Finding a group or a teacher by the name a person types (for the command line).

Names match without regard to case. An unknown or ambiguous name is refused with
the closest names, so the user can try again.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process
from sqlalchemy import select

from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.scheduling.common import GROUP, TEACHER
from kvds_desktop.store.database import Database


def _close(name: str, names: list[str]) -> str:
    found = process.extract(name, names, scorer=fuzz.WRatio, limit=4, score_cutoff=50)
    return ", ".join(sorted({match for match, _score, _index in found}))


def find_group(db: Database, name: str) -> str:
    """The uid of the group called ``name`` (any case).

    Raises:
        UserError: no group has that name (the closest names are given).
    """
    with db.engine.connect() as conn:
        rows = conn.execute(select(GROUP.c.uid, GROUP.c.name)).all()
    wanted = name.strip().casefold()
    exact = [uid for uid, group in rows if group.casefold() == wanted]
    if len(exact) == 1:
        return str(exact[0])
    if exact:
        raise UserError(
            N_("{name} fits more than one group: {names}."),
            name=name,
            names=", ".join(g for _u, g in rows if g.casefold() == wanted),
        )
    close = _close(name, [group for _uid, group in rows])
    if close:
        raise UserError(
            N_("No group is called {name}. Did you mean: {names}?"), name=name, names=close
        )
    raise UserError(N_("No group is called {name}."), name=name)


def find_teacher(db: Database, name: str) -> int:
    """The id of the teacher called ``name`` (any case).

    Raises:
        UserError: no teacher has that name, or more than one has (names are given).
    """
    with db.engine.connect() as conn:
        rows = conn.execute(select(TEACHER.c.id, TEACHER.c.name).order_by(TEACHER.c.name)).all()
    wanted = " ".join(name.split()).casefold()
    exact = [(tid, teacher) for tid, teacher in rows if teacher.casefold() == wanted]
    if len(exact) == 1:
        return int(exact[0][0])
    if exact:
        raise UserError(
            N_("{name} fits more than one teacher: {names}."),
            name=name,
            names=", ".join(f"{teacher} ({tid})" for tid, teacher in exact),
        )
    close = _close(name, [teacher for _tid, teacher in rows])
    if close:
        raise UserError(
            N_("No teacher is called {name}. Did you mean: {names}?"), name=name, names=close
        )
    raise UserError(N_("No teacher is called {name}."), name=name)
