"""The review report (họp rút kinh nghiệm): figures, sessions and lessons per unit, and the province total."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..figures import IndicatorRow, indicators_total, service_indicators
from ..models import (
    Campaign,
    CampaignUnit,
)
from .readiness import UnitReadiness, as_of_moment, unit_readiness


@dataclass
class ReportRow:
    readiness: UnitReadiness
    sessions: list[dict]
    sessions_held: int
    session_minutes: int
    overruns: int
    lessons: list[str]

    @property
    def unit(self):
        return self.readiness.unit


def review_report(*, campaign: Campaign, user, on: dt.date | None = None) -> dict:
    """Figures for the review meeting, per unit and province-wide, with the Decision 766 indicators of the service
    centre over every dossier of the units up to the report's day."""
    readiness = unit_readiness(
        campaign=campaign, campaign_units=CampaignUnit.objects.visible_to(user).filter(campaign=campaign), on=on
    )
    rows = []
    for r in readiness:
        sessions = [s for s in r.sessions["sessions"] if s["status"] != "cancelled"]
        held = [s for s in sessions if s["actual_minutes"] is not None]
        lessons = []
        for s in sessions:
            for text in (s["lessons_good"], s["lessons_fix"]):
                if text.strip():
                    lessons.append(f"{s['title']}: {text.strip()}")
        rows.append(
            ReportRow(
                readiness=r,
                sessions=sessions,
                sessions_held=len(held),
                session_minutes=sum(s["actual_minutes"] for s in held),
                overruns=sum(1 for s in held if s["overrun_minutes"] > 0),
                lessons=lessons,
            )
        )
    rates = [r.readiness.dossiers["on_time_rate"] for r in rows if r.readiness.dossiers["on_time_rate"] is not None]
    done = sum(r.readiness.done for r in rows)
    total = sum(r.readiness.total for r in rows)
    totals = {
        "units": len(rows),
        "items_done": done,
        "items_total": total,
        "checklist_percent": round(100 * done / total) if total else 0,
        "sessions_held": sum(r.sessions_held for r in rows),
        "session_minutes": sum(r.session_minutes for r in rows),
        "overruns": sum(r.overruns for r in rows),
        "dossiers_received": sum(r.readiness.dossiers["received"] for r in rows),
        "dossiers_returned": sum(r.readiness.dossiers["returned"] for r in rows),
        "mean_on_time_rate": round(sum(rates) / len(rates), 1) if rates else None,
        "issues_raised": sum(r.readiness.issues_raised for r in rows),
        "issues_answered": sum(r.readiness.issues_answered for r in rows),
        "gate_passing": sum(r.readiness.gate.passes for r in rows),
    }
    counts = service_indicators([r.unit.pk for r in rows], until=as_of_moment(on))
    indicator_rows = [IndicatorRow(r.unit.pk, r.unit.name, counts[r.unit.pk]) for r in rows]
    return {
        "rows": rows,
        "totals": totals,
        "indicator_rows": indicator_rows,
        "indicator_total": indicators_total(indicator_rows),
    }
