"""Readiness of each unit: its checklist by block, the derived items, the go-live gate, as of a day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from pilot_portal.core.collation import Vietnamese

from ..figures import figures_by_unit
from ..models import (
    Block,
    Campaign,
    CampaignUnit,
    CampaignUnitEvent,
    ChecklistItem,
    ChecklistItemEvent,
    DerivedSource,
    IssueSeverity,
    IssueStatus,
    ItemStatus,
    PilotIssue,
    PilotIssueEvent,
    PilotStatus,
)

#: Blocks in the order of the checklist (Party committee first, IT last).
BLOCK_ORDER = {block: index for index, block in enumerate(Block.values)}


def checklist_order(item: ChecklistItem) -> tuple:
    return (BLOCK_ORDER.get(item.block, len(BLOCK_ORDER)), item.position, item.id)


def today() -> dt.date:
    return timezone.localdate()


def as_of_moment(on: dt.date | None) -> dt.datetime | None:
    """The end of day ``on`` in the portal's time zone (Asia/Ho_Chi_Minh): what an as-of view looks at. None when
    that moment has not come yet (today, or a later day): the figures are then the live ones."""
    if on is None:
        return None
    end = dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_default_timezone())
    return end if end <= timezone.now() else None


def _status_then(event_model, fk: str, until: dt.datetime):
    """The status a row had at ``until``: the "from" status of its first logged change at or after ``until``, or
    its present status when nothing changed since (a subquery: no extra query)."""
    first_change = (
        event_model.objects.filter(**{fk: OuterRef("pk"), "at__gte": until})
        .order_by("at", "pk")
        .values("from_status")[:1]
    )
    return Coalesce(Subquery(first_change), F("status"))


def pilot_status_history(*, campaign_unit: CampaignUnit, until: dt.datetime | None = None) -> QuerySet:
    """The unit's pilot status changes; with ``until`` (an as-of view), those made by then."""
    events = campaign_unit.events.select_related("actor")
    return events if until is None else events.filter(at__lt=until)


# --- Readiness -------------------------------------------------------------------------------------------------


@dataclass
class ItemView:
    """A checklist item with its effective status (derived items take theirs from the portal's data)."""

    item: ChecklistItem
    status: str
    is_late: bool

    @property
    def is_done(self) -> bool:
        return self.status == ItemStatus.DONE

    @property
    def status_label(self) -> str:
        return ItemStatus(self.status).label


@dataclass
class BlockCell:
    block: str
    done: int = 0
    total: int = 0
    late: int = 0

    @property
    def label(self) -> str:
        return Block(self.block).label

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None

    @property
    def colour(self) -> str:
        """Bootstrap contextual colour: all done green, anything late red, started yellow, not started grey."""
        if not self.total:
            return "light"
        if self.done == self.total:
            return "success"
        if self.late:
            return "danger"
        if self.done:
            return "warning"
        return "secondary"


@dataclass
class Gate:
    missing: list[str]

    @property
    def passes(self) -> bool:
        return not self.missing


@dataclass
class UnitReadiness:
    campaign_unit: CampaignUnit
    items: list[ItemView]
    cells: list[BlockCell]
    dossiers: dict
    sessions: dict
    #: The pilot status on the day looked at (the present one for today).
    pilot_status: str = ""
    issues_raised: int = 0
    issues_answered: int = 0
    critical_issues: list[PilotIssue] = field(default_factory=list)
    gate: Gate | None = None

    @property
    def unit(self):
        return self.campaign_unit.unit

    @property
    def done(self) -> int:
        return sum(c.done for c in self.cells)

    @property
    def total(self) -> int:
        return sum(c.total for c in self.cells)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def late_items(self) -> list[ItemView]:
        return [i for i in self.items if i.is_late]

    @property
    def pilot_status_label(self) -> str:
        return str(PilotStatus(self.pilot_status).label)


def derived_item_done(*, source: str, dossiers: dict, sessions: dict, campaign: Campaign) -> bool:
    if source == DerivedSource.FIRST_HDND_CLOSED:
        return sessions["first_hdnd_closed"]
    if source == DerivedSource.FIRST_UBND_CLOSED:
        return sessions["first_ubnd_closed"]
    if source == DerivedSource.TEST_DOSSIERS_RETURNED:
        return dossiers["test_returned"] >= campaign.go_live_test_dossiers
    return False


def go_live_gate(*, readiness: UnitReadiness, campaign: Campaign) -> Gate:
    """The go-live rule: every condition not met, in words."""
    missing = []
    for view in readiness.items:
        if view.item.is_critical and not view.item.derived_source and not view.is_done:
            missing.append(_("Critical item not done: %(title)s") % {"title": view.item.title})
    if not readiness.sessions["first_hdnd_closed"]:
        missing.append(_("The first HĐND session has not been closed."))
    if not readiness.sessions["first_ubnd_closed"]:
        missing.append(_("The first UBND meeting has not been closed."))
    returned, needed = readiness.dossiers["test_returned"], campaign.go_live_test_dossiers
    if returned < needed:
        missing.append(
            _("Test dossiers returned: %(returned)s of the %(needed)s required.")
            % {"returned": returned, "needed": needed}
        )
    for issue in readiness.critical_issues:
        missing.append(_("Critical issue not closed: %(title)s") % {"title": issue.title})
    return Gate(missing=missing)


