"""Names: either name may be the only one; name keys filled for every stored enterprise

Revision ID: 0004_names
Revises: 0003
Create Date: 2026-11-27 22:30:00

"""

from alembic import op
import sqlalchemy as sa

from crm.enterprises.names import name_key


# revision identifiers, used by Alembic.
revision = "0004_names"
down_revision = "0003"
branch_labels = None
depends_on = None

HAS_A_NAME = "name IS NOT NULL OR local_name IS NOT NULL"


def upgrade():
    for table in ("enterprises", "contacts"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "name", existing_type=sa.String(length=200 if table == "enterprises" else 100), nullable=True
            )
            batch_op.create_check_constraint(op.f(f"ck_{table}_has_a_name"), HAS_A_NAME)
    with op.batch_alter_table("delegation_members", schema=None) as batch_op:
        batch_op.alter_column("name", existing_type=sa.String(length=100), nullable=True)
    _fill_name_keys()


def _fill_name_keys():
    """Rows written before the model kept the keys (the sample loader's, say) get them now."""
    enterprises = sa.table(
        "enterprises", *(sa.column(name) for name in ("id", "name", "local_name", "name_key", "local_name_key"))
    )
    bind = op.get_bind()
    for row in bind.execute(sa.select(enterprises.c.id, enterprises.c.name, enterprises.c.local_name)).all():
        bind.execute(
            enterprises.update()
            .where(enterprises.c.id == row.id)
            .values(name_key=name_key(row.name), local_name_key=name_key(row.local_name))
        )


def downgrade():
    # A record known only by its Chinese name gets that name in the English column too, so none is lost.
    for table in ("enterprises", "contacts", "delegation_members"):
        names = sa.table(table, sa.column("name"), sa.column("local_name"))
        op.execute(names.update().where(names.c.name.is_(None)).values(name=names.c.local_name))
    with op.batch_alter_table("delegation_members", schema=None) as batch_op:
        batch_op.alter_column("name", existing_type=sa.String(length=100), nullable=False)
    for table in ("contacts", "enterprises"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_has_a_name"), type_="check")
            batch_op.alter_column(
                "name", existing_type=sa.String(length=200 if table == "enterprises" else 100), nullable=False
            )
