"""The review report as an Excel workbook (openpyxl)."""

import datetime as dt
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font


def review_report_workbook(*, campaign, report, as_of: dt.date | None = None) -> bytes:
    """``as_of``: the past day the figures are as of (at its end); None for the figures as they are now."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Units")[:31]
    if as_of is not None:
        when = _("Figures as of the end of %(day)s.") % {"day": f"{as_of:%d/%m/%Y}"}
    else:
        when = _("Figures as of %(when)s.") % {"when": f"{timezone.localtime():%H:%M %d/%m/%Y}"}
    sheet.append([campaign.name, when])
    sheet["A1"].font = Font(bold=True, size=14)
    headers = [
        _("Unit"),
        _("Pilot status"),
        _("Checklist done"),
        _("Checklist items"),
        _("Checklist completion (%)"),
        _("Sessions held"),
        _("Session minutes"),
        _("Sessions over budget"),
        _("Dossiers received"),
        _("Dossiers returned"),
        _("On-time rate (%)"),
        _("Issues raised"),
        _("Issues answered"),
        _("Passes the go-live gate"),
    ]
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in report["rows"]:
        r = row.readiness
        sheet.append(
            [
                r.unit.name,
                r.pilot_status_label,
                r.done,
                r.total,
                r.percent,
                row.sessions_held,
                row.session_minutes,
                row.overruns,
                r.dossiers["received"],
                r.dossiers["returned"],
                r.dossiers["on_time_rate"],
                r.issues_raised,
                r.issues_answered,
                _("Yes") if r.gate.passes else _("No"),
            ]
        )
    t = report["totals"]
    sheet.append(
        [
            _("Province-wide"),
            "",
            t["items_done"],
            t["items_total"],
            t["checklist_percent"],
            t["sessions_held"],
            t["session_minutes"],
            t["overruns"],
            t["dossiers_received"],
            t["dossiers_returned"],
            t["mean_on_time_rate"],
            t["issues_raised"],
            t["issues_answered"],
            t["gate_passing"],
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 30

    sessions = book.create_sheet(_("Sessions")[:31])
    sessions.append(
        [_("Unit"), _("Session"), _("Rehearsal"), _("Budget (minutes)"), _("Actual (minutes)"), _("Overrun (minutes)")]
    )
    for row in report["rows"]:
        for s in row.sessions:
            sessions.append(
                [
                    row.unit.name,
                    s["title"],
                    _("Yes") if s["is_rehearsal"] else _("No"),
                    s["budget_minutes"],
                    s["actual_minutes"],
                    s["overrun_minutes"],
                ]
            )
    lessons = book.create_sheet(_("Lessons learned")[:31])
    lessons.append([_("Unit"), _("Lesson")])
    for row in report["rows"]:
        for text in row.lessons:
            lessons.append([row.unit.name, text])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
