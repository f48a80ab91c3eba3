"""The migrations build exactly the schema the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from crm.extensions import db
from crm.sectors.taxonomy import default_sector_rows
from tests.conftest import POSTGRES_URL, build_app

MIGRATION_SCHEMA = "crm_migration_check"


def _engines():
    yield pytest.param({"DATABASE_URL": "sqlite:///migrated.sqlite"}, id="sqlite")
    yield pytest.param(
        {
            "DATABASE_URL": POSTGRES_URL,
            # A schema of its own, so that this test does not disturb the one the suite runs on.
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={MIGRATION_SCHEMA}"}},
        },
        id="postgresql",
        marks=pytest.mark.skipif(not POSTGRES_URL, reason="CRM_TEST_DATABASE_URL is not set"),
    )


def _differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def _tables() -> set[str]:
    with db.engine.connect() as connection:
        return set(sa.inspect(connection).get_table_names())


@pytest.fixture
def migrated_app(tmp_path, request):
    settings = request.param
    app = build_app(tmp_path, **settings)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {MIGRATION_SCHEMA} CASCADE")
                connection.exec_driver_sql(f"CREATE SCHEMA {MIGRATION_SCHEMA}")
        yield app
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {MIGRATION_SCHEMA} CASCADE")
        db.engine.dispose()


@pytest.mark.parametrize("migrated_app", list(_engines()), indirect=True)
def test_migrations_match_the_models_and_survive_downgrade_and_upgrade(migrated_app):
    upgrade()
    assert _differences() == []
    assert _tables() >= {table.name for table in db.metadata.sorted_tables}
    with db.engine.connect() as connection:
        sectors = connection.execute(sa.text("SELECT code, name_en, name_zh FROM sectors ORDER BY id")).all()
    assert [tuple(row) for row in sectors] == [
        (row["code"], row["name_en"], row["name_zh"]) for row in default_sector_rows()
    ]

    downgrade(revision="base")
    assert _tables() <= {"alembic_version"}

    upgrade()
    assert _differences() == []
    # After the taxonomy, new sectors get fresh ids (PostgreSQL's sequence was moved past the seeded ones).
    with db.engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO sectors (code, name_en, name_zh, position, active) "
                "VALUES ('marine-economy', 'Marine economy', '海洋经济', 99, true)"
            )
        )


def test_the_taxonomy_covers_the_seed_trip_and_a_high_tech_zone_in_both_languages():
    rows = default_sector_rows()
    top = {row["code"] for row in rows if row["parent_id"] is None}
    assert {
        "artificial-intelligence",
        "blockchain",
        "digital-city",
        "digital-economy",
        "advanced-manufacturing",
        "automotive",
        "integrated-circuits",
        "biomedicine",
        "new-energy",
        "new-materials",
        "education",
        "modern-services",
    } <= top
    assert all(row["name_en"] and row["name_zh"] for row in rows)
    assert len({row["code"] for row in rows}) == len(rows)
