"""Pilot campaigns, read-only: each unit's readiness, go-live gate and pilot status (the dashboards' figures)."""

from __future__ import annotations

from django.http import Http404
from ninja import Router, Schema
from pydantic import Field

from pilot_portal.campaigns import selectors
from pilot_portal.campaigns.models import Campaign, CampaignUnit

from ..auth import user_of
from ..schemas import READ_ERRORS, ObjectId

router = Router(tags=["campaigns"])


class ProvinceRef(Schema):
    code: str
    name: str


class MilestoneOut(Schema):
    kind: str
    date: str

    @staticmethod
    def resolve_date(milestone) -> str:
        return milestone.date.isoformat()


class CampaignOut(Schema):
    id: int
    name: str
    province: ProvinceRef
    session_budget_minutes: int
    go_live_test_dossiers: int
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_milestones(campaign) -> list:
        return sorted(campaign.milestones.all(), key=lambda m: m.date)


class BlockOut(Schema):
    block: str
    label: str
    done: int
    total: int
    late: int


class DossierFigures(Schema):
    received: int
    returned: int
    test_returned: int
    open: int
    overdue: int
    finished_late: int
    on_time_rate: float | None


class SessionFigures(Schema):
    first_hdnd_closed: bool
    first_ubnd_closed: bool


class UnitReadinessOut(Schema):
    unit_code: str
    unit_name: str
    wave: str
    pilot_status: str = Field(description="not_started, piloting, reviewed or live.")
    pilot_status_label: str
    done: int
    total: int
    percent: int
    late_items: int
    blocks: list[BlockOut]
    gate_passes: bool
    gate_missing: list[str] = Field(description="Every go-live condition not met, in words.")
    dossiers: DossierFigures
    sessions: SessionFigures
    issues_raised: int
    issues_answered: int


@router.get("/campaigns", response={200: list[CampaignOut], **READ_ERRORS}, summary="Pilot campaigns")
def campaign_list(request):
    user = user_of(request)
    return list(selectors.campaigns_visible(user=user).prefetch_related("milestones"))


@router.get(
    "/campaigns/{campaign_id}/units",
    response={200: list[UnitReadinessOut], **READ_ERRORS},
    summary="Each unit's readiness, gate and pilot status",
)
def campaign_units(request, campaign_id: ObjectId):
    user = user_of(request)
    try:
        campaign = selectors.campaign_for_dashboard(user=user, pk=campaign_id)
    except Campaign.DoesNotExist:
        raise Http404 from None
    readiness = selectors.unit_readiness(
        campaign=campaign, campaign_units=CampaignUnit.objects.visible_to(user).filter(campaign=campaign)
    )
    return [
        {
            "unit_code": r.unit.code,
            "unit_name": r.unit.name,
            "wave": str(r.campaign_unit.wave or ""),
            "pilot_status": r.pilot_status,
            "pilot_status_label": r.pilot_status_label,
            "done": r.done,
            "total": r.total,
            "percent": r.percent,
            "late_items": len(r.late_items),
            "blocks": [
                {"block": c.block, "label": str(c.label), "done": c.done, "total": c.total, "late": c.late}
                for c in r.cells
            ],
            "gate_passes": r.gate.passes,
            "gate_missing": r.gate.missing,
            "dossiers": r.dossiers,
            "sessions": r.sessions,
            "issues_raised": r.issues_raised,
            "issues_answered": r.issues_answered,
        }
        for r in readiness
    ]
