"""Delegation members are indexed by account and then by id, newest last

Every trip page offers the accounts for its member form with the unit each person was last entered with:
one look-up per active account, newest membership first. With an index on the account alone, each look-up
read and sorted every trip the person had joined (7.6 ms for 300 accounts at a province's volume); with the
id beside the account it reads one entry.

Revision ID: 0010_member_units
Revises: 0009_board_cover
"""

from alembic import op


revision = "0010_member_units"
down_revision = "0009_board_cover"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("delegation_members") as batch_op:
        batch_op.drop_index("ix_delegation_members_user_id")
        batch_op.create_index("ix_delegation_members_user_latest", ["user_id", "id"])


def downgrade():
    with op.batch_alter_table("delegation_members") as batch_op:
        batch_op.drop_index("ix_delegation_members_user_latest")
        batch_op.create_index("ix_delegation_members_user_id", ["user_id"])
