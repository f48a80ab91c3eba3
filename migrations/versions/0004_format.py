"""Titles in Chinese: a trip's and a project's local_title, shown in the Chinese interface

Revision ID: 0004_format
Revises: 0003
Create Date: 2026-11-27 22:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_format'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('trips', schema=None) as batch_op:
        batch_op.add_column(sa.Column('local_title', sa.String(length=200), nullable=True))
    with op.batch_alter_table('investment_projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('local_title', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('investment_projects', schema=None) as batch_op:
        batch_op.drop_column('local_title')
    with op.batch_alter_table('trips', schema=None) as batch_op:
        batch_op.drop_column('local_title')
