"""The backlog list as a file: its columns, the template to download (xlsx and csv), and reading a CSV (UTF-8,
with or without the BOM Excel writes) or the first sheet of an .xlsx into rows with their cells parsed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from pilot_portal.core.excel import BOLD, ExcelWriter
from pilot_portal.core.text import fold

from .models import Procedure
from .services import DossierError

EXTENSIONS = ("xlsx", "csv")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
#: The header is looked for in the first rows (a title line above it is allowed).
HEADER_SEARCH_ROWS = 10
#: Rows read at most, blank ones included, and cells read per row: a sheet of a million empty rows is refused.
MAX_SCANNED_ROWS = MAX_ROWS + HEADER_SEARCH_ROWS + 1000
#: What an .xlsx may hold once unzipped (its parts' declared sizes, which ``zipfile`` does not read past). A list
#: of 5,000 rows is a few MB; a zip bomb of 5 MB would otherwise unpack to gigabytes (the shared strings are
#: read whole).
MAX_EXPANDED_BYTES = 25 * 1024 * 1024
MAX_COLUMNS = 64


@dataclass(frozen=True)
class Column:
    key: str
    #: The header of the template. Vietnamese whatever the interface language: it is the file's format.
    header: str
    required: bool
    example: object
    hint: str
    aliases: tuple[str, ...] = ()


EXAMPLE_RECEIVED = dt.datetime(2025, 3, 10, 8, 15)
EXAMPLE_DUE = dt.datetime(2025, 3, 13, 8, 15)
EXAMPLE_HANDED = dt.date(2025, 7, 1)

COLUMNS = (
    Column("old_number", "Số hồ sơ cũ", True, "000.00.12.H23-250310-0015", "Số hồ sơ do cấp huyện cấp", ("so ho so",)),
    Column("old_district", "Đơn vị cấp huyện cũ", True, "Huyện An Lão", "Tên huyện, quận, thị xã, thành phố cũ"),
    Column("procedure", "Mã thủ tục", True, "1.001193", "Mã thủ tục trong danh mục", ("ma thu tuc hanh chinh",)),
    Column("applicant_name", "Họ và tên người nộp", True, "Nguyễn Văn An", "", ("nguoi nop", "ho ten nguoi nop")),
    Column("applicant_id_number", "Số CCCD", True, "031085001234", "12 chữ số", ("so can cuoc", "cccd")),
    Column("applicant_phone", "Số điện thoại", False, "0912345678", "", ("dien thoai",)),
    Column("applicant_address", "Địa chỉ", False, "Thôn Tân Trào, xã An Tiến", ""),
    Column("received_at", "Ngày giờ tiếp nhận", True, EXAMPLE_RECEIVED, "dd/mm/yyyy hh:mm", ("ngay tiep nhan",)),
    Column("due_at", "Ngày hẹn trả", False, EXAMPLE_DUE, "dd/mm/yyyy hh:mm; để trống: tính theo thời hạn của thủ tục"),
    Column("handed_over_on", "Ngày bàn giao", True, EXAMPLE_HANDED, "dd/mm/yyyy"),
)
_BY_KEY = {c.key: c for c in COLUMNS}


class BacklogFileError(DossierError):
    """The file cannot be read as a backlog list (not UTF-8, not an Excel file, a required column missing…)."""


def _header_key(text) -> str:
    key = fold(str(text or ""))
    key = re.sub(r"\(.*?\)|\*", " ", key)
    return re.sub(r"\s+", " ", key).strip()


_HEADERS = {}
for _column in COLUMNS:
    for _name in (_column.header, _column.key, *_column.aliases):
        _HEADERS[_header_key(_name)] = _column.key


@dataclass
class SourceRow:
    #: The row's number as the spreadsheet shows it (the header's row + 1 for the first data row).
    number: int
    values: dict[str, object]


def _csv_rows(content: bytes):
    if b"\x00" in content:
        raise BacklogFileError(_("The file contains NUL characters: it is not a CSV text file."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BacklogFileError(
            _("The CSV file is not in UTF-8. In Excel choose Save As, then “CSV UTF-8 (Comma delimited)”.")
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        yield from csv.reader(io.StringIO(text), delimiter=delimiter)
    except csv.Error as exc:
        raise BacklogFileError(_("The CSV file cannot be read: %(error)s.") % {"error": exc}) from None


def _xlsx_rows(content: bytes):
    try:
        expanded = sum(part.file_size for part in zipfile.ZipFile(io.BytesIO(content)).infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BacklogFileError(_("The file cannot be opened as an Excel workbook (.xlsx).")) from None
    if expanded > MAX_EXPANDED_BYTES:
        raise BacklogFileError(
            _("The Excel file takes more than %(max)s MB once unzipped: it is not a backlog list.")
            % {"max": MAX_EXPANDED_BYTES // (1024 * 1024)}
        )
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise BacklogFileError(_("The file cannot be opened as an Excel workbook (.xlsx).")) from None
    try:
        yield from book.worksheets[0].iter_rows(values_only=True)
    finally:
        book.close()


def read_table(content: bytes, name: str) -> list[SourceRow]:
    """The data rows of the file, each with its row number; raises :class:`BacklogFileError`."""
    is_csv = name.lower().endswith(".csv")
    rows = _csv_rows(content) if is_csv else _xlsx_rows(content)
    columns: dict[int, str] | None = None
    result: list[SourceRow] = []
    for number, cells in enumerate(rows, start=1):
        if number > MAX_SCANNED_ROWS:
            raise BacklogFileError(
                _("The file has more than %(max)s rows: split it into several files.") % {"max": MAX_ROWS}
            )
        cells = list(cells or ())[:MAX_COLUMNS]
        if columns is None:
            keys = {i: _HEADERS.get(_header_key(cell)) for i, cell in enumerate(cells)}
            found = {i: k for i, k in keys.items() if k}
            if "old_number" in found.values():
                columns = found
                missing = [c.header for c in COLUMNS if c.required and c.key not in columns.values()]
                if missing:
                    raise BacklogFileError(
                        _("The file lacks the column(s): %(columns)s. Use the template.")
                        % {"columns": ", ".join(missing)}
                    )
            elif number >= HEADER_SEARCH_ROWS:
                break
            continue
        values = {key: cells[i] if i < len(cells) else None for i, key in columns.items()}
        if all(v is None or str(v).strip() == "" for v in values.values()):
            continue
        if len(result) >= MAX_ROWS:
            raise BacklogFileError(
                _("The file has more than %(max)s rows: split it into several files.") % {"max": MAX_ROWS}
            )
        result.append(SourceRow(number=number, values=values))
    if columns is None:
        raise BacklogFileError(
            _("The header row (with the column “%(column)s”) was not found. Use the template.")
            % {"column": _BY_KEY["old_number"].header}
        )
    return result


# --- From cells to a backlog entry -----------------------------------------------------------------------------

_DATETIME_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d-%m-%Y %H:%M")
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return re.sub(r"\s+", " ", str(value)).strip()


def _parse_moment(value) -> dt.datetime | dt.date | None:
    """A datetime, a date (no time given), or None for an empty cell; ``ValueError`` for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in _DATETIME_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            pass
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise ValueError(text)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, timezone.get_current_timezone())


