"""The flask commands: users create, demo load, backup."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from crm.accounts.models import User
from crm.core.audit import AuditAction, AuditEvent
from crm.core.roles import Role
from crm.extensions import db
from crm.followups.models import FollowUp
from crm.models import Enterprise, InvestmentProject, StageChange, Trip, Visit
from tests.conftest import PASSWORD, build_app, count_rows, login, text_of


def test_users_create_with_a_password_for_scripts(app):
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "Li@Zone.test",
            "--name",
            "Li Na",
            "--role",
            "manager",
            "--password",
            PASSWORD,
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "li@zone.test"))
    assert user.role is Role.MANAGER and user.name == "Li Na"
    created = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == AuditAction.CREATE, AuditEvent.entity_type == "users")
    )
    assert created.actor == "system (flask users create)"
    assert created.changes["password_hash"][1] == "***"


def test_users_create_asks_for_the_password_twice(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--email", "a@zone.test", "--name", "A"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(User.role).where(User.email == "a@zone.test")) is Role.OFFICER


@pytest.mark.parametrize(
    "args, message",
    [
        (["--password", "short"], "Use at least 12 characters."),
        (["--password", "password1234"], "too common"),
        (["--password", PASSWORD, "--role", "boss"], "Invalid value for '--role'"),
    ],
)
def test_users_create_refuses_bad_input(app, args, message):
    result = app.test_cli_runner().invoke(args=["users", "create", "--email", "b@zone.test", "--name", "B", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_users_create_refuses_a_duplicate_email(app, make_user):
    make_user(email="dup@zone.test")
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--email", "DUP@zone.test", "--name", "C", "--password", PASSWORD]
    )
    assert result.exit_code != 0 and "already exists" in result.output


def test_demo_load_says_exactly_what_it_needs(app, make_user):
    make_user(Role.OFFICER)  # an officer alone may not own the sample for everyone
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code != 0
    assert "need an active administrator or manager" in result.output and "--officers" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Trip)) == 0


def test_demo_load_uses_the_first_manager_when_there_is_no_administrator(app, make_user):
    make_user(Role.OFFICER)
    manager = make_user(Role.MANAGER)
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(Trip)).organiser_id == manager.id


def test_users_create_takes_the_chinese_name_title_and_language(app):
    result = app.test_cli_runner().invoke(
        args=[
            *("users", "create", "--email", "li.wei@zone.test", "--name", "Li Wei", "--local-name", "李伟"),
            *("--title", "招商专员", "--language", "zh", "--password", PASSWORD),
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "li.wei@zone.test"))
    assert (user.local_name, user.title, user.locale, user.display_name) == ("李伟", "招商专员", "zh", "李伟")


def test_demo_load_builds_the_seed_trip_once(app, make_user, client):
    admin = make_user(Role.ADMIN, name="Wang Fang")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    counts = count_rows()
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0 and "already loaded" in second.output
    assert count_rows() == counts

    trip = db.session.scalar(sa.select(Trip))
    assert trip.is_sample and trip.cities == ["Wuxi", "Suzhou", "Hangzhou"]
    assert (trip.start_on.month, trip.start_on.day, trip.end_on.day) == (3, 23, 26)
    assert {sector.code for sector in trip.sectors} == {
        "digital-city",
        "digital-economy",
        "artificial-intelligence",
        "blockchain",
    }
    assert trip.leader.name == "Li Hongyan" and "Director" in trip.leader.title
    visits = db.session.scalars(sa.select(Visit).order_by(Visit.visited_on, Visit.id)).all()
    assert [(visit.enterprise.city, visit.enterprise.name) for visit in visits] == [
        ("Wuxi", "Bosch Automotive Diesel Systems Co., Ltd."),
        ("Suzhou", "Dulwich International High School Suzhou"),
        ("Suzhou", "Huawei Suzhou Industrial Park"),
        ("Suzhou", "Smart City Operation and Management Center of Suzhou Industrial Park"),
        ("Hangzhou", "Hangzhou City Brain Operation Command Center"),
    ]
    assert all(trip.start_on <= visit.visited_on <= trip.end_on for visit in visits)
    assert all(
        record.is_sample
        for model in (Enterprise, Visit, InvestmentProject, FollowUp)
        for record in db.session.scalars(sa.select(model))
    )
    projects = db.session.scalars(sa.select(InvestmentProject)).all()
    assert projects and all(project.origin_visits for project in projects)
    assert any(project.is_confidential for project in projects)
    # Every project's history starts with its opening and ends at its current stage.
    for project in projects:
        changes = db.session.scalars(
            sa.select(StageChange).where(StageChange.project_id == project.id).order_by(StageChange.id)
        ).all()
        assert changes[0].from_stage is None and changes[-1].to_stage == project.stage
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(FollowUp)
            .where(FollowUp.owner_id == admin.id, FollowUp.done_at.is_(None))
        )
        >= 3
    )

    login(client, admin.email)
    home = text_of(client.get("/"))
    assert "Investment promotion mission to Wuxi, Suzhou and Hangzhou" in home
    assert "Sample" in home


def test_backup_is_a_consistent_copy_with_the_same_row_counts(tmp_path, make_user):
    app = build_app(tmp_path, DATABASE_URL="sqlite:///crm.sqlite")
    with app.app_context():
        db.create_all()
        from crm.sectors.taxonomy import insert_default_sectors

        with db.engine.begin() as connection:
            insert_default_sectors(connection)
        make_user(Role.ADMIN)
        assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
        expected = count_rows()
        # The app keeps a connection open, as a running server would.
        db.session.execute(sa.select(Trip)).all()
        target = tmp_path / "backup.sqlite"
        result = app.test_cli_runner().invoke(args=["backup", str(target)])
        assert result.exit_code == 0, result.output
        db.session.remove()
        db.engine.dispose()
    with sqlite3.connect(target) as copy:
        copied = {
            table: copy.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in expected
        }
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copied == expected
    assert expected["trips"] == 1 and expected["sectors"] > 30


def test_backup_does_not_overwrite_an_existing_file(app, tmp_path):
    target = tmp_path / "exists.sqlite"
    target.write_text("keep me")
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    if db.engine.dialect.name == "sqlite":
        assert result.exit_code != 0 and "already exists" in result.output
    else:
        assert result.exit_code != 0 and "pg_dump" in result.output
    assert target.read_text() == "keep me"
