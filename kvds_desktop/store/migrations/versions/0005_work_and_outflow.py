"""work and outflow

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('organisation_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('contact_date', sa.Date(), nullable=False),
    sa.Column('by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('with_whom', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uid')
    )
    with op.batch_alter_table('organisation_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_contact_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('employer_consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], ),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uid')
    )
    with op.batch_alter_table('employer_consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employer_consent_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employer_consent_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('ladder_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('measured_on', sa.Date(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uid')
    )
    with op.batch_alter_table('ladder_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ladder_step_candidate_id'), ['candidate_id'], unique=False)

    op.create_table('match_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('decision', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], ),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uid')
    )
    with op.batch_alter_table('match_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_decision_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_decision_opportunity_id'), ['opportunity_id'], unique=False)

    op.create_table('placement_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('stage', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('step_date', sa.Date(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.ForeignKeyConstraint(['placement_id'], ['placement.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uid')
    )
    with op.batch_alter_table('placement_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placement_step_placement_id'), ['placement_id'], unique=False)

    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('skill_levels', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False,
                                      server_default=sa.text("''")))
        batch_op.add_column(sa.Column('certificates', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False,
                                      server_default=sa.text("''")))
        batch_op.add_column(sa.Column('physical_work', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default=sa.text("''")))

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False,
                                      server_default=sa.text("'werkgever'")))
        batch_op.add_column(sa.Column('active', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))

    with op.batch_alter_table('outflow_follow_up', schema=None) as batch_op:
        batch_op.add_column(sa.Column('benefit', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False,
                                      server_default=sa.text("''")))

    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stage', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False,
                                      server_default=sa.text("'geplaatst'")))



def downgrade() -> None:
    with op.batch_alter_table('outflow_follow_up', schema=None) as batch_op:
        batch_op.drop_column('benefit')

    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.drop_column('stage')

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('active')
        batch_op.drop_column('kind')

    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.drop_column('description')
        batch_op.drop_column('physical_work')
        batch_op.drop_column('certificates')
        batch_op.drop_column('skill_levels')

    with op.batch_alter_table('placement_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placement_step_placement_id'))

    op.drop_table('placement_step')
    with op.batch_alter_table('match_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_decision_opportunity_id'))
        batch_op.drop_index(batch_op.f('ix_match_decision_candidate_id'))

    op.drop_table('match_decision')
    with op.batch_alter_table('ladder_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ladder_step_candidate_id'))

    op.drop_table('ladder_step')
    with op.batch_alter_table('employer_consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employer_consent_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_employer_consent_candidate_id'))

    op.drop_table('employer_consent')
    with op.batch_alter_table('organisation_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_contact_organisation_id'))

    op.drop_table('organisation_contact')
