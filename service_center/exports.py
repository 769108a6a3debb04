"""Excel exports: the tracking book (form 06) and the 06a statistics, with the Decision 766 indicators.

Each sheet starts with the header of an administrative document (Decree 30/2020): the issuing body, the national
title, the place and date, the title in capitals, what the table covers and the period; the table follows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilot_portal.core.excel import BOLD, CENTRED, ExcelWriter

from .indicators import INDICATORS
from .models import Channel, Status, with_code


def vietnamese_date(day: dt.date) -> str:
    """ "ngày 16 tháng 6 năm 2025"; a day under 10 and the months 1 and 2 take a leading zero (Decree 30)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


@dataclass(frozen=True)
class ReportHeading:
    """Who issues a report and what it covers: the unit (or the province), and the period."""

    issuing_body: tuple[str, ...]
    #: "Đơn vị: Phường Lê Đại Hành, Thành phố Hải Phòng", "Tỉnh, thành phố: Thành phố Hải Phòng"…
    scope: str
    #: The place written before the date ("Lê Đại Hành, ngày …"); empty for a nationwide report.
    place: str
    start: dt.date
    end: dt.date

    @property
    def period(self) -> str:
        return _("Reporting period: from %(start)s to %(end)s") % {
            "start": f"{self.start:%d/%m/%Y}",
            "end": f"{self.end:%d/%m/%Y}",
        }

    @property
    def place_date(self) -> str:
        today = vietnamese_date(timezone.localdate())
        return f"{self.place}, {today}" if self.place else today[:1].upper() + today[1:]

    def write(self, sheet, *, columns: int, title: str, subtitle: str = "") -> None:
        sheet.heading(
            columns=columns,
            title=title,
            issuing_body=self.issuing_body,
            place_date=self.place_date,
            lines=[line for line in (subtitle, self.scope, self.period) if line],
        )


#: What the tracking book reads of each dossier: its own columns and the procedure's name, as tuples (no model
#: instance per row: a province-year is tens of thousands of rows).
BOOK_COLUMNS = (
    "code", "procedure__name", "applicant_name", "applicant_address", "applicant_phone", "channel", "received_at",
    "due_at", "closed_at", "returned_at", "status", "is_test",
)  # fmt: skip


def tracking_book_xlsx(dossiers, *, heading: ReportHeading) -> bytes:
    """The tracking book (form 06) of ``dossiers`` (a queryset, in the book's order), read in chunks."""
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
    # The labels translated once, not once per row.
    channels = {value: str(label) for value, label in Channel.choices}
    statuses = {value: with_code(value) for value in Status.values}
    test_note = _("Test dossier")
    rows = (
        [
            i,
            code,
            procedure,
            applicant,
            address,
            phone,
            channels.get(channel, channel),
            received_at,
            due_at,
            closed_at,
            returned_at,
            statuses.get(status, status),
            test_note if is_test else "",
        ]
        for i, (
            code, procedure, applicant, address, phone, channel, received_at, due_at, closed_at, returned_at, status,
            is_test,
        ) in enumerate(dossiers.values_list(*BOOK_COLUMNS).iterator(chunk_size=2000), start=1)
    )  # fmt: skip
    writer = ExcelWriter()
    sheet = writer.sheet(_("Tracking book"), widths=[18] * len(headers))
    heading.write(sheet, columns=len(headers), title=_("Dossier tracking book"))
    sheet.row(headers, font=BOLD)
    sheet.rows(rows)
    return writer.to_bytes()


def _coded(label: str, *statuses: str) -> str:
    """A column of statuses with their national codes: "3 · Không được tiếp nhận"."""
    return f"{', '.join(statuses)} · {label}"


GROUP_TITLES = {
    "unit": gettext_lazy("By unit"),
    "field": gettext_lazy("By field"),
    "procedure": gettext_lazy("By procedure"),
}


