"""import baselines, mappings, duplicate decisions, merged candidates

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('import_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('mapping_json', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('import_baseline',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('field', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('imported_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('candidate_id', 'field', name='uq_baseline_cand_field')
    )
    op.create_table('not_duplicate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_a_id', sa.Integer(), nullable=False),
    sa.Column('candidate_b_id', sa.Integer(), nullable=False),
    sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_a_id'], ['candidate.id'], ),
    sa.ForeignKeyConstraint(['candidate_b_id'], ['candidate.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('candidate_a_id', 'candidate_b_id', name='uq_not_dup')
    )
    # SQLite adds a column with a REFERENCES clause in place (no table copy needed).
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE candidate ADD COLUMN merged_into_id INTEGER REFERENCES candidate (id)")
    else:
        op.add_column('candidate', sa.Column('merged_into_id', sa.Integer(), nullable=True))
        op.create_foreign_key(
            'fk_candidate_merged_into', 'candidate', 'candidate', ['merged_into_id'], ['id']
        )



def downgrade() -> None:
    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.drop_column('merged_into_id')

    op.drop_table('not_duplicate')
    op.drop_table('import_baseline')
    op.drop_table('import_mapping')
