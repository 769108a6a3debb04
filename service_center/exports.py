"""Excel exports: the tracking book (form 06) and the 06a statistics."""

from __future__ import annotations

from django.utils.translation import gettext as _

from pilot_portal.core.excel import BOLD, ExcelWriter


def _book(title: str, headers: list[str], rows) -> bytes:
    """A one-sheet workbook written row by row with the portal's Excel writer (text never becomes a formula)."""
    writer = ExcelWriter()
    sheet = writer.sheet(title, widths=[18] * len(headers))
    sheet.row(headers, font=BOLD)
    sheet.rows(rows)
    return writer.to_bytes()


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
            (d.received_at),
            (d.due_at),
            (d.closed_at),
            (d.returned_at),
            d.status_with_code,
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
        _("Refused"),
        _("Withdrawn"),
        _("Stopped"),
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
            r.refused,
            r.withdrawn,
            r.stopped,
            r.on_time_rate,
            r.online_rate,
        ]

    return _book(_("Statistics"), headers, [*(line(r.unit_name, r) for r in rows), line(_("Total"), total)])
