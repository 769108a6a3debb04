"""Who hears of what happens in a campaign: a critical issue raised (the province's staff), an answer (the unit's
officials and whoever raised it), a pilot status decision or a go-live (the unit's officials), a milestone moved (the
units of the campaign), a wave's new start or a unit put in another wave (the units concerned). Called by the
services inside their transaction: the notifications are stored with the change and e-mailed after the commit
(``notify_many``), each once (its key)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilot_portal.notifications.models import Kind
from pilot_portal.notifications.recipients import province_staff_by_province, unit_officials_by_unit
from pilot_portal.notifications.services import Message, notify_many

from .models import (
    Campaign,
    CampaignUnit,
    ChecklistItem,
    IssueSeverity,
    ItemStatus,
    Milestone,
    PilotIssue,
    PilotStatus,
    Wave,
)


def _unit_officials(unit_id: int) -> list[int]:
    return unit_officials_by_unit([unit_id]).get(unit_id, [])


def issue_raised(issue: PilotIssue) -> None:
    if issue.severity != IssueSeverity.CRITICAL:
        return
    unit = issue.campaign_unit.unit
    staff = province_staff_by_province([unit.province_id]).get(unit.province_id, [])
    title = _("Critical issue at %(unit)s: %(title)s") % {"unit": unit.name, "title": issue.title}
    link = reverse("campaigns:issue", args=[issue.pk])
    notify_many(
        Message(user_id, Kind.ISSUE, f"issue:{issue.pk}:raised", title, issue.description, link) for user_id in staff
    )


def issue_answered(issue: PilotIssue, *, answer_key: str) -> None:
    recipients = set(_unit_officials(issue.campaign_unit.unit_id))
    if issue.raised_by_id and issue.raised_by.is_active:
        recipients.add(issue.raised_by_id)
    recipients.discard(issue.answered_by_id)
    title = _("The province answered: %(title)s") % {"title": issue.title}
    link = reverse("campaigns:issue", args=[issue.pk])
    notify_many(
        Message(user_id, Kind.ISSUE, f"issue:{issue.pk}:answer:{answer_key}", title, issue.answer, link)
        for user_id in sorted(recipients)
    )


def pilot_status_changed(campaign_unit: CampaignUnit, *, event_key: str, note: str = "") -> None:
    status = PilotStatus(campaign_unit.status)
    if status == PilotStatus.LIVE:
        title = _("%(unit)s goes live") % {"unit": campaign_unit.unit.name}
    else:
        title = _("Pilot status of %(unit)s: %(status)s") % {"unit": campaign_unit.unit.name, "status": status.label}
    link = reverse("campaigns:unit", args=[campaign_unit.pk])
    notify_many(
        Message(user_id, Kind.PILOT, f"campaign_unit:{campaign_unit.pk}:status:{event_key}", title, note, link)
        for user_id in _unit_officials(campaign_unit.unit_id)
    )


def issue_replied(issue: PilotIssue, *, actor, text: str) -> None:
    """The unit answered back: the province's staff are told (each reply once)."""
    unit = issue.campaign_unit.unit
    staff = province_staff_by_province([unit.province_id]).get(unit.province_id, [])
    title = _("%(unit)s replied: %(title)s") % {"unit": unit.name, "title": issue.title}
    link = reverse("campaigns:issue", args=[issue.pk])
    key = f"issue:{issue.pk}:reply:{issue.answer_due_at.isoformat()}"
    notify_many(Message(user_id, Kind.ISSUE, key, title, text, link) for user_id in staff if user_id != actor.pk)


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def _moment(value: datetime) -> str:
    return f"{timezone.localtime(value):%H:%M %d/%m/%Y}"


def _pilot_start_items(**filters) -> dict[int, tuple[int, int]]:
    """(items, not done) due relative to the pilot start, per campaign unit of ``filters`` (one query)."""
    rows = (
        ChecklistItem.objects.filter(milestone__kind=Milestone.Kind.PILOT_START, **filters)
        .values("campaign_unit_id")
        .annotate(n=Count("id"), open=Count("id", filter=~Q(status=ItemStatus.DONE)))
        .order_by()
    )
    return {row["campaign_unit_id"]: (row["n"], row["open"]) for row in rows}


def _items_moved(counts: tuple[int, int], old: date, new: date) -> str:
    items, still_open = counts
    if not items or old == new:
        return ""
    return _(
        "Your unit's checklist items due relative to the pilot start move with it, from %(old)s to %(new)s: "
        "%(items)s items, %(open)s not done yet."
    ) % {"old": _day(old), "new": _day(new), "items": items, "open": still_open}


