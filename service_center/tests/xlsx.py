"""Reading the Excel exports back: the document header (Decree 30) stands above the table."""

import io

from openpyxl import load_workbook


def workbook(response):
    assert response.status_code == 200, response.status_code
    return load_workbook(io.BytesIO(response.content))


def header_row(sheet, first_header: str) -> int:
    """The 1-based number of the table's header row: the first row whose first cell is ``first_header``."""
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if values and values[0] == first_header:
            return number
    raise AssertionError(f"no row starts with {first_header!r}")


def table(sheet, first_header: str) -> list[tuple]:
    """The table's rows, its header row first (what stands above it left out)."""
    return list(sheet.iter_rows(min_row=header_row(sheet, first_header), values_only=True))
