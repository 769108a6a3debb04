"""Models of the pilot campaigns: milestones, waves, each unit's pilot status, readiness checklists, pilot issues.

The tables were created by the ``units`` app and keep their names (``units_campaign``...): the models moved here
with ``SeparateDatabaseAndState`` migrations, without copying a row.
"""

from .campaigns import (
    ALLOWED_TRANSITIONS,
    Campaign,
    CampaignChange,
    CampaignUnit,
    CampaignUnitEvent,
    Milestone,
    PilotStatus,
    StatusEvent,
    Wave,
)
from .pilot_issues import (
    ISSUE_TRANSITIONS,
    NO_BLOCK,
    IssueCategory,
    IssueSeverity,
    IssueStatus,
    PilotIssue,
    PilotIssueEvent,
)
from .readiness import (
    ITEM_TRANSITIONS,
    Block,
    ChecklistItem,
    ChecklistItemEvent,
    ChecklistTemplateItem,
    DerivedSource,
    ItemStatus,
)
from .snapshots import ReadinessSnapshot

__all__ = [
    "ALLOWED_TRANSITIONS",
    "ISSUE_TRANSITIONS",
    "ITEM_TRANSITIONS",
    "NO_BLOCK",
    "Block",
    "Campaign",
    "CampaignChange",
    "CampaignUnit",
    "CampaignUnitEvent",
    "ChecklistItem",
    "ChecklistItemEvent",
    "ChecklistTemplateItem",
    "DerivedSource",
    "IssueCategory",
    "IssueSeverity",
    "IssueStatus",
    "ItemStatus",
    "Milestone",
    "PilotIssue",
    "PilotIssueEvent",
    "PilotStatus",
    "ReadinessSnapshot",
    "StatusEvent",
    "Wave",
]
