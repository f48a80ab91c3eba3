"""Indexes for the lists at a zone's volume: live rows in the order each list reads them

Revision ID: 0004_bench
Revises: 0003
"""
from alembic import op


revision = '0004_bench'
down_revision = '0004_names'
branch_labels = None
depends_on = None

INDEXES = [
    ('visits', 'ix_visits_live_by_date', ['deleted_at', 'visited_on', 'id']),
    ('visits', 'ix_visits_enterprise_live', ['enterprise_id', 'deleted_at', 'visited_on']),
    ('visits', 'ix_visits_trip_live', ['trip_id', 'deleted_at']),
    ('follow_ups', 'ix_follow_ups_owner_open', ['owner_id', 'deleted_at', 'done_at', 'due_on']),
    ('follow_ups', 'ix_follow_ups_live_by_due', ['deleted_at', 'due_on', 'id']),
    ('investment_projects', 'ix_investment_projects_live_updated', ['deleted_at', 'updated_at']),
    ('follow_ups', 'ix_follow_ups_open_by_due', ['deleted_at', 'done_at', 'due_on']),
    ('follow_ups', 'ix_follow_ups_project_done', ['project_id', 'deleted_at', 'done_at']),
    ('stage_changes', 'ix_stage_changes_project_stage', ['project_id', 'to_stage', 'changed_at']),
]


def upgrade():
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for table, name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
