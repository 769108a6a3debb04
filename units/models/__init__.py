"""Models of the units app: the national registry and the pilot campaigns built on it."""

from .campaigns import ALLOWED_TRANSITIONS, Campaign, CampaignUnit, CampaignUnitEvent, Milestone, PilotStatus, Wave
from .pilot_issues import ISSUE_TRANSITIONS, IssueCategory, IssueSeverity, IssueStatus, PilotIssue, PilotIssueEvent
from .readiness import (
    ITEM_TRANSITIONS,
    Block,
    ChecklistItem,
    ChecklistItemEvent,
    ChecklistTemplateItem,
    DerivedSource,
    ItemStatus,
)
from .registry import LegacyUnit, Province, ProvinceQuerySet, Succession, Unit, UnitQuerySet

__all__ = [
    "ALLOWED_TRANSITIONS",
    "ISSUE_TRANSITIONS",
    "ITEM_TRANSITIONS",
    "Block",
    "Campaign",
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
    "LegacyUnit",
    "Milestone",
    "PilotIssue",
    "PilotIssueEvent",
    "PilotStatus",
    "Province",
    "ProvinceQuerySet",
    "Succession",
    "Unit",
    "UnitQuerySet",
    "Wave",
]
