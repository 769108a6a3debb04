"""Excel exports (openpyxl): the tracking book (form 06) and the 06a statistics."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


DATETIME_FORMAT = "dd/mm/yyyy hh:mm"


def _cell(sheet, value):
    """A worksheet cell: dates as dd/mm/yyyy; text as typed by a clerk made safe (control characters dropped,
    never a formula)."""
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith("="):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def _book(title: str, headers: list[str], rows) -> bytes:
    """A one-sheet workbook written row by row (write-only mode: memory does not grow with the rows)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for index in range(1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    header = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def tracking_book_xlsx(dossiers) -> bytes:
    headers = [
        _("No."),
        _("Dossier code"),
        _("Procedure"),
        _("Applicant"),
        _("Address"),
        _("Phone"),
        _("Channel"),
        _("Received at"),
        _("Due at"),
        _("Finished at"),
        _("Returned at"),
        _("Status"),
        _("Note"),
    ]
    rows = (
        [
            i,
            d.code,
            d.procedure.name,
            d.applicant_name,
            d.applicant_address,
            d.applicant_phone,
            d.get_channel_display(),
            _local(d.received_at),
            _local(d.due_at),
            _local(d.closed_at),
            _local(d.returned_at),
            d.get_status_display(),
            _("Test dossier") if d.is_test else "",
        ]
        for i, d in enumerate(dossiers, start=1)
    )
    return _book(_("Tracking book"), headers, rows)


def statistics_xlsx(rows, total) -> bytes:
    headers = [
        _("Unit"),
        _("Dossiers received"),
        _("Carried over"),
        _("New"),
        _("In person"),
        _("Online"),
        _("By post"),
        _("Finished"),
        _("Early"),
        _("On time"),
        _("Late"),
        _("Open in time"),
        _("Open overdue"),
        _("On-time rate (%)"),
        _("Online rate (%)"),
    ]

    def line(name, r):
        return [
            name,
            r.received,
            r.carried_over,
            r.received_new,
            r.direct,
            r.online,
            r.post,
            r.finished,
            r.finished_early,
            r.finished_on_time,
            r.finished_late,
            r.open_in_time,
            r.open_overdue,
            r.on_time_rate,
            r.online_rate,
        ]

    return _book(_("Statistics"), headers, [*(line(r.unit_name, r) for r in rows), line(_("Total"), total)])
