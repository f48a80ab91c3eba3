"""Writing rows as CSV or XLSX without ever writing a formula, with memory bounded whatever the row count.

Spreadsheet programs run a cell that starts with = + - @ (also after a tab, carriage return or NUL) as a
formula: text from the database (a name typed by anyone) must never become one. In CSV such text gets a
leading single quote (OWASP's advice; spreadsheets show the text as typed); in XLSX every text cell is
written as a string cell, which no program evaluates.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import xlsxwriter

# Characters that make a spreadsheet treat a cell as a formula, or hide one that follows them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
CSV_FLUSH_ROWS = 500
XLSX_CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class Heading:
    """A column as the file shows it: its header, its kind of value and its width in characters."""

    title: str
    kind: str = "text"  # text, date, datetime, money, integer
    width: int = 18


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def neutralised(text: str) -> str:
    """Text as a CSV cell that no spreadsheet will run."""
    return "'" + text if is_formula_like(text) else text


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | int | float):
        return str(value)
    return neutralised(str(value))


def csv_stream(headings: list[Heading], rows: Iterable[list]) -> Iterator[bytes]:
    """UTF-8 with a byte order mark (so Excel reads Chinese correctly), a few hundred rows per chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([neutralised(heading.title) for heading in headings])
    for number, row in enumerate(rows, start=1):
        writer.writerow([csv_cell(value) for value in row])
        if number % CSV_FLUSH_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_file(headings: list[Heading], rows: Iterable[list], *, sheet_title: str, tmpdir: str | None = None):
    """The workbook in a temporary file (rewound), written row by row in XlsxWriter's constant-memory mode."""
    output = tempfile.TemporaryFile(dir=tmpdir)  # noqa: SIM115 - the caller streams it and closes it
    workbook = xlsxwriter.Workbook(
        output,
        {
            "constant_memory": True,
            "tmpdir": tmpdir,
            # Text stays text: never a formula, a link or a number guessed from it.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = workbook.add_worksheet(sheet_title[:31])
    formats = {
        "header": workbook.add_format({"bold": True, "bg_color": "#E9ECEF", "text_wrap": True, "valign": "top"}),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        "money": workbook.add_format({"num_format": "#,##0.00"}),
        "integer": workbook.add_format({"num_format": "0"}),
    }
    for column, heading in enumerate(headings):
        sheet.set_column(column, column, heading.width)
        sheet.write_string(0, column, heading.title, formats["header"])
    sheet.freeze_panes(1, 0)
    last_row = 0
    for last_row, row in enumerate(rows, start=1):
        for column, (heading, value) in enumerate(zip(headings, row, strict=True)):
            _write(sheet, last_row, column, heading.kind, value, formats)
    sheet.autofilter(0, 0, last_row, max(len(headings) - 1, 0))
    workbook.close()
    output.seek(0)
    return output


def _write(sheet, row: int, column: int, kind: str, value: Any, formats: dict) -> None:
    if value is None or value == "":
        return  # constant-memory mode needs nothing written for an empty cell
    if kind == "datetime" and isinstance(value, datetime):
        sheet.write_datetime(row, column, value.replace(tzinfo=None), formats["datetime"])
    elif kind == "date" and isinstance(value, date):
        sheet.write_datetime(row, column, datetime(value.year, value.month, value.day), formats["date"])
    elif kind in ("money", "integer") and isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        sheet.write_number(row, column, float(value), formats[kind])
    else:
        sheet.write_string(row, column, str(value))


def chunks(file) -> Iterator[bytes]:
    """A file's bytes in pieces, closing it at the end."""
    try:
        while piece := file.read(XLSX_CHUNK_BYTES):
            yield piece
    finally:
        file.close()
