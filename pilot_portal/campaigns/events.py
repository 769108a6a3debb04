"""Who hears of what happens in a campaign: a critical issue raised (the province's staff), an answer (the unit's
officials and whoever raised it), a pilot status decision or a go-live (the unit's officials). Called by the
services inside their transaction: the notifications are stored with the change and e-mailed after the commit
(``notify_many``), each once (its key)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from pilot_portal.notifications.models import Kind
from pilot_portal.notifications.recipients import province_staff_by_province, unit_officials_by_unit
from pilot_portal.notifications.services import Message, notify_many

from .models import CampaignUnit, IssueSeverity, PilotIssue, PilotStatus


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
