"""The map of the units: every unit the user may see as a point at its registry coordinates, coloured by its pilot
status, drawn as server-side SVG (no tile server, no script). One query whatever the number of units."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pilot_portal.core.collation import Vietnamese
from units.models import Unit

from ..models import CampaignUnit, CampaignUnitEvent, PilotStatus
from .readiness import _status_then, as_of_moment

#: Legend of the map, in its order: (key, label, colour). "none": the unit is in no campaign.
LEGEND = (
    (PilotStatus.NOT_STARTED.value, PilotStatus.NOT_STARTED.label, "#6c757d"),
    (PilotStatus.PILOTING.value, PilotStatus.PILOTING.label, "#0d6efd"),
    (PilotStatus.REVIEWED.value, PilotStatus.REVIEWED.label, "#fd7e14"),
    (PilotStatus.LIVE.value, PilotStatus.LIVE.label, "#198754"),
    ("none", _("Not in a campaign"), "#ced4da"),
)
COLOURS = {key: colour for key, _label, colour in LEGEND}
STATUS_LABELS = {key: label for key, label, _colour in LEGEND}

WIDTH = 480
MAX_HEIGHT = 640
MIN_HEIGHT = 160
PADDING = 10
LEGEND_ROW = 16


@dataclass
class MapPoint:
    x: float
    y: float
    name: str
    status: str
    url: str

    @property
    def colour(self) -> str:
        return COLOURS[self.status]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def unit_map(*, user, on: dt.date | None = None, province_id: int | None = None) -> dict:
    """Geometry of the map of the units ``user`` may see (of one province with ``province_id``), as of ``on``.

    Units without coordinates in the registry are counted, not drawn. The projection is equirectangular, the
    longitude scaled by the cosine of the middle latitude, framed on the points drawn.
    """
    until = as_of_moment(on)
    units = Unit.objects.visible_to(user)
    if province_id is not None:
        units = units.filter(province_id=province_id)
    if until is not None:
        status = Subquery(
            CampaignUnit.objects.filter(unit_id=OuterRef("pk"))
            .annotate(then=_status_then(CampaignUnitEvent, "campaign_unit", until))
            .values("then")[:1]
        )
    else:
        status = F("campaign_unit__status")
    rows = list(
        units.annotate(pilot_status=status)
        .order_by(Vietnamese("name"))
        .values("code", "name", "latitude", "longitude", "campaign_unit__id", "pilot_status")
    )
    placed = [r for r in rows if r["latitude"] is not None and r["longitude"] is not None]
    geometry = _frame(placed)
    points = []
    if placed:
        # Two reverse() calls for thousands of links.
        unit_url = reverse("units:detail", args=["00000"]).replace("00000", "{}")
        campaign_url = reverse("campaigns:unit", args=[987654321]).replace("987654321", "{}")
        for r in placed:
            x, y = geometry["project"](r["latitude"], r["longitude"])
            cu_id = r["campaign_unit__id"]
            points.append(
                MapPoint(
                    x=x,
                    y=y,
                    name=r["name"],
                    status=r["pilot_status"] if cu_id else "none",
                    url=campaign_url.format(cu_id) if cu_id else unit_url.format(r["code"]),
                )
            )
    counts = dict.fromkeys(COLOURS, 0)
    for p in points:
        counts[p.status] += 1
    legend_top = geometry["height"] + 8
    return {
        "points": points,
        "width": geometry["width"],
        "map_height": geometry["height"],
        "height": legend_top + LEGEND_ROW * (len(LEGEND) + (1 if len(rows) > len(placed) else 0)) + 4,
        "legend": [
            {
                "key": key,
                "label": label,
                "colour": colour,
                "count": counts[key],
                "y": legend_top + LEGEND_ROW * index + 6,
                "text_y": legend_top + LEGEND_ROW * index + 10,
            }
            for index, (key, label, colour) in enumerate(LEGEND)
        ],
        "unplaced_y": legend_top + LEGEND_ROW * len(LEGEND) + 10,
        "unplaced": len(rows) - len(placed),
        "unplaced_text": ngettext(
            "%(count)s unit has no coordinates in the registry and is not drawn.",
            "%(count)s units have no coordinates in the registry and are not drawn.",
            len(rows) - len(placed),
        )
        % {"count": len(rows) - len(placed)},
        "radius": 2.5 if len(points) > 500 else 5,
    }


def _frame(placed: list[dict]) -> dict:
    if not placed:
        return {"width": WIDTH, "height": MIN_HEIGHT, "project": None}
    lats = [r["latitude"] for r in placed]
    lons = [r["longitude"] for r in placed]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    squeeze = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * squeeze, 0.01)
    span_y = max(north - south, 0.01)
    inner_w = WIDTH - 2 * PADDING
    scale = min(inner_w / span_x, (MAX_HEIGHT - 2 * PADDING) / span_y)
    height = max(MIN_HEIGHT, round(span_y * scale) + 2 * PADDING)
    offset_x = PADDING + (inner_w - span_x * scale) / 2
    offset_y = (height - span_y * scale) / 2

    def project(lat: float, lon: float) -> tuple[float, float]:
        return (
            round(offset_x + (lon - west) * squeeze * scale, 1),
            round(offset_y + (north - lat) * scale, 1),
        )

    return {"width": WIDTH, "height": height, "project": project}
