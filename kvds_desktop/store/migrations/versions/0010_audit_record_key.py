"""audit record key: room for a record and its week

The printed week overviews are audited as ``<group uid>/2026-W49`` (45 characters),
more than the 36 of a plain uid. SQLite never checked the length; PostgreSQL does.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlmodel
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.alter_column('record_uid',
               existing_type=sqlmodel.sql.sqltypes.AutoString(length=36),
               type_=sqlmodel.sql.sqltypes.AutoString(length=80),
               existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.alter_column('record_uid',
               existing_type=sqlmodel.sql.sqltypes.AutoString(length=80),
               type_=sqlmodel.sql.sqltypes.AutoString(length=36),
               existing_nullable=False)
