"""Reminder rules of the pilot campaigns, run hourly during the day (see pilot_portal/notifications).

- ``campaign_milestones``: the review meeting, the old-procedure cut-off and go-live of each campaign, at T-7,
  T-3, T-1 and on the day, to the province's staff and the officials of the campaign's units, with what is still
  open for them. A stage missed while the broker was down is sent late by the next run (the stage is the smallest
  of 7, 3, 1, 0 at or above the days left). The key holds the milestone's date: moving a milestone in the admin
  gives the new date its own reminders.
- ``readiness_items``: once a day, each unit's hand-ticked checklist items that are overdue or due within two
  days, to the unit's officials (the item's owner is a department named on the item, not a user account).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pilot_portal.core.collation import Vietnamese
from pilot_portal.notifications.models import Kind
from pilot_portal.notifications.recipients import province_staff_by_province, unit_officials_by_unit
from pilot_portal.notifications.services import Message, notify_many
from pilot_portal.notifications.sweeps import Cadence, sweep
from service_center.calendar import calendar

from .models import (
    CampaignUnit,
    ChecklistItem,
    DerivedSource,
    IssueStatus,
    ItemStatus,
    Milestone,
    PilotIssue,
    PilotStatus,
)

REMINDED_MILESTONES = (
    Milestone.Kind.REVIEW_MEETING,
    Milestone.Kind.OLD_PROCEDURE_CUTOFF,
    Milestone.Kind.GO_LIVE,
)
#: Days before a milestone when it is announced; 0 is the day itself.
STAGES = (7, 3, 1, 0)
#: Readiness items due within this many days count as "due soon".
DUE_SOON_DAYS = 2
#: Items listed by name in one notification; the rest are counted.
LISTED = 5


def _date(day: dt.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _stage(days_left: int) -> int | None:
    return min((stage for stage in STAGES if stage >= days_left), default=None) if days_left >= 0 else None


def _milestone_title(milestone: Milestone, days_left: int) -> str:
    values = {"milestone": milestone.get_kind_display(), "date": _date(milestone.date)}
    if days_left == 0:
        return _("Today: %(milestone)s (%(date)s)") % values
    return ngettext(
        "%(days)d day left until %(milestone)s (%(date)s)",
        "%(days)d days left until %(milestone)s (%(date)s)",
        days_left,
    ) % {**values, "days": days_left}


def _item_line(item: ChecklistItem) -> str:
    owner = f" · {item.owner}" if item.owner else ""
    return f"- {item.title} ({_date(item.due_date)}{owner})"


def _listing(lines: list[str]) -> str:
    shown = lines[:LISTED]
    if len(lines) > LISTED:
        shown.append(_("… and %(count)d more.") % {"count": len(lines) - LISTED})
    return "\n".join(shown)


def _open_items(campaign_ids) -> list[ChecklistItem]:
    """Open hand-ticked items by unit, then due date (a unit in a wave has its own pilot start)."""
    items = list(
        ChecklistItem.objects.filter(
            campaign_unit__campaign_id__in=campaign_ids, derived_source=DerivedSource.NONE
        )
        .exclude(status=ItemStatus.DONE)
        .exclude(campaign_unit__status=PilotStatus.LIVE)
        .select_related("milestone", "campaign_unit__wave")
        .only(
            "id", "title", "owner", "offset_days", "milestone__date", "milestone__kind", "campaign_unit__unit_id",
            "campaign_unit__campaign_id", "campaign_unit__wave__starts_at",
        )
    )  # fmt: skip
    return sorted(items, key=lambda item: (item.campaign_unit_id, item.due_date, item.id))


@sweep("campaign_milestones", cadence=Cadence.HOURLY)
def campaign_milestones(at: dt.datetime) -> int:
    today = timezone.localdate(at)
    milestones = list(
        Milestone.objects.filter(
            kind__in=REMINDED_MILESTONES, date__gte=today, date__lte=today + dt.timedelta(days=max(STAGES))
        )
        .select_related("campaign")
        .order_by("date", "id")
    )
    if not milestones:
        return 0
    campaign_ids = {m.campaign_id for m in milestones}
    campaign_units = list(
        CampaignUnit.objects.filter(campaign_id__in=campaign_ids)
        .select_related("unit")
        .order_by(Vietnamese("unit__name"))
    )
    officials = unit_officials_by_unit(cu.unit_id for cu in campaign_units)
    staff = province_staff_by_province(m.campaign.province_id for m in milestones)
    items_by_unit: dict[int, list[ChecklistItem]] = defaultdict(list)
    for item in _open_items(campaign_ids):
        items_by_unit[item.campaign_unit.unit_id].append(item)

    messages = []
    for milestone in milestones:
        days_left = (milestone.date - today).days
        stage = _stage(days_left)
        key = f"milestone:{milestone.id}:T-{stage}:{milestone.date.isoformat()}"
        title = _milestone_title(milestone, days_left)
        units = [cu for cu in campaign_units if cu.campaign_id == milestone.campaign_id]
        late_units = []
        for cu in units:
            open_items = [i for i in items_by_unit.get(cu.unit_id, ()) if i.due_date <= milestone.date]
            if open_items:
                late_units.append(f"- {cu.unit.name}: {len(open_items)}")
                body = _("Still open for your unit by then:") + "\n" + _listing([_item_line(i) for i in open_items])
            else:
                body = _("Every checklist item of your unit due by then is done.")
            link = reverse("campaigns:unit", args=[cu.pk])
            messages.extend(
                Message(user_id, Kind.MILESTONE, key, title, body, link) for user_id in officials.get(cu.unit_id, ())
            )
        if late_units:
            body = (
                _("Units with checklist items still open by then: %(late)d of %(total)d.")
                % {"late": len(late_units), "total": len(units)}
                + "\n"
                + _listing(late_units)
            )
        else:
            body = _("Every unit of the campaign has done its checklist items due by then.")
        link = reverse("campaigns:dashboard", args=[milestone.campaign_id])
        messages.extend(
            Message(user_id, Kind.MILESTONE, key, title, body, link)
            for user_id in staff.get(milestone.campaign.province_id, ())
        )
    return len(notify_many(messages))


@sweep("readiness_items", cadence=Cadence.HOURLY)
def readiness_items(at: dt.datetime) -> int:
    today = timezone.localdate(at)
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    campaign_ids = CampaignUnit.objects.exclude(status=PilotStatus.LIVE).values("campaign_id")
    by_unit: dict[tuple[int, int], list[ChecklistItem]] = defaultdict(list)
    for item in _open_items(campaign_ids):
        if item.due_date <= soon:
            by_unit[(item.campaign_unit.unit_id, item.campaign_unit_id)].append(item)
    officials = unit_officials_by_unit(unit_id for unit_id, _cu in by_unit)
    messages = []
    for (unit_id, campaign_unit_id), items in by_unit.items():
        overdue = [i for i in items if i.due_date < today]
        due_soon = [i for i in items if i.due_date >= today]
        title = _("Readiness: %(overdue)d overdue, %(soon)d due within %(days)d days") % {
            "overdue": len(overdue),
            "soon": len(due_soon),
            "days": DUE_SOON_DAYS,
        }
        parts = []
        if overdue:
            parts.append(_("Overdue:") + "\n" + _listing([_item_line(i) for i in overdue]))
        if due_soon:
            parts.append(_("Due soon:") + "\n" + _listing([_item_line(i) for i in due_soon]))
        key = f"readiness:{campaign_unit_id}:{today.isoformat()}"
        link = reverse("campaigns:unit", args=[campaign_unit_id])
        messages.extend(
            Message(user_id, Kind.READINESS, key, title, "\n\n".join(parts), link)
            for user_id in officials.get(unit_id, ())
        )
    return len(notify_many(messages))


@sweep("issue_answers_due", cadence=Cadence.OFFICE_HOURS)
def issue_answers_due(at: dt.datetime) -> int:
    """Issues not answered whose answer is due within the next working day (or already overdue): to the staff of
    the unit's province, once per issue and due time (a reminder before the deadline, not every quarter hour)."""
    work_calendar = calendar()
    horizon = work_calendar.add_office_time(at, work_calendar.day_length)
    issues = list(
        PilotIssue.objects.filter(status=IssueStatus.OPEN, answer_due_at__lte=horizon)
        .select_related("campaign_unit__unit")
        .order_by("answer_due_at", "id")
    )
    staff = province_staff_by_province({i.campaign_unit.unit.province_id for i in issues})

    def when(moment: dt.datetime) -> str:
        return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")

    messages = []
    for issue in issues:
        unit = issue.campaign_unit.unit
        values = {"unit": unit.name, "title": issue.title, "due": when(issue.answer_due_at)}
        if issue.answer_due_at > at:
            title = _("Answer due by %(due)s: %(title)s (%(unit)s)") % values
        else:
            title = _("Answer overdue since %(due)s: %(title)s (%(unit)s)") % values
        key = f"issue:{issue.pk}:answer-due:{issue.answer_due_at.isoformat()}:{issue.answer_due_at <= at}"
        link = reverse("campaigns:issue", args=[issue.pk])
        messages.extend(
            Message(user_id, Kind.ISSUE, key, title, issue.description, link)
            for user_id in staff.get(unit.province_id, ())
        )
    return len(notify_many(messages))
