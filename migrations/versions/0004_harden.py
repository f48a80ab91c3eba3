"""Delegation members are removed by soft delete (a manager can restore them) and carry a version

Revision ID: 0004_harden
Revises: 0003
Create Date: 2026-11-27 22:30:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0004_harden'
down_revision = '0004_format'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('delegation_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.create_index(batch_op.f('ix_delegation_members_deleted_at'), ['deleted_at'], unique=False)


def downgrade():
    with op.batch_alter_table('delegation_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delegation_members_deleted_at'))
        batch_op.drop_column('version')
        batch_op.drop_column('deleted_at')
