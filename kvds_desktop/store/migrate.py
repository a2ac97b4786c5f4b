"""Schema versions: alembic migrations shipped inside the package, run at start."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData, inspect
from sqlmodel import SQLModel

import kvds_desktop.store.models  # noqa: F401 - registers every table on the metadata

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
METADATA: MetaData = SQLModel.metadata


def alembic_config(connection: Connection | None = None) -> Config:
    """An alembic configuration that runs on ``connection`` (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def script_directory() -> ScriptDirectory:
    """The migrations this version of the application knows."""
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The schema version this application writes."""
    head = script_directory().get_current_head()
    assert head is not None, "no migrations shipped"
    return head


def current_revision(connection: Connection) -> str | None:
    """The schema version stored in the database (None for a new, empty file)."""
    return MigrationContext.configure(connection).get_current_revision()


def is_known_revision(revision: str) -> bool:
    """Whether this application knows ``revision`` (False: written by a newer version)."""
    return any(script.revision == revision for script in script_directory().walk_revisions())


def has_user_tables(connection: Connection) -> bool:
    """Whether the file already holds tables (of any program)."""
    return bool(inspect(connection).get_table_names())


def upgrade(connection: Connection) -> None:
    """Bring the schema to the newest version inside the caller's transaction."""
    command.upgrade(alembic_config(connection), "head")
