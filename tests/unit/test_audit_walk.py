"""Every function that changes data leaves an audit entry; the trail itself is read-only.

Two checks work together. At run time ``tests/audit_guard.py`` watches every database the
tests open and fails a test when a transaction wrote a candidate's data without an audit
entry. Here, statically, every public service function that takes an ``actor`` (the mark
of a function that changes something on someone's behalf) is walked through the calls it
makes, within the services, until it reaches a function that writes the trail; one that
never does fails the test by name.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlmodel import SQLModel

import kvds_desktop.services as services
from tests.audit_guard import AuditWatch, audited_tables

WRITERS = {"record", "audit_row", "record_export", "_audit", "_import_audit", "audit"}
NOT_CHANGES = {  # take an actor but only to stamp what they hand back
    "kvds_desktop.services.audit.record",
    "kvds_desktop.services.audit.audit_row",
    "kvds_desktop.services.audit.record_export",
}


def _modules() -> Iterator[object]:
    for info in pkgutil.walk_packages(services.__path__, "kvds_desktop.services."):
        yield importlib.import_module(info.name)


def _calls(node: ast.AST) -> set[str]:
    found = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Call):
            func = child.func
            if isinstance(func, ast.Name):
                found.add(func.id)
            elif isinstance(func, ast.Attribute):
                found.add(func.attr)
        elif isinstance(child, ast.Name) and child.id in WRITERS:
            found.add(child.id)  # passed on as a callable
    return found


def _call_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module in _modules():
        tree = ast.parse(Path(inspect.getfile(module)).read_text("utf-8"))  # type: ignore[arg-type]
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                graph.setdefault(node.name, set()).update(_calls(node))
    return graph


def _reaches_writer(name: str, graph: dict[str, set[str]]) -> bool:
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        called = graph.get(current, set())
        if called & WRITERS:
            return True
        todo.extend(called - seen)
    return False


def mutating_functions() -> list[str]:
    """Every public service function with an ``actor`` parameter."""
    names = []
    for module in _modules():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):  # type: ignore[attr-defined]
                continue
            if "actor" in inspect.signature(function).parameters:
                names.append(f"{module.__name__}.{name}")  # type: ignore[attr-defined]
    return sorted(set(names) - NOT_CHANGES)


def test_every_mutating_service_function_writes_the_audit_trail() -> None:
    functions = mutating_functions()
    assert len(functions) > 60  # the walk found them
    graph = _call_graph()
    silent = [f for f in functions if not _reaches_writer(f.rsplit(".", 1)[1], graph)]
    assert silent == [], f"these change data without an audit entry: {silent}"


def test_no_function_of_the_application_updates_or_deletes_the_trail() -> None:
    root = Path(services.__file__).parents[1]
    offenders = []
    for path in root.rglob("*.py"):
        source = path.read_text("utf-8")
        for needle in ("UPDATE audit_entry", "DELETE FROM audit_entry", "AUDIT.update(",
                       "AUDIT.delete(", "delete(AuditEntry", "update(AuditEntry"):  # fmt: skip
            if needle in source:
                offenders.append(f"{path.relative_to(root)}: {needle}")
    allowed = {"kvds_desktop/services/privacy"}  # erasure and retention blank what they erase
    assert [o for o in offenders if not any(o.startswith(a) for a in allowed)] == []


def _engine(tmp_path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{tmp_path / 'watch.sqlite'}")
    SQLModel.metadata.create_all(engine)
    return engine


def _fake_service(source: str) -> object:
    """A function that the watch takes for application code (its module is a service)."""
    scope: dict[str, object] = {"__name__": "kvds_desktop.services.fake", "text": text}
    exec(source, scope)
    return scope["write"]


def test_the_watch_catches_a_write_without_an_audit_entry(tmp_path: Path) -> None:
    engine, watch = _engine(tmp_path), AuditWatch()
    watch.attach(engine)
    quiet = _fake_service(
        "def write(engine):\n"
        "    with engine.begin() as conn:\n"
        "        conn.execute(text(\"UPDATE candidate SET phone = '0612' WHERE id = 1\"))\n"
    )
    quiet(engine)  # type: ignore[operator]
    assert watch.violations and "candidate" in watch.violations[0]
    assert "kvds_desktop.services.fake.write" in watch.violations[0]


def test_the_watch_lets_an_audited_write_and_a_tests_own_write_pass(tmp_path: Path) -> None:
    engine, watch = _engine(tmp_path), AuditWatch()
    watch.attach(engine)
    audited = _fake_service(
        "def write(engine):\n"
        "    with engine.begin() as conn:\n"
        '        conn.execute(text("UPDATE attendance_mark SET minutes = 5 WHERE id = 1"))\n'
        '        conn.execute(text("INSERT INTO audit_entry (uid, at, actor, device, action,'
        " table_name, record_uid, old_values, new_values, result) VALUES ('u', '2026-01-01',"
        " 'a', 'd', 'x', 'attendance_mark', '', '', '', 'ok')\"))\n"
    )
    audited(engine)  # type: ignore[operator]
    with engine.begin() as conn:  # the test arranging data: not the application
        conn.execute(text("UPDATE candidate SET phone = '0613' WHERE id = 1"))
    assert watch.violations == []
    assert {"candidate", "attendance_mark", "assessment", "placement", "outflow"} <= (
        audited_tables()
    )
