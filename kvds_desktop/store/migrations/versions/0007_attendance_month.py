"""attendance month summary, latest level index

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from kvds_desktop.store import summaries

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('attendance_month',
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('status_id', sa.Integer(), nullable=False),
    sa.Column('month', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('marks', sa.Integer(), nullable=False),
    sa.Column('offered_minutes', sa.Integer(), nullable=False),
    sa.Column('short_minutes', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('candidate_id', 'status_id', 'month'),
    sqlite_with_rowid=False,
    )
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index('ix_assessment_latest', ['candidate_id', 'skill', 'assessed_on'], unique=False)
    conn = op.get_bind()
    summaries.rebuild_attendance_months(conn)
    summaries.create_triggers(conn)


def downgrade() -> None:
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index('ix_assessment_latest')
    summaries.drop_triggers(op.get_bind())
    op.drop_table('attendance_month')