def _example(column: Column, procedure_code: str):
    return procedure_code if column.key == "procedure" and procedure_code else column.example


def _example_code() -> str:
    return Procedure.objects.filter(is_active=True).order_by("code").values_list("code", flat=True).first() or ""


def template_xlsx() -> bytes:
    code = _example_code()
    writer = ExcelWriter()
    sheet = writer.sheet("Danh sách hồ sơ tồn đọng", widths=[28, 24, 14, 26, 16, 15, 30, 20, 20, 15])
    sheet.row([c.header + (" (*)" if c.required else "") for c in COLUMNS], font=BOLD)
    sheet.row([_example(c, code) for c in COLUMNS])
    guide = writer.sheet("Hướng dẫn", widths=[26, 12, 60, 28])
    guide.row(["Danh sách hồ sơ tồn đọng của cấp huyện bàn giao"], font=BOLD)
    guide.row(["Mỗi dòng một hồ sơ; thay dòng ví dụ bằng hồ sơ thật. Cột có dấu (*) là bắt buộc."])
    guide.row([])
    guide.row(["Cột", "Bắt buộc", "Cách ghi", "Ví dụ"], font=BOLD)
    for c in COLUMNS:
        guide.row([c.header, "Có" if c.required else "Không", c.hint, _example(c, code)])
    return writer.to_bytes()


def template_csv() -> bytes:
    code = _example_code()
    buffer = io.StringIO()
    out = csv.writer(buffer)
    out.writerow([c.header + (" (*)" if c.required else "") for c in COLUMNS])

    def text(value):
        if isinstance(value, dt.datetime):
            return f"{value:%d/%m/%Y %H:%M}"
        if isinstance(value, dt.date):
            return f"{value:%d/%m/%Y}"
        return value

    out.writerow([text(_example(c, code)) for c in COLUMNS])
    # The BOM makes Excel open the file as UTF-8 (the Vietnamese letters intact).
    return buffer.getvalue().encode("utf-8-sig")
