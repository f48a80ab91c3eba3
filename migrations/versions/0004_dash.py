"""The year's targets, for the bureau and per officer

Revision ID: 0004_dash
Revises: 0003
Create Date: 2026-11-27 22:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_dash'
down_revision = '0004_report'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'targets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('officer_id', sa.Integer(), nullable=True),
        sa.Column('projects_signed', sa.Integer(), nullable=True),
        sa.Column('investment_signed', sa.Numeric(precision=16, scale=2), nullable=True),
        sa.Column('capital_in_place', sa.Numeric(precision=16, scale=2), nullable=True),
        sa.Column('jobs', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('year BETWEEN 2000 AND 2100', name=op.f('ck_targets_plausible_year')),
        sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_targets_officer_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_targets')),
        sa.UniqueConstraint('year', 'officer_id', name=op.f('uq_targets_year')),
    )
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_targets_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_targets_year'), ['year'], unique=False)


def downgrade():
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_targets_year'))
        batch_op.drop_index(batch_op.f('ix_targets_officer_id'))
    op.drop_table('targets')
