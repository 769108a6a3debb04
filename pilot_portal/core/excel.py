"""The one Excel writer of the portal (XlsxWriter in constant-memory mode: each row goes to a temporary file as it
is written, so memory does not grow with the rows, and a cell costs a third of what it did with openpyxl's
write-only mode, which the tracking book of a province-year made plain: ``bench/scale.py``).

Every value goes through :func:`cell_value`: text is always a text cell, never a formula (a title typed as
``=HYPERLINK(...)`` stays those characters), control characters that Excel refuses are dropped, and dates and
times are written in Vietnam time as dd/mm/yyyy (hh:mm). :meth:`Sheet.heading` writes the header of an
administrative document (Decree 30/2020/NĐ-CP) above a table. Rows are written top to bottom; a row can still be
merged (:meth:`Sheet.merge`) until the next one is written.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import xlsxwriter
from django.utils import timezone

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
#: What XML 1.0 does not allow in a document (openpyxl's ``ILLEGAL_CHARACTERS_RE`` misses U+FFFE, U+FFFF and lone
#: surrogates, which lxml refuses too): dropped from every text cell.
XML_FORBIDDEN_RE = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Font:
    bold: bool = False
    italic: bool = False
    size: int | None = None


@dataclass(frozen=True)
class Alignment:
    horizontal: str = ""
    vertical: str = ""
    wrap_text: bool = False


BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
ITALIC = Font(italic=True)
CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


class Sheet:
    def __init__(self, writer: ExcelWriter, worksheet):
        self._writer = writer
        self._sheet = worksheet
        self._rows = 0
        #: The last row written, kept until the next one so that it can still be merged: (values, font, alignment).
        self._pending: tuple[list, Font | None, Alignment | None] | None = None
        self._merges: list[tuple[int, int]] = []

    @property
    def row_count(self) -> int:
        """Rows written so far (the next row is ``row_count + 1``)."""
        return self._rows

    def row(self, values: Iterable, *, font: Font | None = None, alignment: Alignment | None = None) -> None:
        self._flush()
        self._pending = (list(values), font, alignment)
        self._rows += 1

    def merge(self, *, row: int, first_column: int, last_column: int) -> None:
        """Merge cells of the row just written (1-based row and columns)."""
        if row != self._rows or self._pending is None:
            raise ValueError(f"Only the last row written ({self._rows}) can be merged, not row {row}.")
        self._merges.append((first_column, last_column))

    def close(self) -> None:
        self._flush()

    def _flush(self) -> None:
        if self._pending is None:
            return
        values, font, alignment = self._pending
        self._pending = None
        index, sheet, style = self._rows - 1, self._sheet, self._writer.style
        merged = {}
        for first, last in self._merges:
            merged[first - 1] = last - 1
        self._merges = []
        for column, value in enumerate(values):
            if column in merged:
                kind, written = _typed(value)
                sheet.merge_range(index, column, index, merged[column], "", style(font, alignment, kind))
                if written is not None:
                    _write(sheet, index, column, kind, written, style(font, alignment, kind))
                continue
            if value is None and font is None and alignment is None:
                continue
            kind, written = _typed(value)
            _write(sheet, index, column, kind, written, style(font, alignment, kind))
        for column in set(merged) - set(range(len(values))):
            sheet.merge_range(index, column, index, merged[column], "", style(font, alignment, "blank"))

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
        """A row of two centred texts: ``left_text`` merged over the first ``left`` columns, ``right_text`` over
        the others."""
        self._flush()
        index = self._rows
        self._rows += 1
        for column, last, text, font in ((0, left - 1, left_text, BOLD), (left, columns - 1, right_text, right_font)):
            kind, written = _typed(text)
            style = self._writer.style(font, CENTRED, kind)
            if last > column:
                self._sheet.merge_range(index, column, index, last, "", style)
            _write(self._sheet, index, column, kind, written, style)

    def _centred(self, text: str, *, columns: int, font: Font) -> None:
        self.row([text], font=font, alignment=CENTRED)
        self.merge(row=self._rows, first_column=1, last_column=columns)

    def rows(self, rows: Iterable[Iterable], *, font: Font | None = None) -> None:
        """Many rows of one font (none merged): written straight away, the cheapest way per cell."""
        self._flush()
        sheet, style, index = self._sheet, self._writer.style, self._rows
        styles = {kind: style(font, None, kind) for kind in (*NUMBER_FORMATS, "text")}
        text_style, datetime_style = styles["text"], styles["datetime"]
        write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
        forbidden = XML_FORBIDDEN_RE.search
        for values in rows:
            for column, value in enumerate(values):
                # The common kinds first, as _typed and _write would write them.
                kind = type(value)
                if kind is str and value and not forbidden(value):
                    write_string(index, column, value, text_style)
                elif kind is int:
                    write_number(index, column, value, text_style)
                elif kind is dt.datetime:
                    if value.tzinfo is not None:
                        value = timezone.localtime(value).replace(tzinfo=None)
                    write_datetime(index, column, value, datetime_style)
                else:
                    kind, written = _typed(value)
                    _write(sheet, index, column, kind, written, styles.get(kind, text_style))
            index += 1
        self._rows = index


class ExcelWriter:
    """``writer.sheet(title, widths=[...])`` then ``sheet.row([...])``; ``writer.to_bytes()`` at the end."""

    def __init__(self):
        self._buffer = io.BytesIO()
        self._book = xlsxwriter.Workbook(
            self._buffer,
            {
                "constant_memory": True,
                # Text stays text: no formula, number or link is guessed from it.
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        self._sheets: list[Sheet] = []
        self._titles: set[str] = set()
        self._formats: dict = {}

    def sheet(self, title: str, *, widths: Sequence[int] = ()) -> Sheet:
        name = _sheet_title(title)
        unique, number = name, 1
        while unique.lower() in self._titles:
            number += 1
            unique = f"{name[: 31 - len(str(number)) - 1]} {number}"
        self._titles.add(unique.lower())
        worksheet = self._book.add_worksheet(unique)
        for index, width in enumerate(widths):
            worksheet.set_column(index, index, width)
        sheet = Sheet(self, worksheet)
        self._sheets.append(sheet)
        return sheet

    def style(self, font: Font | None, alignment: Alignment | None, kind: str):
        """The XlsxWriter format of a cell (one per combination, made once)."""
        key = (font, alignment, kind)
        if key not in self._formats:
            properties = {}
            if font is not None:
                properties.update(bold=font.bold, italic=font.italic)
                if font.size:
                    properties["font_size"] = font.size
            if alignment is not None:
                if alignment.horizontal:
                    properties["align"] = alignment.horizontal
                if alignment.vertical:
                    properties["valign"] = "vcenter" if alignment.vertical == "center" else alignment.vertical
                properties["text_wrap"] = alignment.wrap_text
            if kind in NUMBER_FORMATS:
                properties["num_format"] = NUMBER_FORMATS[kind]
            self._formats[key] = self._book.add_format(properties) if properties else None
        return self._formats[key]

    def to_bytes(self) -> bytes:
        for sheet in self._sheets:
            sheet.close()
        if not self._sheets:
            self._book.add_worksheet()
        self._book.close()
        return self._buffer.getvalue()


def _sheet_title(title: str) -> str:
    """Excel's limits on sheet names: 31 characters, none of ``[]:*?/\\``."""
    return "".join(ch for ch in XML_FORBIDDEN_RE.sub("", str(title)) if ch not in "[]:*?/\\")[:31] or "Sheet"


