"""Reads of the pilot campaigns, cut by concern and re-exported here.

Everything is computed from a few bulk queries (campaign units, their items, their issues, and the two contract
selectors of the other apps), so a page costs the same number of queries for 5 units or 100.
"""

from .dashboard import (
    Countdown,
    campaign_for_dashboard,
    campaign_unit_for_user,
    campaigns_visible,
    dashboard,
    next_milestone,
    readiness_chart,
)
from .issues import campaign_issues, issue_for_user, unit_issues
from .national import SORT_KEYS, national_overview
from .readiness import (
    BLOCK_ORDER,
    BlockCell,
    Gate,
    ItemView,
    UnitReadiness,
    as_of_moment,
    checklist_order,
    derived_item_done,
    go_live_gate,
    pilot_status_history,
    today,
    unit_readiness,
)
from .report import ReportRow, review_report
from .unit_map import unit_map

__all__ = [
    "BLOCK_ORDER",
    "SORT_KEYS",
    "BlockCell",
    "Countdown",
    "Gate",
    "ItemView",
    "ReportRow",
    "UnitReadiness",
    "as_of_moment",
    "campaign_for_dashboard",
    "campaign_issues",
    "campaign_unit_for_user",
    "campaigns_visible",
    "checklist_order",
    "dashboard",
    "derived_item_done",
    "go_live_gate",
    "issue_for_user",
    "national_overview",
    "next_milestone",
    "pilot_status_history",
    "readiness_chart",
    "review_report",
    "today",
    "unit_issues",
    "unit_map",
    "unit_readiness",
]
