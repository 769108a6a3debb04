"""The one Excel writer of the portal (openpyxl, write-only: memory does not grow with the rows).

Every value goes through :func:`cell_value`: text is always a text cell, never a formula (a title typed as
``=HYPERLINK(...)`` stays those characters), control characters that Excel refuses are dropped, and dates and
times are written in Vietnam time as dd/mm/yyyy (hh:mm). :meth:`Sheet.heading` writes the header of an
administrative document (Decree 30/2020/NĐ-CP) above a table.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
#: What XML 1.0 does not allow in a document (openpyxl's ``ILLEGAL_CHARACTERS_RE`` misses U+FFFE, U+FFFF and lone
#: surrogates, which lxml refuses too): dropped from every text cell.
XML_FORBIDDEN_RE = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
ITALIC = Font(italic=True)
CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


class Sheet:
    def __init__(self, worksheet):
        self._sheet = worksheet
        self._rows = 0

    @property
    def row_count(self) -> int:
        """Rows written so far (the next row is ``row_count + 1``)."""
        return self._rows

    def row(self, values: Iterable, *, font: Font | None = None, alignment: Alignment | None = None) -> None:
        cells = [cell_value(self._sheet, value, font=font) for value in values]
        if alignment is not None:
            for cell in cells:
                cell.alignment = alignment
        self._sheet.append(cells)
        self._rows += 1

    def merge(self, *, row: int, first_column: int, last_column: int) -> None:
        """Merge cells of a row already written (1-based row and columns)."""
        self._sheet.merged_cells.add(f"{get_column_letter(first_column)}{row}:{get_column_letter(last_column)}{row}")

    def heading(
        self,
        *,
        columns: int,
        title: str,
        issuing_body: Sequence[str] = (),
        place_date: str = "",
        lines: Sequence[str] = (),
    ) -> None:
        """The header of an administrative document above a table of ``columns`` columns (Decree 30/2020): the
        issuing body at the top left (upper case) beside the national title and motto, the place and date under
        them, then the title in capitals and ``lines`` (what the table covers, the period), each centred across
        the table, and an empty row."""
        columns = max(columns, 2)
        left = max(1, columns * 2 // 5)  # the issuing body's share of the width; the national title has the rest
        top = [
            (issuing_body[0] if issuing_body else "", NATIONAL_TITLE),
            (issuing_body[1] if len(issuing_body) > 1 else "", MOTTO),
            (issuing_body[2] if len(issuing_body) > 2 else "", place_date),
        ]
        for index, (body, national) in enumerate(top):
            self._centred_pair(body, national, left=left, columns=columns, right_font=ITALIC if index == 2 else BOLD)
        self.row([])
        self._centred(title.upper(), columns=columns, font=TITLE)
        for line in lines:
            self._centred(line, columns=columns, font=ITALIC)
        self.row([])

    def _centred_pair(self, left_text: str, right_text: str, *, left: int, columns: int, right_font: Font) -> None:
        row = self._rows + 1
        values = [self._styled(left_text, BOLD), *([None] * (left - 1)), self._styled(right_text, right_font)]
        self._sheet.append(values)
        self._rows += 1
        if left > 1:
            self.merge(row=row, first_column=1, last_column=left)
        if columns - left > 1:
            self.merge(row=row, first_column=left + 1, last_column=columns)

    def _centred(self, text: str, *, columns: int, font: Font) -> None:
        row = self._rows + 1
        self._sheet.append([self._styled(text, font)])
        self._rows += 1
        self.merge(row=row, first_column=1, last_column=columns)

    def _styled(self, text: str, font: Font):
        cell = cell_value(self._sheet, text, font=font)
        cell.alignment = CENTRED
        return cell

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
