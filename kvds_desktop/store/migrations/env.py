"""Alembic environment: migrations run on the connection the application hands over."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import kvds_desktop.store.models  # noqa: F401 - registers the tables

target_metadata = SQLModel.metadata


def run_migrations() -> None:
    """Run on the application's connection; batch mode lets SQLite alter tables."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("KVDS migrations run through kvds_desktop.store.migrate only")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
