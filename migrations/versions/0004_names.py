"""Names: either name may be the only one; name keys for every stored enterprise; search keys (pinyin,
initials, words), enterprise aliases, and the parent group as an enterprise

Revision ID: 0004_names
Revises: 0003
Create Date: 2026-11-27 22:30:00

"""

from alembic import op
import sqlalchemy as sa

from crm.core.searchkeys import keys_for, rank_of
from crm.core.time import utcnow
from crm.enterprises.names import has_chinese, name_key


# revision identifiers, used by Alembic.
revision = "0004_names"
down_revision = "0004_dash"
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

    op.create_table(
        "search_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_type", sa.String(length=30), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("rank", sa.SmallInteger(), nullable=False),
        sa.Column(
            "key",
            sa.String(length=200).with_variant(sa.String(length=200, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_keys")),
    )
    with op.batch_alter_table("search_keys", schema=None) as batch_op:
        batch_op.create_index("ix_search_keys_lookup", ["record_type", "key"], unique=False)
        batch_op.create_index("ix_search_keys_record", ["record_type", "record_id"], unique=False)

    op.create_table(
        "enterprise_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["enterprises.id"], name=op.f("fk_enterprise_aliases_enterprise_id_enterprises")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise_aliases")),
    )
    with op.batch_alter_table("enterprise_aliases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enterprise_aliases_enterprise_id"), ["enterprise_id"], unique=False)

    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_enterprises_parent_id"), ["parent_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_enterprises_parent_id_enterprises"), "enterprises", ["parent_id"], ["id"]
        )
    _groups_become_enterprises()
    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.drop_column("parent_group")
    _fill_search_keys()


def _groups_become_enterprises():
    """Each parent group typed as text becomes a link to the enterprise of that name: the one on file (same
    name in either script, legal suffixes ignored), else a new one with that name, owned by the member's
    owner, and sample if the member is."""
    columns = ("id", "name", "local_name", "name_key", "local_name_key", "parent_group", "parent_id", "owner_id",
               "is_sample", "kind", "country", "created_at", "updated_at", "version")  # fmt: skip
    enterprises = sa.table("enterprises", *(sa.column(name) for name in columns))
    bind = op.get_bind()
    by_key = {}
    for row in bind.execute(sa.select(enterprises.c.id, enterprises.c.name_key, enterprises.c.local_name_key)):
        for key in (row.name_key, row.local_name_key):
            if key:
                by_key.setdefault(key, row.id)
    members = bind.execute(sa.select(enterprises).where(enterprises.c.parent_group.is_not(None))).all()
    for member in members:
        text = member.parent_group.strip()
        key = name_key(text)
        if not key:
            continue
        group_id = by_key.get(key)
        if group_id is None or group_id == member.id:
            now = utcnow().replace(tzinfo=None)  # stored as naive UTC, as UTCDateTime does
            column = "local_name" if has_chinese(text) else "name"
            values = {column: text, f"{column}_key": key, "kind": "company", "owner_id": member.owner_id,
                      "is_sample": member.is_sample, "country": member.country, "created_at": now,
                      "updated_at": now, "version": 1}  # fmt: skip
            group_id = bind.execute(enterprises.insert().values(**values).returning(enterprises.c.id)).scalar_one()
            by_key[key] = group_id
        bind.execute(enterprises.update().where(enterprises.c.id == member.id).values(parent_id=group_id))


SEARCHABLE = {
    "enterprises": ("name", "local_name"),
    "contacts": ("name", "local_name"),
    "trips": ("title",),
    "investment_projects": ("name", "code_name"),
    "follow_ups": ("title",),
}


def _fill_search_keys():
    """Keys for every record stored before search keys existed (the models keep them from now on)."""
    bind = op.get_bind()
    keys = sa.table("search_keys", *(sa.column(name) for name in ("record_type", "record_id", "field", "kind",
                                                                  "rank", "key")))  # fmt: skip
    parents = sa.text(
        "SELECT p.name, p.local_name FROM enterprises e JOIN enterprises p ON p.id = e.parent_id WHERE e.id = :id"
    )
    for table_name, fields in SEARCHABLE.items():
        table = sa.table(table_name, sa.column("id"), *(sa.column(field) for field in fields))
        for row in bind.execute(sa.select(table)).all():
            named = [(field, getattr(row, field)) for field in fields]
            parent = bind.execute(parents, {"id": row.id}).first() if table_name == "enterprises" else None
            if parent is not None:
                named += [("group", parent.name), ("group", parent.local_name)]
            rows = [
                {"record_type": table_name, "record_id": row.id, "field": field, "kind": kind, "key": key,
                 "rank": rank_of(field, kind)}
                for field, text in named
                for kind, key in keys_for(field, text)
            ]  # fmt: skip
            if rows:
                bind.execute(keys.insert(), rows)


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
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_group', sa.String(length=200), nullable=True))
    op.execute("UPDATE enterprises SET parent_group = (SELECT COALESCE(p.name, p.local_name) FROM enterprises p "
               "WHERE p.id = enterprises.parent_id)")
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_enterprises_parent_id_enterprises'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_enterprises_parent_id'))
        batch_op.drop_column('parent_id')
    with op.batch_alter_table('enterprise_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_aliases_enterprise_id'))
    op.drop_table('enterprise_aliases')
    with op.batch_alter_table('search_keys', schema=None) as batch_op:
        batch_op.drop_index('ix_search_keys_record')
        batch_op.drop_index('ix_search_keys_lookup')
    op.drop_table('search_keys')

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
