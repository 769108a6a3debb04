"""The one Excel writer of the portal (openpyxl, write-only: memory does not grow with the rows).

Every value goes through :func:`cell_value`: text is always a text cell, never a formula (a title typed as
``=HYPERLINK(...)`` stays those characters), control characters that Excel refuses are dropped, and dates and
times are written in Vietnam time as dd/mm/yyyy (hh:mm).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
#: What XML 1.0 does not allow in a document (openpyxl's ``ILLEGAL_CHARACTERS_RE`` misses U+FFFE, U+FFFF and lone
#: surrogates, which lxml refuses too): dropped from every text cell.
XML_FORBIDDEN_RE = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)


class Sheet:
    def __init__(self, worksheet):
        self._sheet = worksheet

    def row(self, values: Iterable, *, font: Font | None = None) -> None:
        self._sheet.append([cell_value(self._sheet, value, font=font) for value in values])

    def rows(self, rows: Iterable[Iterable], *, font: Font | None = None) -> None:
        for values in rows:
            self.row(values, font=font)


class ExcelWriter:
    """``writer.sheet(title, widths=[...])`` then ``sheet.row([...])``; ``writer.to_bytes()`` at the end."""

    def __init__(self):
        self._book = Workbook(write_only=True)

    def sheet(self, title: str, *, widths: Sequence[int] = ()) -> Sheet:
        worksheet = self._book.create_sheet(_sheet_title(title))
        # Column widths must be set before the first row in write-only mode.
        for index, width in enumerate(widths, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        return Sheet(worksheet)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._book.save(buffer)
        return buffer.getvalue()


def _sheet_title(title: str) -> str:
    """Excel's limits on sheet names: 31 characters, none of ``[]:*?/\\``."""
    return "".join(ch for ch in XML_FORBIDDEN_RE.sub("", str(title)) if ch not in "[]:*?/\\")[:31] or "Sheet"


def cell_value(sheet, value, *, font: Font | None = None):
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
    elif value is None or isinstance(value, bool | int | float):
        cell = WriteOnlyCell(sheet, value=value)
    else:
        cell = WriteOnlyCell(sheet, value=XML_FORBIDDEN_RE.sub("", str(value)))
        cell.data_type = "s"  # never a formula, whatever the text starts with
    if font is not None:
        cell.font = font
    return cell
