"""Projects keep the furthest stage they reached and when they first landed, for the dashboards

The pipeline dashboard counted conversions and signings by looking up every project's stage history in
correlated sub-queries (about 120 ms at a zone's volume); two stored columns make them plain sums. Stale
projects look up the follow-ups added lately by an index of their own, and the enterprise and contact
lists read their default order (by display name) from an index instead of sorting every row, as the board
reads each column's first cards.

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
    op.create_index(
        'ix_investment_projects_board', 'investment_projects', ['deleted_at', 'status', 'stage', 'stage_entered_at']
    )
    display_name = sa.text("coalesce(local_name, name, '')")
    op.create_index('ix_enterprises_live_by_name', 'enterprises', ['deleted_at', display_name, 'id'])
    op.create_index('ix_contacts_live_by_name', 'contacts', ['deleted_at', display_name, 'id', 'enterprise_id'])


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
    op.drop_index('ix_follow_ups_created_at', table_name='follow_ups')
    for table in ('contacts', 'enterprises'):
        op.drop_index(f'ix_{table}_live_by_name', table_name=table)
    op.drop_index('ix_investment_projects_board', table_name='investment_projects')
    with op.batch_alter_table('investment_projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_investment_projects_landed_at'))
        batch_op.drop_index(batch_op.f('ix_investment_projects_furthest_stage'))
        batch_op.drop_column('landed_at')
        batch_op.drop_column('furthest_stage')