NUMBER_FORMATS = {"datetime": DATETIME_FORMAT, "date": DATE_FORMAT}


def cell_value(value) -> tuple[str, object]:
    """What is written for ``value``: its kind ("datetime", "date", "number", "boolean", "text" or "blank") and the
    value itself, made safe (text without what XML forbids, times in Vietnam time without a zone)."""
    return _typed(value)


def _typed(value) -> tuple[str, object]:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return "datetime", value
    if isinstance(value, dt.date):
        return "date", value
    if value is None:
        return "blank", None
    if isinstance(value, bool):
        return "boolean", value
    if isinstance(value, int | float):
        return "number", value
    text = XML_FORBIDDEN_RE.sub("", str(value))
    return ("text", text) if text else ("blank", None)  # an empty text is an empty cell, as Excel keeps it


def _write(sheet, row: int, column: int, kind: str, value, style) -> None:
    if kind == "text":
        sheet.write_string(row, column, value, style)  # never a formula, whatever the text starts with
    elif kind == "number":
        sheet.write_number(row, column, value, style)
    elif kind in NUMBER_FORMATS:
        sheet.write_datetime(row, column, value, style)
    elif kind == "boolean":
        sheet.write_boolean(row, column, value, style)
    elif style is not None:
        sheet.write_blank(row, column, None, style)
