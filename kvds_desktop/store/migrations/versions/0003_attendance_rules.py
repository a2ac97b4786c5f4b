"""absence signal rules per municipality and the signals sent

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('signal_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('municipality', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('threshold', sa.Float(), nullable=False),
    sa.Column('min_lessons', sa.Integer(), nullable=False),
    sa.Column('window_weeks', sa.Integer(), nullable=False),
    sa.Column('max_repeats', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uid')
    )
    op.create_table('signal_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=False),
    sa.Column('period_key', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('fired_on', sa.Date(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.Column('sent_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('klantmanager_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], ),
    sa.ForeignKeyConstraint(['klantmanager_id'], ['klantmanager.id'], ),
    sa.ForeignKeyConstraint(['rule_id'], ['signal_rule.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('candidate_id', 'rule_id', 'period_key', name='uq_signal_sent'),
    sa.UniqueConstraint('uid')
    )
    with op.batch_alter_table('signal_sent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signal_sent_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signal_sent_rule_id'), ['rule_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('signal_sent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signal_sent_rule_id'))
        batch_op.drop_index(batch_op.f('ix_signal_sent_candidate_id'))

    op.drop_table('signal_sent')
    op.drop_table('signal_rule')