def milestones_moved(*, campaign: Campaign, moved: list[tuple[Milestone, date]]) -> None:
    """Every unit of the campaign hears of each moved milestone (``milestone`` still carries its old date). A unit in
    a wave starts the pilot with its wave: the pilot start's move does not move its checklist, and it is told so."""
    if not moved:
        return
    units = list(campaign.units.select_related("wave"))
    officials = unit_officials_by_unit({cu.unit_id for cu in units})
    messages = []
    for milestone, day in moved:
        values = {"milestone": milestone.get_kind_display(), "old": _day(milestone.date), "new": _day(day)}
        title = _("%(milestone)s moved to %(date)s") % {"milestone": values["milestone"], "date": values["new"]}
        key = f"campaign:{campaign.pk}:milestone:{milestone.kind}:{day.isoformat()}"
        for cu in units:
            if milestone.kind == Milestone.Kind.PILOT_START and cu.wave is not None:
                body = _(
                    "The province moved %(milestone)s from %(old)s to %(new)s; your unit starts with its wave "
                    "(%(wave)s, %(start)s): its checklist due dates stay."
                ) % {**values, "wave": cu.wave.name, "start": _moment(cu.wave.starts_at)}
            else:
                body = (
                    _("The province moved %(milestone)s from %(old)s to %(new)s; the checklist due dates move with it.")
                    % values
                )
            link = reverse("campaigns:unit", args=[cu.pk])
            messages.extend(
                Message(user_id, Kind.MILESTONE, key, title, body, link) for user_id in officials.get(cu.unit_id, ())
            )
    notify_many(messages)


def wave_moved(*, wave: Wave, starts_at: datetime) -> None:
    """The units of the wave hear of its new start (``wave`` still carries the old one) and of the checklist items
    that move with it."""
    units = list(CampaignUnit.objects.filter(wave=wave).only("pk", "unit_id"))
    officials = unit_officials_by_unit({cu.unit_id for cu in units})
    counts = _pilot_start_items(campaign_unit__wave=wave)
    title = _("%(wave)s now starts at %(start)s") % {"wave": wave.name, "start": _moment(starts_at)}
    key = f"campaign:{wave.campaign_id}:wave:{wave.pk}:{starts_at.isoformat()}"
    old, new = timezone.localdate(wave.starts_at), timezone.localdate(starts_at)
    messages = []
    for cu in units:
        body = _items_moved(counts.get(cu.pk, (0, 0)), old, new)
        link = reverse("campaigns:unit", args=[cu.pk])
        messages.extend(
            Message(user_id, Kind.MILESTONE, key, title, body, link) for user_id in officials.get(cu.unit_id, ())
        )
    notify_many(messages)


@dataclass(frozen=True)
class WaveMove:
    """A unit put in another wave (``campaign_unit.wave`` still the old one), the days it starts the pilot before and
    after, and the key of its history row (each move told once)."""

    campaign_unit: CampaignUnit
    old_start: date | None
    new_start: date | None
    change_key: str


def units_wave_changed(*, moves: list[WaveMove], wave: Wave | None) -> None:
    """The officials of each unit put in ``wave`` (or in none) hear that their unit is in another wave and which
    checklist items move with it (three queries whatever the units)."""
    if not moves:
        return
    officials = unit_officials_by_unit({m.campaign_unit.unit_id for m in moves})
    counts = _pilot_start_items(campaign_unit_id__in=[m.campaign_unit.pk for m in moves])
    messages = []
    for move in moves:
        cu = move.campaign_unit
        if wave is not None:
            title = _("Your unit is now in %(wave)s (start %(start)s)") % {
                "wave": wave.name,
                "start": _moment(wave.starts_at),
            }
        elif move.new_start is not None:
            title = _("Your unit starts the pilot on the campaign's pilot start (%(date)s)") % {
                "date": _day(move.new_start)
            }
        else:
            title = _("Your unit is no longer in a wave")
        body = ""
        if move.old_start is not None and move.new_start is not None:
            body = _items_moved(counts.get(cu.pk, (0, 0)), move.old_start, move.new_start)
        link = reverse("campaigns:unit", args=[cu.pk])
        key = f"campaign_unit:{cu.pk}:wave:{move.change_key}"
        messages.extend(
            Message(user_id, Kind.MILESTONE, key, title, body, link) for user_id in officials.get(cu.unit_id, ())
        )
    notify_many(messages)
