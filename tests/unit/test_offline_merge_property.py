"""Properties of the merge: any order and any repetition of files gives the same state.

The world (one group, three members, a pack of three lessons) is built once into a
template file; every example works on a fresh copy of it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kvds_desktop.services import attendance as att
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.offline import merge
from kvds_desktop.services.offline.facts import (
    IncomingFile,
    IncomingMark,
    device_source,
    fact_uid,
    workbook_source,
)
from kvds_desktop.store.database import Database
from tests.unit.scheduling_world import ACTOR
from tests.unit.test_attendance_world import MON_1, MON_2, NOW, WED_1, build
from tests.unit.test_offline_merge import send_pack, snapshot

COORDINATOR = Actor("coordinator", "office-pc")
VALUES: list[tuple[str, str, int | None]] = [
    ("A", "", None), ("Z", "", None), ("L", "", 10), ("L", "", 20), ("M", "ziek", None),
    ("", "", None),  # a withdrawal
]  # fmt: skip
LABELS = ["Anna", "Bram", "Carla"]


@dataclass(frozen=True)
class Template:
    """The saved world: its file and the uids the examples refer to."""

    path: Path
    pack: str
    lessons: list[str]
    people: list[str]
    database_uid: str

    def sources(self) -> list[str]:
        return [device_source(self.pack, "laptop-anna"), device_source(self.pack, "laptop-bram"),
                workbook_source(self.pack)]  # fmt: skip


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Template]:
    folder = tmp_path_factory.mktemp("merge-template")
    world = build(folder)
    lessons = [world.lesson(day) for day in (MON_1, WED_1, MON_2)]
    pack = send_pack(world.db, lessons)
    found = Template(world.db.path, pack, lessons, list(world.people.values()),
                     merge.database_uid(world.db))  # fmt: skip
    world.world.close()
    yield found


@dataclass(frozen=True)
class FactSpec:
    source: int
    lesson: int
    person: int
    revision: int
    value: int
    note: int
    file: int  # which of the source's two files carries it


fact_specs = st.builds(
    FactSpec,
    source=st.integers(0, 2),
    lesson=st.integers(0, 2),
    person=st.integers(0, 2),
    revision=st.integers(0, 2),
    value=st.integers(0, len(VALUES) - 1),
    note=st.integers(0, 1),
    file=st.integers(0, 1),
)
local_specs = st.dictionaries(
    st.tuples(st.integers(0, 2), st.integers(0, 2)), st.integers(0, len(VALUES) - 2), max_size=2
)


def _files(t: Template, specs: list[FactSpec]) -> list[IncomingFile]:
    sources = t.sources()
    grouped: dict[tuple[int, int], list[IncomingMark]] = {}
    for s in specs:
        code, reason, minutes = VALUES[s.value]
        source, lesson, person = sources[s.source], t.lessons[s.lesson], t.people[s.person]
        grouped.setdefault((s.source, s.file), []).append(
            IncomingMark(
                uid=fact_uid(source, lesson, person, s.revision, code, reason, minutes),
                lesson_uid=lesson,
                candidate_uid=person,
                status_code=code,
                reason=reason,
                minutes=minutes,
                note=f"note {s.note}",
                revision=s.revision,
            )
        )
    return [
        IncomingFile(
            kind="marks",
            file_name=f"{LABELS[src]}-{part}.kvdsmarks",
            sha256=str(part) * 64,
            database_uid=t.database_uid,
            pack_uid=t.pack,
            source_key=sources[src],
            source_label=LABELS[src],
            device_id=str(src),
            exported_at=None,
            marks=tuple(marks),
        )
        for (src, part), marks in sorted(grouped.items())
    ]


def _run(
    t: Template, copy: Path, files: list[IncomingFile], order: list[int],
    local: dict[tuple[int, int], int],
) -> tuple[Any, ...]:  # fmt: skip
    for suffix in ("-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(t.path, copy)
    db = Database.open(copy)
    try:
        for (lesson, person), value in sorted(local.items()):
            code, reason, minutes = VALUES[value]
            att.set_mark(db, lesson_uid=t.lessons[lesson], candidate_uid=t.people[person],
                         status_code=code, reason=reason, minutes=minutes, actor=ACTOR,
                         now=NOW)  # fmt: skip
        for index in order:
            merge.import_incoming(db, files[index], actor=COORDINATOR, now=NOW)
        return snapshot(db)
    finally:
        db.close()


def _heads(t: Template, specs: list[FactSpec]) -> dict[tuple[str, str], set[tuple[Any, ...]]]:
    """The claims per mark, worked out here independently of the merge code."""
    top: dict[tuple[int, int, int], int] = {}
    for s in specs:
        key = (s.source, s.lesson, s.person)
        top[key] = max(top.get(key, s.revision), s.revision)
    claims: dict[tuple[str, str], set[tuple[Any, ...]]] = {}
    for s in specs:
        pair = (t.lessons[s.lesson], t.people[s.person])
        claims.setdefault(pair, set())
        if s.revision == top[(s.source, s.lesson, s.person)] and VALUES[s.value][0]:
            claims[pair].add(VALUES[s.value])
    return claims


@settings(max_examples=40, deadline=None)
@given(
    specs=st.lists(fact_specs, min_size=1, max_size=14),
    local=local_specs,
    data=st.data(),
)
def test_any_order_with_repetitions_gives_the_same_state(
    template: Template,
    tmp_path_factory: pytest.TempPathFactory,
    specs: list[FactSpec],
    local: dict[tuple[int, int], int],
    data: st.DataObject,
) -> None:
    # one fact per (source, lesson, person, revision, value): its uid says just that
    unique = list({(s.source, s.lesson, s.person, s.revision, s.value): s for s in specs}.values())
    files = _files(template, unique)
    order = list(data.draw(st.permutations(range(len(files)))))
    for index, position in data.draw(
        st.lists(st.tuples(st.integers(0, len(files) - 1), st.integers(0, 20)), max_size=3)
    ):
        order.insert(position % (len(order) + 1), index)
    folder = tmp_path_factory.mktemp("merge-example")
    shuffled = _run(template, folder / "a.sqlite", files, order, local)
    canonical = _run(template, folder / "b.sqlite", files, list(range(len(files))), local)
    assert shuffled == canonical

    marks, conflicts, facts = shuffled
    assert facts == {m.uid for f in files for m in f.marks}  # no accepted fact is lost
    by_pair = {(r[0], r[1]): r for r in marks}
    mine = {(template.lessons[lesson], template.people[person]): VALUES[value]
            for (lesson, person), value in local.items()}  # fmt: skip
    for pair, claims in _heads(template, unique).items():
        file_claims = {(c[2], c[3], c[4]) for c in conflicts.get(pair, ()) if c[0] != "mine"}
        if pair in mine:
            row = by_pair[pair]
            assert (row[2], row[3], row[4], row[5]) == (*mine[pair], "local")
            assert (pair in conflicts) == bool(claims - {mine[pair]})
            if pair in conflicts:
                assert file_claims == claims
        elif len(claims) > 1:
            assert pair in conflicts and pair not in by_pair
            assert file_claims == claims
        elif len(claims) == 1:
            assert pair not in conflicts
            row = by_pair[pair]
            assert ((row[2], row[3], row[4]), row[5]) == (next(iter(claims)), "merged")
        else:
            assert pair not in conflicts and pair not in by_pair
