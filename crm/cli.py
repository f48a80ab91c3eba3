"""flask commands: `users create`, `demo load`, `backup` (and `export`, `import` from crm.exchange)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from crm.core.audit import acting_as
from crm.core.roles import Role
from crm.extensions import db

users = AppGroup("users", help="Manage user accounts.")
demo = AppGroup("demo", help="Sample data for trying crm out.")


@users.command("create")
@click.option("--email", required=True, help="Sign-in email address.")
@click.option("--name", required=True, help="Display name.")
@click.option("--role", type=click.Choice([role.value for role in Role]), default=Role.OFFICER.value, show_default=True)
@click.option("--password", help="For scripts; asked for (hidden, twice) when left out.")
def create_user_command(email: str, name: str, role: str, password: str | None) -> None:
    """Create an account."""
    from crm.accounts import services

    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with acting_as("system (flask users create)"):
        try:
            user = services.create_user(email=email, name=name, password=password, role=Role(role))
        except services.AccountError as error:
            raise click.ClickException(str(error)) from None
        db.session.commit()
    click.echo(f"Created {user.role.value} {user.email}.")


@demo.command("load")
@click.option("--owner", "owner_email", help="Account that owns the sample records (default: first admin).")
def load_demo_command(owner_email: str | None) -> None:
    """Load the Wuxi, Suzhou and Hangzhou sample trip (labelled as sample data). Safe to run twice."""
    from crm.demo import DemoError, load_sample_trip

    with acting_as("system (flask demo load)"):
        try:
            created = load_sample_trip(owner_email)
        except DemoError as error:
            raise click.ClickException(str(error)) from None
        db.session.commit()
    if created:
        click.echo("Loaded the sample trip to Wuxi, Suzhou and Hangzhou (marked as sample data).")
    else:
        click.echo("The sample data is already loaded; nothing changed.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Copy the SQLite database to PATH while the app keeps running (SQLite's online backup)."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        raise click.ClickException("backup copies SQLite databases; for PostgreSQL use pg_dump.")
    if path.exists():
        raise click.ClickException(f"{path} already exists; choose a new file name.")
    raw = engine.raw_connection()
    try:
        target = sqlite3.connect(path)
        with target:
            raw.driver_connection.backup(target)
        target.close()
    except sqlite3.Error as error:
        raise click.ClickException(f"Backup failed: {error}") from None
    finally:
        raw.close()
    click.echo(f"Backed up to {path} ({_count_rows(path)} rows).")


def _count_rows(path: Path) -> int:
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            tables = sa.inspect(connection).get_table_names()
            return sum(
                connection.execute(sa.select(sa.func.count()).select_from(sa.table(t))).scalar_one() for t in tables
            )
    finally:
        engine.dispose()


def register(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(demo)
    app.cli.add_command(backup_command)
    from crm.exchange import cli as exchange

    exchange.register(app)
