"""Who may do what in the pilot campaign: one rule per line. Views check them and pass them to templates as
``can_*`` flags; templates never test a status themselves. Scope (which campaign units, items and issues a user
sees) is ``visible_to`` / ``editable_by``; the services hold the same rules for every caller."""

from __future__ import annotations

from pilot_portal.accounts.models import Role

from .models import IssueStatus, PilotStatus
from .services import PILOT_STATUS

#: Every portal role reads the campaign pages (within its scope).
READERS = (Role.PROVINCE_STAFF, Role.UNIT_OFFICIAL, Role.WARD_CLERK, Role.NATIONAL_VIEWER)
#: Province staff and the unit's officials tick the hand-made checklist items.
ITEM_EDITORS = (Role.PROVINCE_STAFF, Role.UNIT_OFFICIAL)
#: The province decides a unit's pilot status and answers its issues.
DECIDERS = (Role.PROVINCE_STAFF,)
#: The national overview: national viewers (and superusers) see every province, province staff their own row.
NATIONAL_READERS = (Role.NATIONAL_VIEWER, Role.PROVINCE_STAFF)
#: The unit's officials raise issues.
RAISERS = (Role.UNIT_OFFICIAL,)


def can_edit_items(user) -> bool:
    return user.is_superuser or user.role in ITEM_EDITORS


def can_decide(user) -> bool:
    return user.is_superuser or user.role in DECIDERS


def can_change_pilot_status(user, campaign_unit) -> bool:
    return can_decide(user) and any(to != PilotStatus.LIVE for to in PILOT_STATUS.transitions[campaign_unit.status])


def can_go_live(user, campaign_unit) -> bool:
    return can_decide(user) and PILOT_STATUS.allows(campaign_unit.status, PilotStatus.LIVE)


def can_raise_issue(user) -> bool:
    return user.is_superuser or user.role in RAISERS


def can_answer(user, issue) -> bool:
    return can_decide(user) and issue.status != IssueStatus.CLOSED


def can_plan(user) -> bool:
    """Province staff change their own campaign's milestones, waves and limits (national viewers read)."""
    return user.is_superuser or user.role in DECIDERS


def can_see_national(user) -> bool:
    return user.is_superuser or user.role in NATIONAL_READERS


def can_reply(user, issue) -> bool:
    """The unit's officials answer back on their own unit's issues (scope: ``editable_by``)."""
    return user.role in RAISERS and user.unit_id == issue.campaign_unit.unit_id
