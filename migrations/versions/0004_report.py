"""Trip reports: the texts only people write, the choice of meetings and photos, the sign-off and
the approved version as it was signed

Revision ID: 0004_report
Revises: 0003
Create Date: 2026-11-27 22:09:20.695395

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_report'
down_revision = '0004_ui'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('trip_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trip_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'approved', 'returned', name='reportstatus', native_enum=False, length=32), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('assessment', sa.Text(), nullable=True),
    sa.Column('recommendations', sa.Text(), nullable=True),
    sa.Column('meeting_choice', sa.JSON(), nullable=True),
    sa.Column('photo_choice', sa.JSON(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('return_comment', sa.Text(), nullable=True),
    sa.Column('approved_content', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_trip_reports_decided_by_id_users')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_trip_reports_submitted_by_id_users')),
    sa.ForeignKeyConstraint(['trip_id'], ['trips.id'], name=op.f('fk_trip_reports_trip_id_trips')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trip_reports')),
    sa.UniqueConstraint('trip_id', name=op.f('uq_trip_reports_trip_id'))
    )
    with op.batch_alter_table('trip_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trip_reports_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_trip_reports_status'), ['status'], unique=False)



def downgrade():
    with op.batch_alter_table('trip_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trip_reports_status'))
        batch_op.drop_index(batch_op.f('ix_trip_reports_deleted_at'))

    op.drop_table('trip_reports')
