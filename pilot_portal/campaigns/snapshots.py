"""Taking the daily readiness snapshots (the nightly task and ``manage.py snapshot_readiness``) and reading the
trends they draw."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet, Sum

from .models import Campaign, CampaignUnit, ReadinessSnapshot
from .selectors import unit_readiness


def readiness_snapshots_take(*, day: dt.date, campaigns: QuerySet[Campaign] | None = None) -> int:
    """One snapshot per campaign unit for ``day``: as the unit stood at the end of that day (replayed from the
    histories for a past day, the live figures for today). Idempotent: a unit that has its row for the day keeps
    it (a re-run changes nothing). ``campaigns``: only these (the demo back-fills its own); every campaign by
    default. Returns how many rows were created."""
    created = 0
    campaigns = Campaign.objects.all() if campaigns is None else campaigns
    for campaign in campaigns.prefetch_related("milestones"):
        rows = []
        for r in unit_readiness(
            campaign=campaign, campaign_units=CampaignUnit.objects.filter(campaign=campaign), on=day
        ):
            rows.append(
                ReadinessSnapshot(
                    campaign_unit=r.campaign_unit,
                    day=day,
                    pilot_status=r.pilot_status,
                    items_done=r.done,
                    items_total=r.total,
                    blocks={cell.block: [cell.done, cell.total] for cell in r.cells},
                    gate_passes=r.gate.passes,
                    dossiers_received=r.dossiers["received"],
                    test_dossiers_returned=r.dossiers["test_returned"],
                    first_hdnd_closed=r.sessions["first_hdnd_closed"],
                    first_ubnd_closed=r.sessions["first_ubnd_closed"],
                )
            )
        before = ReadinessSnapshot.objects.filter(campaign_unit__campaign=campaign, day=day).count()
        ReadinessSnapshot.objects.bulk_create(rows, ignore_conflicts=True)
        created += ReadinessSnapshot.objects.filter(campaign_unit__campaign=campaign, day=day).count() - before
    return created


def readiness_trend(snapshots) -> list[tuple[dt.date, int]]:
    """(day, checklist completion %) of the snapshots given (one unit's, or a province's summed), by day; one
    query."""
    rows = snapshots.values("day").annotate(done=Sum("items_done"), total=Sum("items_total")).order_by("day")
    return [(row["day"], round(100 * row["done"] / row["total"]) if row["total"] else 0) for row in rows]


def trend_chart(points: list[tuple[dt.date, int]]) -> dict | None:
    """Geometry of a line chart (server-rendered SVG) of the completion % over the days; None without points."""
    if not points:
        return None
    width, height, left, bottom, top = 480, 140, 34, 22, 8
    inner_w, inner_h = width - left - 8, height - bottom - top
    span = max(1, (points[-1][0] - points[0][0]).days)
    coords = [
        (round(left + inner_w * (day - points[0][0]).days / span, 1), round(top + inner_h * (100 - pct) / 100, 1))
        for day, pct in points
    ]
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - 8,
        "top": top,
        "bottom": height - bottom,
        "label_y": height - 6,
        "polyline": " ".join(f"{x},{y}" for x, y in coords),
        "dots": [
            {"x": x, "y": y, "day": day, "percent": pct} for (x, y), (day, pct) in zip(coords, points, strict=True)
        ],
        "first": points[0][0],
        "last": points[-1][0],
    }
