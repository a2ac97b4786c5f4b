"""A server database made by an older version is brought to this version's schema.

The saved SQLite files (test_upgrades.py) prove each migration on a file; here the same
migrations run on PostgreSQL from every older revision, with a row of data written at
that revision, which must come through.
"""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from kvds_desktop.store import migrate
from kvds_desktop.store.database import Database

OLDER = [s.revision for s in reversed(list(migrate.script_directory().walk_revisions()))][:-1]


@pytest.mark.parametrize("revision", OLDER)
def test_a_server_database_at_an_older_schema_is_upgraded_with_its_rows(
    revision: str, pg_url: str
) -> None:
    engine = create_engine(pg_url)
    try:
        with engine.begin() as conn:  # the template is at the newest schema: start anew
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
            command.upgrade(migrate.alembic_config(conn), revision)
            conn.execute(
                text(
                    "INSERT INTO candidate (uid, klantnummer, voornamen, tussenvoegsel, "
                    "achternaam, gender, nationality, phone, email, address, postcode, city, "
                    "municipality, law, doelgroep, lbt_outcome, status, aandachtspunten, "
                    "registration_date, created_at, updated_at) VALUES ("
                    "'6d1f2c1e-0000-4000-8000-000000000001', "
                    "'K1', 'Amal', '', 'Haddad', 'v', '', '', '', '', '', '', 'Druten', "
                    "'wi2021', 'statushouder', '', 'aangemeld', '', '2019-03-01', now(), now())"
                )
            )
    finally:
        engine.dispose()
    db = Database.connect(pg_url)
    try:
        assert db.report.migrated_from == revision
        assert db.schema_version() == migrate.head_revision()
        with db.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
            name = conn.execute(text("SELECT achternaam FROM candidate")).scalar_one()
        assert name == "Haddad"
    finally:
        db.close()
