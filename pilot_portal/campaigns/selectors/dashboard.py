"""The province dashboard: countdown to the next milestone, the units x blocks matrix, the chart."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from pilot_portal.core.collation import Vietnamese

from ..models import (
    Block,
    Campaign,
    CampaignUnit,
    Milestone,
    PilotStatus,
)
from .readiness import UnitReadiness, today, unit_readiness


@dataclass
class Countdown:
    milestone: Milestone | None
    days: int | None


def next_milestone(*, campaign: Campaign, on: dt.date | None = None) -> Countdown:
    on = on or today()
    upcoming = [m for m in campaign.milestones.all() if m.date >= on]
    if not upcoming:
        return Countdown(milestone=None, days=None)
    first = min(upcoming, key=lambda m: m.date)
    return Countdown(milestone=first, days=(first.date - on).days)


def campaigns_visible(*, user) -> QuerySet[Campaign]:
    return Campaign.objects.visible_to(user).select_related("province").order_by(Vietnamese("province__name"))


def campaign_for_dashboard(*, user, pk: int) -> Campaign:
    """Raises ``Campaign.DoesNotExist`` outside the user's scope."""
    return Campaign.objects.visible_to(user).select_related("province").prefetch_related("milestones").get(pk=pk)


def campaign_unit_for_user(*, user, pk: int) -> CampaignUnit:
    """Raises ``CampaignUnit.DoesNotExist`` outside the user's scope."""
    return (
        CampaignUnit.objects.visible_to(user)
        .select_related("unit", "wave", "campaign__province")
        .prefetch_related("campaign__milestones")
        .get(pk=pk)
    )


def dashboard(*, campaign: Campaign, user, on: dt.date | None = None) -> dict:
    on = on or today()
    readiness = unit_readiness(
        campaign=campaign, campaign_units=CampaignUnit.objects.visible_to(user).filter(campaign=campaign), on=on
    )
    late = sorted(
        ((r, v) for r in readiness for v in r.late_items),
        key=lambda pair: (pair[1].item.due_date, pair[0].unit.name),
    )
    critical = [(r, issue) for r in readiness for issue in r.critical_issues]
    return {
        "countdown": next_milestone(campaign=campaign, on=on),
        "milestones": sorted(campaign.milestones.all(), key=lambda m: m.date),
        "readiness": readiness,
        "blocks": [(value, label) for value, label in Block.choices],
        "late": late,
        "critical": critical,
        "chart": readiness_chart(readiness),
        "live_count": sum(r.pilot_status == PilotStatus.LIVE for r in readiness),
        "passing_count": sum(r.gate.passes for r in readiness),
    }


def readiness_chart(readiness: list[UnitReadiness]) -> dict:
    """Geometry of a horizontal bar chart (server-rendered SVG, no JavaScript): readiness percent per unit."""
    row_height, label_width, bar_width = 22, 190, 300
    bars = []
    for index, r in enumerate(readiness):
        percent = r.percent
        colour = "#198754" if percent == 100 else ("#dc3545" if r.late_items else "#ffc107")
        bars.append(
            {
                "y": index * row_height + 4,
                "text_y": index * row_height + 18,
                "width": round(bar_width * percent / 100),
                "value_x": label_width + round(bar_width * percent / 100) + 6,
                "label": r.unit.name,
                "percent": percent,
                "colour": colour,
            }
        )
    return {
        "bars": bars,
        "label_width": label_width,
        "bar_width": bar_width,
        "width": label_width + bar_width + 50,
        "height": max(1, len(readiness)) * row_height + 8,
    }


# --- Review report -----------------------------------------------------------------------------------------------
