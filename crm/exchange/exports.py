"""Exports: a list's rows, as the user sees them, to CSV or XLSX, streamed and audited."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import lazyload
from werkzeug.datastructures import MultiDict

from crm.accounts.models import User
from crm.core.audit import AuditAction, record
from crm.core.time import local_today
from crm.exchange import sheets
from crm.exchange.tables import Table
from crm.extensions import db

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Rows fetched from the database at a time: memory stays flat however long the list.
BATCH_ROWS = 1000
# Query-string keys that say which page is on screen, not which rows the list holds.
PAGING_KEYS = {"page", "per_page"}


class ExportTooLarge(Exception):
    """More rows than a page's export may write (EXPORT_MAX_ROWS): the list must be narrowed first."""

    def __init__(self, row_count: int, limit: int) -> None:
        super().__init__(row_count, limit)
        self.row_count, self.limit = row_count, limit


class ExportRefused(Exception):
    """The user may not export this list."""


@dataclass
class Export:
    table: Table
    file_format: str
    row_count: int
    filename: str
    body: Iterator[bytes]

    @property
    def mimetype(self) -> str:
        return FORMATS[self.file_format]


def may_export(table: Table, user: User) -> bool:
    return user.is_manager if table.managers_only else True


def filters_of(args: MultiDict) -> dict[str, Any]:
    """The list's filters as given, for the audit log."""
    return {key: values if len(values) > 1 else values[0] for key, values in args.lists() if key not in PAGING_KEYS}


def count_rows(query: sa.Select) -> int:
    counted = query.options(lazyload("*")).order_by(None).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(counted)) or 0


def rows_of(table: Table, query: sa.Select, viewer: User) -> Iterator[list]:
    """Each row's values, fetched in batches."""
    results = db.session.scalars(query.execution_options(yield_per=BATCH_ROWS))
    for item in results:
        yield [column.value(item, viewer) for column in table.columns]


def start_export(
    table: Table, args: MultiDict, viewer: User, file_format: str, *, max_rows: int | None = None
) -> Export:
    """Audit the export (with its filters and row count) and prepare its file; the caller commits first.

    The CSV streams from the database as it is sent; the XLSX is written to a temporary file in
    constant memory and then sent in pieces. More than `max_rows` rows are refused before anything is audited.
    """
    if file_format not in FORMATS:
        raise ValueError(file_format)
    if not may_export(table, viewer):
        raise ExportRefused(table.name)
    query = table.query(args, viewer)
    row_count = count_rows(query)
    if max_rows is not None and row_count > max_rows:
        raise ExportTooLarge(row_count, max_rows)
    record(
        AuditAction.EXPORT,
        entity_type=table.name,
        details={"list": table.name, "format": file_format, "filters": filters_of(args), "rows": row_count},
        user=viewer,
    )
    filename = f"{table.name}-{local_today().isoformat()}.{file_format}"
    return Export(table, file_format, row_count, filename, _body(table, query, viewer, file_format))


def _body(table: Table, query: sa.Select, viewer: User, file_format: str) -> Iterator[bytes]:
    headings = [sheets.Heading(column.title, column.kind, column.width) for column in table.columns]
    if file_format == "csv":
        yield from sheets.csv_stream(headings, rows_of(table, query, viewer))
        return
    workbook = sheets.xlsx_file(
        headings, rows_of(table, query, viewer), sheet_title=str(table.label), tmpdir=_scratch_folder()
    )
    yield from sheets.chunks(workbook)


def _scratch_folder() -> str:
    from pathlib import Path

    folder = Path(current_app.instance_path) / "tmp"
    folder.mkdir(exist_ok=True)
    return str(folder)
