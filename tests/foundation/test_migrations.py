"""The migrations build exactly the schema the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

import warnings
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from crm.core.words import is_word_table
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


def include_name(name, type_, parent_names) -> bool:
    return not (type_ == "table" and is_word_table(name))  # kept by their own migration (crm.core.words)


def _differences() -> list:
    # SQLite's reflection skips indexes on expressions (the lists' name indexes), and alembic then leaves them
    # out of the comparison: PostgreSQL's run compares them.
    with db.engine.connect() as connection, warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression-based index")
        opts = {"compare_type": True, "include_name": include_name}
        context = MigrationContext.configure(connection, opts=opts)
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


@pytest.mark.parametrize("migrated_app", list(_engines()), indirect=True)
def test_visits_stored_without_a_city_get_the_trips_one_city_or_the_enterprises(migrated_app):
    upgrade(revision="0003")
    stamp = {"at": datetime(2026, 3, 1)}
    with db.engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO enterprises (id, name, kind, city, is_sample, created_at, updated_at, version) "
                "VALUES (1, 'Huawei', 'company', 'Suzhou', false, :at, :at, 1)"
            ),
            stamp,
        )
        for trip_id, cities in ((1, "Shenzhen"), (2, "Wuxi, Hangzhou")):
            connection.execute(
                sa.text(
                    "INSERT INTO trips (id, title, start_on, end_on, destination_cities, status, is_sample, "
                    "created_at, updated_at, version) VALUES (:id, 'Mission', :start, :end, :cities, 'planned', "
                    "false, :at, :at, 1)"
                ),
                {"id": trip_id, "start": date(2026, 3, 23), "end": date(2026, 3, 24), "cities": cities, **stamp},
            )
        for visit_id, trip_id, city in ((1, 1, None), (2, 2, None), (3, None, None), (4, 1, "Dongguan")):
            connection.execute(
                sa.text(
                    "INSERT INTO visits (id, trip_id, enterprise_id, direction, visited_on, slot, city, is_sample, "
                    "created_at, updated_at, version) VALUES (:id, :trip, 1, 'outbound', :on, 'morning', :city, "
                    "false, :at, :at, 1)"
                ),
                {"id": visit_id, "trip": trip_id, "city": city, "on": date(2026, 3, 23), **stamp},
            )
    upgrade()
    with db.engine.connect() as connection:
        cities = dict(connection.execute(sa.text("SELECT id, city FROM visits")).all())
    assert cities == {1: "Shenzhen", 2: "Suzhou", 3: "Suzhou", 4: "Dongguan"}


def _store_enterprise(connection, enterprise_id: int, name: str, local_name: str | None = None) -> None:
    """An enterprise row as an older schema holds it (no models: they describe the newest)."""
    connection.execute(
        sa.text(
            "INSERT INTO enterprises (id, name, local_name, kind, is_sample, created_at, updated_at, version) "
            "VALUES (:id, :name, :local_name, 'company', false, :at, :at, 1)"
        ),
        {"id": enterprise_id, "name": name, "local_name": local_name, "at": datetime(2026, 3, 1)},
    )


@pytest.mark.parametrize("migrated_app", list(_engines()), indirect=True)
def test_projects_stored_before_0005_get_their_furthest_stage_and_signing_from_their_history(migrated_app):
    upgrade(revision="0004_bench")
    at = datetime(2026, 3, 1)
    with db.engine.begin() as connection:
        _store_enterprise(connection, 1, "Huawei")
        for project_id, stage in ((1, "negotiation"), (2, "lead")):
            connection.execute(
                sa.text(
                    "INSERT INTO investment_projects (id, name, code_name, is_confidential, enterprise_id, stage, "
                    "stage_entered_at, status, probability, is_sample, created_at, updated_at, version) VALUES "
                    "(:id, 'P', 'C', false, 1, :stage, :at, 'active', 10, false, :at, :at, 1)"
                ),
                {"id": project_id, "stage": stage, "at": at},
            )
        # Project 1 was signed on 3 March, then went back to negotiation; project 2 never moved.
        history = [(1, "lead", 1), (1, "signed", 3), (1, "construction", 5), (1, "negotiation", 7), (2, "lead", 1)]
        for project_id, stage, day in history:
            connection.execute(
                sa.text("INSERT INTO stage_changes (project_id, to_stage, changed_at) VALUES (:project, :stage, :at)"),
                {"project": project_id, "stage": stage, "at": datetime(2026, 3, day)},
            )
    upgrade()
    with db.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT id, furthest_stage, landed_at FROM investment_projects")).all()
    found = {row[0]: (row[1], row[2] if row[2] is None else str(row[2])[:10]) for row in rows}
    assert found == {1: ("construction", "2026-03-03"), 2: ("lead", None)}


@pytest.mark.parametrize("migrated_app", list(_engines()), indirect=True)
def test_records_stored_before_0007_are_found_by_their_words_after_it(migrated_app):
    from crm.core import words
    from crm.models import Enterprise

    upgrade(revision="0006_confidential")
    with db.engine.begin() as connection:
        _store_enterprise(connection, 1, "Suzhou Robotics", "苏州机器人")
        _store_enterprise(connection, 2, "Wuxi Chips")
    upgrade()
    assert db.session.scalars(words.matching_ids(Enterprise, "robot")).all() == [1]
    assert db.session.scalars(words.matching_ids(Enterprise, "机器")).all() == [1]
    assert db.session.scalars(words.matching_ids(Enterprise, "wuxi chips")).all() == [2]
    db.session.rollback()


@pytest.mark.parametrize("migrated_app", list(_engines()), indirect=True)
def test_words_indexed_before_0008_are_found_as_phrases_after_it_and_back(migrated_app):
    """0008 writes PostgreSQL's words again as pairs (SQLite's are left alone); its downgrade writes positions."""
    from crm.core import words
    from crm.models import Enterprise

    upgrade(revision="0007_words")
    with db.engine.begin() as connection:
        _store_enterprise(connection, 1, "Suzhou Robotics", "苏州机器人")
        if connection.dialect.name == "postgresql":  # as 0007 wrote them: positions, no pairs
            connection.execute(
                sa.text("INSERT INTO words_enterprises (record_id, words) VALUES (1, CAST(:text AS tsvector))"),
                {"text": "'suzhou':1 'robotics':2 '苏州':3 '州机':4 '机器':5 '器人':6 '人':7"},
            )
        else:
            words.write(connection, "enterprises", [(1, words.words_of(["Suzhou Robotics", "苏州机器人"]))])
    upgrade()
    assert db.session.scalars(words.matching_ids(Enterprise, "suzhou rob")).all() == [1]
    assert db.session.scalars(words.matching_ids(Enterprise, "苏州机器")).all() == [1]
    assert db.session.scalars(words.matching_ids(Enterprise, "robotics suzhou")).all() == []
    db.session.rollback()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            stored = connection.scalar(sa.text("SELECT words::text FROM words_enterprises WHERE record_id = 1"))
        assert "'suzhou_robotics'" in stored
        downgrade(revision="0007_words")
        with db.engine.connect() as connection:
            stored = connection.scalar(sa.text("SELECT words::text FROM words_enterprises WHERE record_id = 1"))
        assert "'suzhou':1" in stored and "_" not in stored
