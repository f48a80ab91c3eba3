"""flask commands: `users create`, `demo load`, `backup`, `export trip-report` (and `export`, `import` from
crm.exchange)."""

from __future__ import annotations

import secrets
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


class ExportGroup(AppGroup):
    """`flask export trip-report TRIP_ID …` and `flask export TABLE …` for any list, under one name: a first
    word that is not a subcommand names the list (the `table` subcommand, from crm.exchange)."""

    def resolve_command(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-") and "table" in self.commands:
            return "table", self.commands["table"], args
        return super().resolve_command(ctx, args)


export = ExportGroup("export", help="Export reports and data to files: trip-report TRIP_ID, or a list (TABLE).")


@users.command("create")
@click.option("--email", required=True, help="Sign-in email address.")
@click.option("--name", required=True, help="Name in Latin letters (Li Wei).")
@click.option("--local-name", help="Name in Chinese characters (李伟); shown instead of --name where it is set.")
@click.option("--title", help="Job title (Investment officer, 招商专员).")
@click.option("--language", type=click.Choice(["en", "zh"]), help="Interface language (default: the browser's).")
@click.option("--role", type=click.Choice([role.value for role in Role]), default=Role.OFFICER.value, show_default=True)
@click.option("--password", help="For scripts; asked for (hidden, twice) when left out.")
def create_user_command(
    email: str,
    name: str,
    local_name: str | None,
    title: str | None,
    language: str | None,
    role: str,
    password: str | None,
) -> None:
    """Create an account."""
    from crm.accounts import services

    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with acting_as("system (flask users create)"):
        try:
            user = services.create_user(
                email=email,
                name=name,
                local_name=local_name,
                title=title,
                password=password,
                role=Role(role),
                locale=language,
            )
        except services.AccountError as error:
            raise click.ClickException(str(error)) from None
        db.session.commit()
    click.echo(f"Created {user.role.value} {user.email}.")


@demo.command("load")
@click.option(
    "--owner", "owner_email", help="Account that loads the sample (default: the first admin, else the first manager)."
)
@click.option(
    "--officers", is_flag=True, help="Also create a sample manager and three sample officers who own the records."
)
@click.option("--password", help="Password of the sample accounts (default: a new random one, printed).")
def load_demo_command(owner_email: str | None, officers: bool, password: str | None) -> None:
    """Load the Wuxi, Suzhou and Hangzhou sample trip (labelled as sample data). Safe to run twice."""
    from crm.demo import DemoError, create_colleagues, load_sample_trip

    password = password or secrets.token_urlsafe(12)
    with acting_as("system (flask demo load)"):
        try:
            colleagues, new_accounts = create_colleagues(password) if officers else ([], [])
            created = load_sample_trip(owner_email, colleagues)
        except DemoError as error:
            raise click.ClickException(str(error)) from None
        db.session.commit()
    for user in new_accounts:
        click.echo(f"Created sample {user.role.value} {user.email} ({user.name}) with password {password}")
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


@export.command("trip-report")
@click.argument("trip_id", type=int)
@click.option("--format", "file_format", type=click.Choice(["pdf", "docx", "html"]), default="pdf", show_default=True)
@click.option("--lang", "language", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write.")
def export_trip_report_command(trip_id: int, file_format: str, language: str, output: Path) -> None:
    """Write a trip's report (the approved version once signed off) as PDF, Word or HTML."""
    from crm.core import audit
    from crm.reports import export as report_export
    from crm.reports import services
    from crm.trips.models import Trip

    trip = db.session.get(Trip, trip_id)
    if trip is None or trip.deleted_at is not None:
        raise click.ClickException(f"There is no trip {trip_id}.")
    content = services.content_for_export(trip, language)
    data = report_export.render(content, file_format, language)
    try:
        output.write_bytes(data)
    except OSError as error:
        raise click.ClickException(f"Cannot write {output}: {error.strerror}") from None
    with acting_as("system (flask export trip-report)"):
        audit.record(
            audit.AuditAction.EXPORT,
            trip,
            details={"export": "trip report", "format": file_format, "language": language, "file": str(output)},
        )
        db.session.commit()
    click.echo(f"Wrote {output} ({len(data) // 1024} KB).")


def register(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(demo)
    app.cli.add_command(export)
    app.cli.add_command(backup_command)
    from crm.exchange import cli as exchange

    exchange.register(app, export)
