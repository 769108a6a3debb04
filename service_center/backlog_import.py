"""The bulk import of a district's backlog list (CSV or Excel), with a dry run that reports row by row.

``read_table`` turns the file into rows (CSV in UTF-8 with or without the BOM Excel writes, or the first sheet of an
.xlsx); :func:`backlog_dry_run` says for each row what would be created, what is already there and what is wrong,
in a constant number of queries; :func:`backlog_import_rows` saves in one transaction through
:func:`service_center.backlog.backlog_receive` (all rows or none, unless the valid rows only are asked for).
Re-importing a file creates nothing twice: a unit has one backlog dossier per old file number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
from .backlog_files import _BY_KEY, EXTENSIONS, MAX_BYTES, BacklogFileError, SourceRow, _aware, _parse_moment, _text
from .backlog_files import read_table as read_table
from .backlog_files import template_csv as template_csv
from .backlog_files import template_xlsx as template_xlsx
from .calendar import calendar
from .models import BacklogImport, BacklogRecord, Procedure
from .services import Applicant, DossierError


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
