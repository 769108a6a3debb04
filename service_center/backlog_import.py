"""The bulk import of a district's backlog list (CSV or Excel), with a dry run that reports row by row.

``read_table`` turns the file into rows (CSV in UTF-8 with or without the BOM Excel writes, or the first sheet of an
.xlsx); :func:`backlog_dry_run` says for each row what would be created, what is already there and what is wrong,
in a constant number of queries; :func:`backlog_import_rows` saves in one transaction through
:func:`service_center.backlog.backlog_receive` (all rows or none, unless the valid rows only are asked for).
Re-importing a file creates nothing twice: a unit has one backlog dossier per old file number.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from pilot_portal.core.excel import BOLD, ExcelWriter
from pilot_portal.core.text import fold
from pilot_portal.core.uploads import validate_upload

from .backlog import (
    BacklogAlreadyReceived,
    BacklogEntry,
    BacklogError,
    backlog_check,
    backlog_due_at,
    backlog_receive,
    district_index,
    normalize_old_number,
    resolve_district,
)
from .calendar import calendar
from .models import BacklogImport, BacklogRecord, Procedure
from .services import Applicant, DossierError

EXTENSIONS = ("xlsx", "csv")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
#: The header is looked for in the first rows (a title line above it is allowed).
HEADER_SEARCH_ROWS = 10
#: Rows read at most, blank ones included, and cells read per row: a sheet of a million empty rows is refused.
MAX_SCANNED_ROWS = MAX_ROWS + HEADER_SEARCH_ROWS + 1000
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


class BacklogImportRefused(DossierError):
    """Some rows are wrong and the clerk did not choose to import the valid rows only: nothing was saved."""

    def __init__(self, report: BacklogReport):
        self.report = report
        super().__init__(
            _(
                "%(count)s row(s) have errors: nothing was imported. Correct the file and upload it again, or "
                "import the valid rows only."
            )
            % {"count": report.error_count}
        )


class BacklogAlreadyImported(DossierError):
    def __init__(self, batch: BacklogImport):
        self.batch = batch
        super().__init__(
            _("This file was already imported at %(at)s.")
            % {"at": timezone.localtime(batch.imported_at).strftime("%H:%M %d/%m/%Y")}
        )


# --- Reading the file ------------------------------------------------------------------------------------------


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


def _entry(row: SourceRow, procedures: dict[str, Procedure], work_calendar) -> BacklogEntry:
    values = row.values
    errors: dict[str, str] = {}
    raw_code = values.get("procedure")
    code = _text(raw_code)
    # Excel reads 1.000100 typed in a cell that is not text as the number 1.0001: match it by value.
    procedure = procedures.get(raw_code if isinstance(raw_code, float) else code)
    if code and procedure is None:
        errors["procedure"] = _("There is no procedure with code %(code)s in the catalogue.") % {"code": code}
    id_number = values.get("applicant_id_number")
    # Excel turns 031085001234 into the number 31085001234 when the column is not text: the zero comes back.
    id_text = _text(id_number).zfill(12) if isinstance(id_number, int | float) else _text(id_number)

    def moment(key: str, *, end_of_day: bool):
        column = _BY_KEY[key]
        try:
            parsed = _parse_moment(values.get(key))
        except ValueError as exc:
            errors[key] = _("%(column)s: “%(value)s” is not a date (write %(format)s).") % {
                "column": column.header,
                "value": exc.args[0],
                "format": column.hint.split(";")[0],
            }
            return None
        if isinstance(values.get(key), dt.datetime) and parsed.time() == dt.time.min:
            # A date typed in an Excel cell comes as midnight: it is a date without a time.
            parsed = parsed.date()
        if parsed is None or isinstance(parsed, dt.datetime):
            return _aware(parsed) if parsed else None
        # A date without a time: the office's opening (receipt) or closing (due) time of that day.
        office = work_calendar.periods[-1][1] if end_of_day else work_calendar.periods[0][0]
        return _aware(dt.datetime.combine(parsed, office))

    received_at = moment("received_at", end_of_day=False)
    due_at = moment("due_at", end_of_day=True)
    handed = None
    try:
        parsed = _parse_moment(values.get("handed_over_on"))
        handed = parsed.date() if isinstance(parsed, dt.datetime) else parsed
    except ValueError as exc:
        errors["handed_over_on"] = _("%(column)s: “%(value)s” is not a date (write %(format)s).") % {
            "column": _BY_KEY["handed_over_on"].header,
            "value": exc.args[0],
            "format": "dd/mm/yyyy",
        }
    phone = values.get("applicant_phone")
    phone_text = f"0{_text(phone)}" if isinstance(phone, int | float) else _text(phone)
    return BacklogEntry(
        old_number=_text(values.get("old_number")),
        old_district=_text(values.get("old_district")),
        procedure=procedure,
        applicant=Applicant(
            name=_text(values.get("applicant_name")),
            id_number=id_text,
            phone=phone_text,
            address=_text(values.get("applicant_address")),
        ),
        received_at=received_at,
        due_at=due_at,
        handed_over_on=handed,
        read_errors=errors,
    )


# --- Dry run and import ----------------------------------------------------------------------------------------


class RowStatus:
    NEW = "new"
    CREATED = "created"
    EXISTS = "exists"
    REPEATED = "repeated"
    ERROR = "error"


@dataclass
class RowResult:
    number: int
    entry: BacklogEntry
    status: str
    errors: list[str] = field(default_factory=list)
    old_number: str = ""
    district: str = ""
    district_code: str = ""
    due_at: dt.datetime | None = None
    #: The dossier already received with this old file number, or the one this import created.
    dossier_code: str = ""
    repeats_row: int | None = None

    @property
    def is_error(self) -> bool:
        return self.status == RowStatus.ERROR


@dataclass
class BacklogReport:
    rows: list[RowResult]
    imported: bool = False

    def _count(self, *statuses) -> int:
        return sum(1 for r in self.rows if r.status in statuses)

    @property
    def new_count(self) -> int:
        return self._count(RowStatus.NEW)

    @property
    def created_count(self) -> int:
        return self._count(RowStatus.CREATED)

    @property
    def existing_count(self) -> int:
        return self._count(RowStatus.EXISTS, RowStatus.REPEATED)

    @property
    def error_count(self) -> int:
        return self._count(RowStatus.ERROR)


def _same(a: BacklogEntry, b: BacklogEntry) -> bool:
    return (a.old_district, a.procedure, a.applicant, a.received_at, a.due_at, a.handed_over_on) == (
        b.old_district,
        b.procedure,
        b.applicant,
        b.received_at,
        b.due_at,
        b.handed_over_on,
    )


def _float(code: str) -> float | None:
    try:
        return float(code)
    except ValueError:
        return None


def _procedures(raw_codes: list) -> dict:
    """The procedures the rows name, by code (and by value for codes Excel turned into numbers). One query."""
    numeric = any(isinstance(code, float) for code in raw_codes)
    codes = {_text(code) for code in raw_codes} - {""}
    found = Procedure.objects.all() if numeric else Procedure.objects.filter(code__in=codes)
    procedures: dict = {}
    for procedure in found:
        procedures[procedure.code] = procedure
        if numeric and (value := _float(procedure.code)) is not None:
            procedures.setdefault(value, procedure)
    return procedures


def backlog_dry_run(*, unit, rows: list[SourceRow], now: dt.datetime | None = None) -> BacklogReport:
    """What importing ``rows`` into ``unit`` would do, row by row; writes nothing. Four queries whatever the rows."""
    now = now or timezone.now()
    procedures = _procedures([r.values.get("procedure") for r in rows])
    numbers = {normalize_old_number(_text(r.values.get("old_number"))) for r in rows} - {""}
    existing = {
        r.old_number: r.dossier.code
        for r in BacklogRecord.objects.filter(unit=unit, old_number__in=numbers).select_related("dossier")
    }
    work_calendar = calendar()
    districts = district_index(unit)
    seen: dict[str, RowResult] = {}
    results = []
    for row in rows:
        entry = _entry(row, procedures, work_calendar)
        old_number = normalize_old_number(entry.old_number)
        result = RowResult(number=row.number, entry=entry, status=RowStatus.NEW, old_number=old_number)
        result.district, result.district_code = resolve_district(entry.old_district, districts)
        results.append(result)
        if old_number in existing:
            result.status, result.dossier_code = RowStatus.EXISTS, existing[old_number]
            continue
        earlier = seen.get(old_number)
        if earlier is not None and _same(earlier.entry, entry):
            result.status, result.repeats_row = RowStatus.REPEATED, earlier.number
            continue
        errors = backlog_check(entry, now=now)
        if earlier is not None:
            errors.append(_("Row %(row)s has the same old file number with other details.") % {"row": earlier.number})
        if errors:
            result.status, result.errors = RowStatus.ERROR, errors
            continue
        result.due_at = backlog_due_at(entry, work_calendar=work_calendar)
        seen[old_number] = result
    return BacklogReport(rows=results)


def backlog_import_rows(
    *, unit, rows: list[SourceRow], actor, valid_only: bool = False, batch: BacklogImport | None = None
) -> BacklogReport:
    """Save the rows in one transaction: every new row, or nothing when a row is wrong (unless ``valid_only``).
    Rows already received (this file imported before, or a row repeated) create nothing."""
    with transaction.atomic():
        report = backlog_dry_run(unit=unit, rows=rows)
        if report.error_count and not valid_only:
            raise BacklogImportRefused(report)
        work_calendar = calendar()
        districts = district_index(unit)
        for row in report.rows:
            if row.status != RowStatus.NEW:
                continue
            try:
                dossier = backlog_receive(
                    unit=unit,
                    entry=row.entry,
                    actor=actor,
                    batch=batch,
                    districts=districts,
                    work_calendar=work_calendar,
                )
            except BacklogAlreadyReceived as exc:
                # Received meanwhile by another import of the same list.
                row.status, row.dossier_code = RowStatus.EXISTS, exc.record.dossier.code
            except BacklogError as exc:
                row.status, row.errors = RowStatus.ERROR, exc.errors
                if not valid_only:
                    raise BacklogImportRefused(report) from None
            else:
                row.status, row.dossier_code = RowStatus.CREATED, dossier.code
        report.imported = True
    return report


# --- The uploaded file, kept between the dry run and the import ------------------------------------------------


def backlog_upload(*, unit, actor, upload) -> BacklogImport:
    """Check the uploaded list (name, size, signature, readable as a backlog list) and keep it privately for the
    dry run and the import. Raises :class:`BacklogFileError`; nothing is stored then."""
    try:
        name = validate_upload(upload, extensions=EXTENSIONS, max_bytes=MAX_BYTES)
    except ValidationError as exc:
        raise BacklogFileError(" ".join(exc.messages)) from None
    upload.seek(0)
    content = upload.read()
    read_table(content, name)
    batch = BacklogImport(
        unit=unit,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
        original_name=name,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    upload.seek(0)
    batch.file.save(name, upload, save=False)
    try:
        batch.save()
    except Exception:
        batch.file.delete(save=False)
        raise
    return batch


def batch_rows(batch: BacklogImport) -> list[SourceRow]:
    try:
        with batch.file.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, ValueError):
        raise BacklogFileError(_("The uploaded file is no longer available: upload it again.")) from None
    return read_table(content, batch.original_name)


def backlog_import_batch(*, batch: BacklogImport, actor, valid_only: bool = False) -> BacklogReport:
    """Import a kept file once: a second confirmation (a double click) finds it imported and does nothing."""
    with transaction.atomic():
        locked = BacklogImport.objects.select_for_update().get(pk=batch.pk)
        if locked.imported_at is not None:
            raise BacklogAlreadyImported(locked)
        report = backlog_import_rows(
            unit=locked.unit, rows=batch_rows(locked), actor=actor, valid_only=valid_only, batch=locked
        )
        locked.imported_at = timezone.now()
        locked.created_count = report.created_count
        locked.skipped_count = len(report.rows) - report.created_count
        locked.save(update_fields=["imported_at", "created_count", "skipped_count"])
    batch.refresh_from_db()
    return report


# --- The template ----------------------------------------------------------------------------------------------


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