def unit_readiness(*, campaign: Campaign, campaign_units: QuerySet[CampaignUnit], on: dt.date | None = None):
    """Readiness of each campaign unit (in the queryset's order), with figures and the go-live gate.

    ``on`` a past day: everything as it stood at the end of that day (the units' pilot status and hand-ticked items
    replayed from their logged changes, issues raised and answered by then, the dossier and session figures of the
    other apps' contracts as of then), in the same number of queries as today's view.
    """
    on = on or today()
    until = as_of_moment(on)
    campaign_units = campaign_units.select_related("unit", "wave").order_by("wave__starts_at", Vietnamese("unit__name"))
    # The campaign's few milestones, shared by its items (loaded with the campaign when it was prefetched): not one
    # milestone instance per item (3,000 for a province of 168 units).
    milestones = {m.pk: m for m in campaign.milestones.all()}
    items = ChecklistItem.objects.all()
    issues = PilotIssue.objects.all()
    critical_issues = PilotIssue.objects.filter(severity=IssueSeverity.CRITICAL).order_by("raised_at")
    answered = Q(answered_at__isnull=False)
    if until is not None:
        campaign_units = campaign_units.annotate(status_then=_status_then(CampaignUnitEvent, "campaign_unit", until))
        items = items.annotate(status_then=_status_then(ChecklistItemEvent, "item", until))
        issues = issues.filter(raised_at__lt=until)
        answered = Q(answered_at__lt=until)
        critical_issues = (
            critical_issues.filter(raised_at__lt=until)
            .annotate(status_then=_status_then(PilotIssueEvent, "issue", until))
            .exclude(status_then=IssueStatus.CLOSED)
        )
    else:
        critical_issues = critical_issues.exclude(status=IssueStatus.CLOSED)
    units = list(campaign_units)
    ids = [cu.id for cu in units]
    by_id = {cu.id: cu for cu in units}
    items_by_unit: dict[int, list[ChecklistItem]] = {cu_id: [] for cu_id in ids}
    for item in sorted(items.filter(campaign_unit_id__in=ids), key=checklist_order):
        item.campaign_unit = by_id[item.campaign_unit_id]  # with its wave: the item's due date reads it
        if item.milestone_id in milestones:
            item.milestone = milestones[item.milestone_id]
        items_by_unit[item.campaign_unit_id].append(item)
    counts = {
        row["campaign_unit_id"]: row
        for row in issues.filter(campaign_unit_id__in=ids)
        .values("campaign_unit_id")
        .annotate(raised=Count("id"), answered=Count("id", filter=answered))
        .order_by()
    }
    critical: dict[int, list[PilotIssue]] = {cu_id: [] for cu_id in ids}
    for issue in critical_issues.filter(campaign_unit_id__in=ids):
        if until is not None:
            # Display-only instances: they show (and count with) the status they had on the day looked at.
            issue.status = issue.status_then
        critical[issue.campaign_unit_id].append(issue)
    dossiers, sessions = figures_by_unit([cu.unit_id for cu in units], until=until)

    result = []
    for cu in units:
        cu.campaign = campaign
        d, s = dossiers[cu.unit_id], sessions[cu.unit_id]
        cells = {block: BlockCell(block=block) for block in Block.values}
        views = []
        for item in items_by_unit[cu.id]:
            if item.derived_source:
                status = (
                    ItemStatus.DONE
                    if derived_item_done(source=item.derived_source, dossiers=d, sessions=s, campaign=campaign)
                    else ItemStatus.TODO
                )
            else:
                status = item.status_then if until is not None else item.status
            view = ItemView(item=item, status=status, is_late=status != ItemStatus.DONE and item.due_date < on)
            views.append(view)
            cell = cells[item.block]
            cell.total += 1
            cell.done += view.is_done
            cell.late += view.is_late
        row = counts.get(cu.id, {})
        readiness = UnitReadiness(
            campaign_unit=cu,
            items=views,
            cells=list(cells.values()),
            dossiers=d,
            sessions=s,
            pilot_status=cu.status_then if until is not None else cu.status,
            issues_raised=row.get("raised", 0),
            issues_answered=row.get("answered", 0),
            critical_issues=critical[cu.id],
        )
        readiness.gate = go_live_gate(readiness=readiness, campaign=campaign)
        result.append(readiness)
    return result


# --- Dashboard ---------------------------------------------------------------------------------------------------
