"""`flask export` and `flask import`: the same exports and imports as the pages, for scripts."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from crm.accounts.models import User
from crm.core.audit import acting_as
from crm.core.roles import Role
from crm.extensions import db


def _account(email: str | None) -> User:
    """The account whose permissions apply: the one named, else the first active administrator."""
    query = sa.select(User).where(User.active)
    query = query.where(sa.func.lower(User.email) == email.lower()) if email else query.where(User.role == Role.ADMIN)
    user = db.session.scalars(query.order_by(User.id).limit(1)).first()
    if user is None:
        raise click.ClickException(f"No active account {email}." if email else "No active administrator yet.")
    return user


def _filters(pairs: tuple[str, ...]) -> MultiDict:
    args = MultiDict()
    for pair in pairs:
        key, separator, value = pair.partition("=")
        if not separator or not key:
            raise click.BadParameter(f"{pair!r} is not NAME=VALUE", param_hint="--filter")
        args.add(key, value)
    return args


@click.command("export")
@click.argument("table")
@click.option("--format", "file_format", type=click.Choice(["csv", "xlsx"]), default="xlsx", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--filter", "filters", multiple=True, help="A list filter as on the page, e.g. city=Wuxi (repeatable).")
@click.option("--as", "email", help="The account whose view is exported (default: the first administrator).")
def export_command(table: str, file_format: str, output: Path, filters: tuple[str, ...], email: str | None) -> None:
    """Export TABLE (trips, visits, enterprises, contacts, projects, follow-ups, audit) to a file."""
    from crm.exchange import exports
    from crm.exchange.tables import TABLES, RefusedFilters

    spec = TABLES.get(table)
    if spec is None:
        raise click.ClickException(f"Unknown table {table!r}; one of: {', '.join(TABLES)}.")
    if output.exists():
        raise click.ClickException(f"{output} already exists; choose a new file name.")
    viewer = _account(email)
    try:
        started = exports.start_export(spec, _filters(filters), viewer, file_format)
    except exports.ExportRefused:
        raise click.ClickException(f"{viewer.email} may not export {table}.") from None
    except RefusedFilters:
        raise click.ClickException("The filters are not valid for this list.") from None
    with output.open("wb") as file:
        for piece in started.body:
            file.write(piece)
    db.session.commit()  # the audit entry, once the file is written
    click.echo(f"Exported {started.row_count} rows to {output}.")


@click.command("import")
@click.argument("table")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option(
    "--on-duplicate",
    type=click.Choice(["skip", "update", "create"]),
    default="skip",
    show_default=True,
    help="What to do with a row that looks like an existing record or an earlier row.",
)
@click.option("--as", "email", help="The account that imports (default: the first administrator).")
def import_command(table: str, path: Path, dry_run: bool, on_duplicate: str, email: str | None) -> None:
    """Import enterprises, contacts or projects from a CSV or XLSX file: every row, or none."""
    from flask import current_app

    from crm.exchange import imports
    from crm.exchange.reading import Unreadable, read_rows

    kind = imports.kinds().get(table)
    if kind is None:
        raise click.ClickException(f"Unknown table {table!r}; one of: {', '.join(imports.kinds())}.")
    user = _account(email)
    if not imports.may_import(user):
        raise click.ClickException(f"{user.email} may not import {table}: managers and administrators only.")
    limit = current_app.config["IMPORT_MAX_BYTES"]
    try:
        with path.open("rb") as file:
            rows, _ignored = imports.cells_of(read_rows(file.read(limit + 1), max_bytes=limit), kind)
    except (Unreadable, imports.ImportRefused) as error:
        raise click.ClickException(str(error)) from None
    with acting_as(f"system (flask import, {user.email})"):
        analysis = imports.analyse(kind, rows, user)
        for row in analysis.bad_rows:
            click.echo(f"row {row.line}: " + "; ".join(row.errors), err=True)
        if analysis.bad_rows:
            db.session.rollback()
            raise click.ClickException(f"{len(analysis.bad_rows)} rows have errors; nothing was imported.")
        for row in analysis.duplicates:
            click.echo(
                f"row {row.line}: looks like an existing record or row {row.same_as_line or ''} ({on_duplicate})"
            )
        choices = {row.line: on_duplicate for row in analysis.duplicates}
        counts = imports.apply(analysis, choices, by=user, filename=path.name)
        if dry_run:
            db.session.rollback()
            click.echo(
                f"Dry run: {counts['created']} would be created, {counts['updated']} updated, "
                f"{counts['skipped']} skipped. Nothing was written."
            )
            return
        db.session.commit()
    click.echo(
        f"Imported {path.name}: {counts['created']} created, {counts['updated']} updated, {counts['skipped']} skipped."
    )


def register(app, export_group: click.Group) -> None:
    """`flask export TABLE` joins the export group (beside trip-report); `flask import` stands alone."""
    export_group.add_command(export_command, "table")
    app.cli.add_command(import_command)
