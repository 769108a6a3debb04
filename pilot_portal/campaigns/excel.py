"""The review report as an Excel workbook (the portal's writer: text typed by users never becomes a formula)."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from pilot_portal.core.excel import BOLD, TITLE, ExcelWriter
from service_center.exports import write_indicators


def review_report_workbook(*, campaign, report, as_of: dt.date | None = None) -> bytes:
    """``as_of``: the past day the figures are as of (at its end); None for the figures as they are now."""
    writer = ExcelWriter()
    sheet = writer.sheet(_("Units"), widths=[30])
    if as_of is not None:
        when = _("Figures as of the end of %(day)s.") % {"day": f"{as_of:%d/%m/%Y}"}
    else:
        when = _("Figures as of %(when)s.") % {"when": f"{timezone.localtime():%H:%M %d/%m/%Y}"}
    sheet.row([campaign.name, when], font=TITLE)
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
    sheet.row(headers, font=BOLD)
    for row in report["rows"]:
        r = row.readiness
        sheet.row(
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
    sheet.row(
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
        ],
        font=BOLD,
    )

    sessions = writer.sheet(_("Sessions"), widths=[30, 50])
    sessions.row(
        [_("Unit"), _("Session"), _("Rehearsal"), _("Budget (minutes)"), _("Actual (minutes)"), _("Overrun (minutes)")],
        font=BOLD,
    )
    for row in report["rows"]:
        for s in row.sessions:
            sessions.row(
                [
                    row.unit.name,
                    s["title"],
                    _("Yes") if s["is_rehearsal"] else _("No"),
                    s["budget_minutes"],
                    s["actual_minutes"],
                    s["overrun_minutes"],
                ]
            )
    lessons = writer.sheet(_("Lessons learned"), widths=[30, 80])
    lessons.row([_("Unit"), _("Lesson")], font=BOLD)
    for row in report["rows"]:
        for text in row.lessons:
            lessons.row([row.unit.name, text])
    if as_of is not None:
        covers = _("Every dossier of the units up to the end of %(day)s.") % {"day": f"{as_of:%d/%m/%Y}"}
    else:
        covers = _("Every dossier of the units up to now.")
    write_indicators(
        writer,
        heading=None,
        issuing_body=(f"UBND {campaign.province.name}".upper(),),
        title_lines=[campaign.name, covers, when],
        rows=[(r.unit_name, r.counts) for r in report["indicator_rows"]],
        total=(_("Province-wide"), report["indicator_total"]),
    )
    return writer.to_bytes()


def national_overview_workbook(*, overview, blocks, as_of: dt.date | None = None) -> bytes:
    """The national overview: a title row, the day the figures are as of, one row per province, the nation's
    total. ``blocks``: (value, label) of the checklist blocks, in the columns' order."""
    writer = ExcelWriter()
    sheet = writer.sheet(_("Provinces"), widths=[30, 28])
    if as_of is not None:
        when = _("Figures as of the end of %(day)s.") % {"day": f"{as_of:%d/%m/%Y}"}
    else:
        when = _("Figures as of %(when)s.") % {"when": f"{timezone.localtime():%H:%M %d/%m/%Y}"}
    sheet.row([_("National overview of the pilot")], font=TITLE)
    sheet.row([when])
    sheet.row(
        [
            _("Province"),
            _("Next milestone"),
            _("Milestone date"),
            _("Pilot units"),
            _("Piloting"),
            _("Reviewed"),
            _("Live"),
            _("Pass the go-live gate"),
            *[f"{label} (%)" for _value, label in blocks],
            _("Checklist completion (%)"),
            _("First HĐND session closed"),
            _("First UBND meeting closed"),
            _("Test dossiers returned"),
            _("Dossiers received"),
            _("On-time rate (%)"),
            _("Open critical issues"),
        ],
        font=BOLD,
    )

    def figures(r):
        return [
            r.units,
            r.piloting,
            r.reviewed,
            r.live,
            r.passing,
            *[b.percent for b in r.blocks],
            r.checklist_percent,
            r.first_hdnd_closed,
            r.first_ubnd_closed,
            r.test_returned,
            r.received,
            r.on_time_rate,
            r.critical_open,
        ]

    for r in overview["rows"]:
        milestone = r.countdown.milestone
        sheet.row(
            [
                r.province.name,
                milestone.get_kind_display() if milestone else "",
                milestone.date if milestone else None,
                *figures(r),
            ]
        )
    sheet.row([_("Nationwide"), "", None, *figures(overview["totals"]["row"])], font=BOLD)
    return writer.to_bytes()
