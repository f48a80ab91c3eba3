"""Projects keep the furthest stage they reached and when they first landed, for the dashboards

The pipeline dashboard counted conversions and signings by looking up every project's stage history in
correlated sub-queries (about 120 ms at a zone's volume); two stored columns make them plain sums. Stale
projects look up the follow-ups added lately by an index of their own. The lists' indexes of live rows become
partial indexes (WHERE deleted_at IS NULL), which PostgreSQL, too, can read in order; the enterprise and
contact lists get one for their default order (by display name), the board one for each column's first cards.
The index of every row's deleted_at (nearly all NULL) gives way to one of the deleted rows alone, for the
managers' "show deleted": it only drew SQLite away from the ordered indexes.

Revision ID: 0005_reached
Revises: 0004_bench
"""
import sqlalchemy as sa
from alembic import op


revision = '0005_reached'
down_revision = '0004_bench'
branch_labels = None
depends_on = None

STAGES = ['lead', 'assessment', 'negotiation', 'signed', 'construction', 'capital_in_place', 'in_production']
LANDED = STAGES[STAGES.index('signed'):]

# The lists' indexes of live rows: partial indexes (WHERE deleted_at IS NULL) rather than deleted_at first,
# which PostgreSQL cannot read in order (see crm.core.models.live_index).
LIVE = 'deleted_at IS NULL'
DISPLAY_NAME = sa.text("coalesce(local_name, name, '')")
# Tables with soft delete: their index of every row's deleted_at gives way to one of the deleted rows alone.
SOFT_DELETED = [
    'enterprises', 'trips', 'contacts', 'delegation_members', 'investment_projects', 'trip_reports', 'visits',
    'attachments', 'follow_ups',
]
OLD_LIVE_INDEXES = [  # as 0004_bench made them
    ('visits', 'ix_visits_live_by_date', ['deleted_at', 'visited_on', 'id']),
    ('visits', 'ix_visits_enterprise_live', ['enterprise_id', 'deleted_at', 'visited_on']),
    ('follow_ups', 'ix_follow_ups_live_by_due', ['deleted_at', 'due_on', 'id']),
    ('investment_projects', 'ix_investment_projects_live_updated', ['deleted_at', 'updated_at']),
    ('visits', 'ix_visits_trip_live', ['trip_id', 'deleted_at']),
    ('follow_ups', 'ix_follow_ups_owner_open', ['owner_id', 'deleted_at', 'done_at', 'due_on']),
    ('follow_ups', 'ix_follow_ups_open_by_due', ['deleted_at', 'done_at', 'due_on']),
    ('follow_ups', 'ix_follow_ups_project_done', ['project_id', 'deleted_at', 'done_at']),
]
LIVE_INDEXES = [
    ('visits', 'ix_visits_live_by_date', ['visited_on', 'id']),
    ('visits', 'ix_visits_enterprise_live', ['enterprise_id', 'visited_on']),
    ('follow_ups', 'ix_follow_ups_live_by_due', ['due_on', 'id']),
    ('investment_projects', 'ix_investment_projects_live_updated', ['updated_at']),
    ('investment_projects', 'ix_investment_projects_live_created', ['created_at']),
    ('investment_projects', 'ix_investment_projects_board', ['status', 'stage', 'stage_entered_at']),
    ('enterprises', 'ix_enterprises_live_by_name', [DISPLAY_NAME, 'id']),
    ('contacts', 'ix_contacts_live_by_name', [DISPLAY_NAME, 'id', 'enterprise_id']),
    ('visits', 'ix_visits_trip_live', ['trip_id']),
    ('trips', 'ix_trips_live_by_start', ['start_on', 'id']),
    ('follow_ups', 'ix_follow_ups_owner_done', ['owner_id', 'done_at']),
    ('follow_ups', 'ix_follow_ups_open_by_due', ['done_at', 'due_on']),
    ('follow_ups', 'ix_follow_ups_project_done', ['project_id', 'done_at']),
]


def upgrade():
    with op.batch_alter_table('investment_projects', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('furthest_stage', sa.String(length=32), nullable=False, server_default='lead')
        )
        batch_op.add_column(sa.Column('landed_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_investment_projects_furthest_stage'), ['furthest_stage'], unique=False)
        batch_op.create_index(batch_op.f('ix_investment_projects_landed_at'), ['landed_at'], unique=False)
    _fill()
    op.create_index('ix_follow_ups_created_at', 'follow_ups', ['created_at'])
    for table, name, _columns in OLD_LIVE_INDEXES:
        op.drop_index(name, table_name=table)
    for table, name, columns in LIVE_INDEXES:
        op.create_index(name, table, columns, postgresql_where=sa.text(LIVE), sqlite_where=sa.text(LIVE))
    open_ones = sa.text(LIVE + ' AND done_at IS NULL')
    op.create_index(
        'ix_follow_ups_owner_open', 'follow_ups', ['owner_id', 'due_on', 'id'],
        postgresql_where=open_ones, sqlite_where=open_ones,
    )
    deleted = sa.text('deleted_at IS NOT NULL')
    for table in SOFT_DELETED:
        op.drop_index(f'ix_{table}_deleted_at', table_name=table)
        op.create_index(f'ix_{table}_deleted', table, ['deleted_at'], postgresql_where=deleted, sqlite_where=deleted)


def _fill():
    order = ' '.join(f"WHEN '{stage}' THEN {number}" for number, stage in enumerate(STAGES))
    landed = ', '.join(f"'{stage}'" for stage in LANDED)
    op.execute(
        "UPDATE investment_projects SET "
        "landed_at = (SELECT min(c.changed_at) FROM stage_changes c "
        f"  WHERE c.project_id = investment_projects.id AND c.to_stage IN ({landed})), "
        "furthest_stage = coalesce((SELECT c.to_stage FROM stage_changes c "
        "  WHERE c.project_id = investment_projects.id "
        f"  ORDER BY CASE c.to_stage {order} END DESC LIMIT 1), stage)"
    )


def downgrade():
    for table in SOFT_DELETED:
        op.drop_index(f'ix_{table}_deleted', table_name=table)
        op.create_index(f'ix_{table}_deleted_at', table, ['deleted_at'])
    op.drop_index('ix_follow_ups_created_at', table_name='follow_ups')
    op.drop_index('ix_follow_ups_owner_open', table_name='follow_ups')
    for table, name, _columns in reversed(LIVE_INDEXES):
        op.drop_index(name, table_name=table)
    for table, name, columns in OLD_LIVE_INDEXES:
        op.create_index(name, table, columns)
    with op.batch_alter_table('investment_projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_investment_projects_landed_at'))
        batch_op.drop_index(batch_op.f('ix_investment_projects_furthest_stage'))
        batch_op.drop_column('landed_at')
        batch_op.drop_column('furthest_stage')