def statistics_headers(group_by: str) -> list[str]:
    first = {"unit": _("Unit"), "field": _("Field"), "procedure": _("Procedure")}[group_by]
    return [
        first,
        _("Dossiers received"),
        _("Carried over"),
        _("New"),
        _("In person"),
        _("Online"),
        _("By post"),
        _coded(_("Finished"), Status.DONE, Status.RETURNED),
        _("Early"),
        _("On time"),
        _("Late"),
        _("Open in time"),
        _("Open overdue"),
        _coded(_("Refused"), Status.REFUSED),
        _coded(_("Withdrawn"), Status.WITHDRAWN),
        _coded(_("Stopped"), Status.STOPPED),
        _("On-time rate (%)"),
        _("Online rate (%)"),
    ]


def statistics_xlsx(
    rows, total, *, heading: ReportHeading, group_by: str = "unit", indicator_rows=(), indicator_total=None
) -> bytes:
    headers = statistics_headers(group_by)

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

    writer = ExcelWriter()
    sheet = writer.sheet(_("Statistics"), widths=[40] + [14] * (len(headers) - 1))
    heading.write(
        sheet,
        columns=len(headers),
        title=_("Results of handling administrative procedure dossiers"),
        subtitle=str(GROUP_TITLES[group_by]),
    )
    sheet.row(headers, font=BOLD)
    sheet.rows(line(f"{r.label} ({r.code})" if r.code else r.label, r) for r in rows)
    sheet.row(line(_("Total"), total), font=BOLD)
    if indicator_total is not None:
        write_indicators(
            writer,
            heading=heading,
            rows=[(r.unit_name, r.counts) for r in indicator_rows],
            total=(_("Total"), indicator_total),
        )
    return writer.to_bytes()


def _rate_cell(ratio):
    if not ratio.available:
        return _("no data yet")
    return "—" if ratio.rate is None else ratio.rate


def write_indicators(
    writer: ExcelWriter,
    *,
    heading: ReportHeading | None,
    rows,
    total,
    issuing_body: tuple[str, ...] = (),
    title_lines=(),
) -> None:
    """A sheet of the Decision 766 indicators: a row per unit (``rows``: ``(name, IndicatorCounts)``) and the
    ``total`` row, each indicator as numerator, denominator and rate (“—” without data), then the formulas. Under
    ``heading`` (a report of a period), or else under ``issuing_body`` and ``title_lines``."""
    columns = 1 + 3 * len(INDICATORS)
    sheet = writer.sheet(_("Decision 766 indicators"), widths=[40] + [12] * (columns - 1))
    title = _("Service indicators for citizens and businesses")
    decision = _("Under Decision 766/QĐ-TTg of the Prime Minister")
    if heading is not None:
        heading.write(sheet, columns=columns, title=title, subtitle=decision)
    else:
        sheet.heading(columns=columns, title=title, issuing_body=issuing_body, lines=[decision, *title_lines])
    first_header_row = sheet.row_count + 1
    sheet.row([_("Unit"), *(value for i in INDICATORS for value in (i.name, None, None))], font=BOLD, alignment=CENTRED)
    for index in range(len(INDICATORS)):
        sheet.merge(row=first_header_row, first_column=2 + 3 * index, last_column=4 + 3 * index)
    sheet.row(
        ["", *(value for _i in INDICATORS for value in (_("Numerator"), _("Denominator"), _("Rate (%)")))],
        font=BOLD,
        alignment=CENTRED,
    )
    for name, counts in rows:
        sheet.row([name, *_ratio_cells(counts)])
    sheet.row([total[0], *_ratio_cells(total[1])], font=BOLD)
    sheet.row([])
    sheet.row([_("Formulas")], font=BOLD)
    for indicator in INDICATORS:
        sheet.row([f"{indicator.name} = {indicator.numerator} / {indicator.denominator} × 100%"])
    sheet.row([_("“—”: no data (the denominator is 0).")])


def _ratio_cells(counts) -> list:
    return [value for ratio in counts.ratios for value in (ratio.numerator, ratio.denominator, _rate_cell(ratio))]
