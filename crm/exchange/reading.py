"""Reading an uploaded CSV or XLSX into rows of cells, refusing what is unsafe or unreadable.

An XLSX is a zip: its members' names and uncompressed sizes are checked before openpyxl opens it, so a
zip bomb or a member named `../x` is refused without being unpacked.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _

from crm.core.forms import parse_amount as read_amount
from crm.exchange.sheets import FORMULA_STARTS

MAX_ROWS = 5000
MAX_COLUMNS = 60
MAX_CELL_CHARS = 10_000
# An XLSX of a few thousand rows unpacks to a few MiB; anything far beyond is not a list of contacts.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_PACKING_RATIO = 200


class Unreadable(ValueError):
    """The file cannot be read; the message says why, in the reader's language."""


def read_rows(data: bytes, *, max_bytes: int) -> list[list]:
    """The file's rows (the header first), each a list of cells: text, numbers or dates."""
    if not data.strip():
        raise Unreadable(_("The file is empty."))
    if len(data) > max_bytes:
        raise Unreadable(_("The file is larger than %(size)s MB.", size=max_bytes // (1024 * 1024)))
    rows = _xlsx_rows(data) if data[:4] == b"PK\x03\x04" else _csv_rows(data)
    rows = [row for row in rows if any(cell not in (None, "") for cell in row)]
    if not rows:
        raise Unreadable(_("The file is empty."))
    if len(rows) > MAX_ROWS + 1:
        raise Unreadable(_("The file has more than %(count)s rows: split it into smaller files.", count=MAX_ROWS))
    return rows


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte order mark), else GB18030 (which includes GBK and GB2312)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Unreadable(_("The file is not in UTF-8 or GBK/GB18030 text. Save it as CSV UTF-8 or as an Excel workbook."))


def _csv_rows(data: bytes) -> list[list]:
    text = decode(data)
    if "\0" in text:
        raise Unreadable(_("The file is not a CSV or Excel file."))
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count) if any(mark in first_line for mark in ",;\t") else ","
    try:
        rows = []
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row[:MAX_COLUMNS])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    except csv.Error as error:
        raise Unreadable(_("The CSV file is malformed (%(error)s).", error=str(error))) from None


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise Unreadable(_("The file is not a valid Excel workbook.")) from None
    total = 0
    with archive:
        for member in archive.infolist():
            name = member.filename.replace("\\", "/")
            if name.startswith("/") or ".." in name.split("/") or re.match(r"^[A-Za-z]:", name):
                raise Unreadable(_("The Excel file holds a part with an unsafe name; it was not opened."))
            total += member.file_size
            ratio = member.file_size / max(member.compress_size, 1)
            if total > MAX_UNPACKED_BYTES or (member.file_size > 1024 * 1024 and ratio > MAX_PACKING_RATIO):
                raise Unreadable(_("The Excel file unpacks to far more than it holds; it was not opened."))
        if "xl/workbook.xml" not in archive.namelist():
            raise Unreadable(_("The file is not a valid Excel workbook."))


def _xlsx_rows(data: bytes) -> list[list]:
    _check_zip(data)
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a damaged file
        raise Unreadable(_("The file is not a valid Excel workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


# ----- cells as text, dates and amounts


def cell_text(value) -> str:
    """A cell as the text a form field receives; undoes the quote an export put before formula-like text."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f") if value != int(value) else str(int(value))
    text = str(value)[:MAX_CELL_CHARS].strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
)


def parse_date(text: str) -> date | None:
    """2026-11-28, 2026/11/28, 2026.11.28 or 2026年11月28日 (a date and time keeps the date); None if not."""
    text = text.strip().split(" ")[0] if re.match(r"^\d{4}-\d{1,2}-\d{1,2} ", text.strip()) else text.strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return None


def parse_amount(text: str) -> Decimal | None:
    """An amount in yuan as the forms read one (1,500,000 / 150万 / 1.5亿 / ¥ 1,500,000 元 / CNY 5 m / full-width
    digits), to the cent; None if not one."""
    try:
        return read_amount(text).quantize(Decimal("0.01"))
    except (ValueError, ArithmeticError):
        return None
