"""The issues log: what a user may see of the issues raised during the pilot."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from ..models import (
    NO_BLOCK,
    Campaign,
    CampaignUnit,
    PilotIssue,
    PilotIssueEvent,
)
from .readiness import _status_then


def unit_issues(*, user, campaign_unit: CampaignUnit, until: dt.datetime | None = None) -> list[PilotIssue]:
    """The unit's issues, latest first; with ``until`` (an as-of view), those raised by then, each showing the
    status it had then (display-only instances)."""
    issues = (
        PilotIssue.objects.visible_to(user)
        .filter(campaign_unit=campaign_unit)
        .select_related("raised_by", "answered_by")
        .order_by("-raised_at")
    )
    if until is None:
        return list(issues)
    issues = list(
        issues.filter(raised_at__lt=until).annotate(status_then=_status_then(PilotIssueEvent, "issue", until))
    )
    for issue in issues:
        issue.status = issue.status_then
        issue.looked_at = until
    return issues


def campaign_issues(
    *,
    user,
    campaign: Campaign,
    status: str = "",
    severity: str = "",
    block: str = "",
    unit_id: int | None = None,
) -> QuerySet[PilotIssue]:
    """The campaign's issues the user may see, newest first; ``block`` a block of the checklist, or ``NO_BLOCK``
    for the issues raised before blocks were asked."""
    issues = (
        PilotIssue.objects.visible_to(user)
        .filter(campaign_unit__campaign=campaign)
        .select_related("campaign_unit__unit", "raised_by", "answered_by")
        .order_by("-raised_at")
    )
    if status:
        issues = issues.filter(status=status)
    if severity:
        issues = issues.filter(severity=severity)
    if block:
        issues = issues.filter(block="" if block == NO_BLOCK else block)
    if unit_id:
        issues = issues.filter(campaign_unit__unit_id=unit_id)
    return issues


def issue_for_user(*, user, pk: int) -> PilotIssue:
    return (
        PilotIssue.objects.visible_to(user)
        .select_related("campaign_unit__unit", "campaign_unit__campaign", "raised_by", "answered_by")
        .prefetch_related("events__actor")
        .get(pk=pk)
    )
