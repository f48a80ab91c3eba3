"""The index of follow-ups by creation time also holds their project and deleted_at

The pipeline dashboard counts the stale projects: active ones with no visit or follow-up lately. The
follow-ups added lately were found by their creation time, then each row was read for its project and
deleted_at: 15,000 rows on 6,400 pages for a month of a province's follow-ups (12-24 ms on PostgreSQL).
With both in the index, the index alone answers.

Revision ID: 0011_follow_ups_added
Revises: 0010_member_units
"""
from alembic import op


revision = '0011_follow_ups_added'
down_revision = '0010_member_units'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_follow_ups_created_at', table_name='follow_ups')
    op.create_index('ix_follow_ups_added', 'follow_ups', ['created_at', 'project_id', 'deleted_at'])


def downgrade():
    op.drop_index('ix_follow_ups_added', table_name='follow_ups')
    op.create_index('ix_follow_ups_created_at', 'follow_ups', ['created_at'])
