"""offline teachers: database identity, packs sent, mark facts and conflicts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""
from __future__ import annotations

from collections.abc import Sequence

import uuid

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('database_info',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('mark_fact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('lesson_uid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('candidate_uid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('source_key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('source_label', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('device_id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('pack_uid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('file_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('status_code', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('imported_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uid')
    )
    with op.batch_alter_table('mark_fact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mark_fact_candidate_uid'), ['candidate_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_mark_fact_lesson_uid'), ['lesson_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_mark_fact_pack_uid'), ['pack_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_mark_fact_source_key'), ['source_key'], unique=False)

    op.create_table('sent_pack',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('teacher_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('group_names', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.Column('week', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('lesson_uids', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uid')
    )
    op.create_table('mark_conflict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('claims_json', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('opened_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('resolved_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('resolved_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('kept', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], ),
    sa.ForeignKeyConstraint(['lesson_id'], ['lesson.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('lesson_id', 'candidate_id', name='uq_conflict_lesson_cand'),
    sa.UniqueConstraint('uid')
    )
    with op.batch_alter_table('mark_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mark_conflict_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mark_conflict_lesson_id'), ['lesson_id'], unique=False)

    with op.batch_alter_table('attendance_mark', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sqlmodel.sql.sqltypes.AutoString(length=10),
                                      nullable=False, server_default='local'))
    # Every database gets its own identity, so a pack from another file is recognised.
    op.execute(sa.text("INSERT INTO database_info (key, value) VALUES ('database_uid', :uid)")
               .bindparams(uid=str(uuid.uuid4())))
    op.execute(sa.text("INSERT INTO database_info (key, value) VALUES ('role', 'coordinator')"))



def downgrade() -> None:
    with op.batch_alter_table('attendance_mark', schema=None) as batch_op:
        batch_op.drop_column('origin')

    with op.batch_alter_table('mark_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mark_conflict_lesson_id'))
        batch_op.drop_index(batch_op.f('ix_mark_conflict_candidate_id'))

    op.drop_table('mark_conflict')
    op.drop_table('sent_pack')
    with op.batch_alter_table('mark_fact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mark_fact_source_key'))
        batch_op.drop_index(batch_op.f('ix_mark_fact_pack_uid'))
        batch_op.drop_index(batch_op.f('ix_mark_fact_lesson_uid'))
        batch_op.drop_index(batch_op.f('ix_mark_fact_candidate_uid'))

    op.drop_table('mark_fact')
    op.drop_table('database_info')
