"""Reading produced files back, as a spreadsheet program would."""

from __future__ import annotations

import csv
import io

import openpyxl


def csv_rows(response) -> list[list[str]]:
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 byte order mark for Excel"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def xlsx_sheet(response):
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    return workbook.worksheets[0]


def xlsx_rows(response) -> list[list]:
    return [list(row) for row in xlsx_sheet(response).iter_rows(values_only=True)]


def column(rows: list[list], header: str) -> list:
    position = rows[0].index(header)
    return [row[position] for row in rows[1:]]
