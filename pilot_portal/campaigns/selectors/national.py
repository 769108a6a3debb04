"""The national overview: every province's campaign side by side, and the map of the units.

Aggregated in SQL by campaign (pilot statuses, checklist blocks) or read as one row per unit (the few numbers the
go-live gate needs), plus the two contract selectors of the other apps: the same number of queries for one
province or 34, for 5 units or 3,321.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q
from django.utils import timezone

from pilot_portal.core.collation import sort_key

from ..figures import figures_for_overview
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
from .dashboard import Countdown, next_milestone
from .readiness import _status_then, as_of_moment, today


@dataclass
class BlockFigure:
    block: str
    done: int = 0
    total: int = 0

    @property
    def label(self) -> str:
        return Block(self.block).label

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None


@dataclass
class ProvinceRow:
    campaign: Campaign
    countdown: Countdown
    units: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PilotStatus.values, 0))
    passing: int = 0
    blocks: list[BlockFigure] = field(default_factory=list)
    first_hdnd_closed: int = 0
    first_ubnd_closed: int = 0
    test_returned: int = 0
    received: int = 0
    finished: int = 0
    finished_late: int = 0
    critical_open: int = 0

    @property
    def province(self):
        return self.campaign.province

    @property
    def piloting(self) -> int:
        return self.by_status[PilotStatus.PILOTING]

    @property
    def reviewed(self) -> int:
        return self.by_status[PilotStatus.REVIEWED]

    @property
    def live(self) -> int:
        return self.by_status[PilotStatus.LIVE]

    @property
    def items_done(self) -> int:
        return sum(b.done for b in self.blocks)

    @property
    def items_total(self) -> int:
        return sum(b.total for b in self.blocks)

    @property
    def checklist_percent(self) -> int | None:
        return round(100 * self.items_done / self.items_total) if self.items_total else None

    @property
    def on_time_rate(self) -> float | None:
        """Dossiers finished on time among those finished (weighted by dossier, not a mean of the units' rates)."""
        return round(100 * (self.finished - self.finished_late) / self.finished, 1) if self.finished else None


#: ``?sort=`` keys: name (Vietnamese order) and every figure column; ``-key`` for descending.
SORT_KEYS = {
    "province": lambda r: sort_key(r.province.short_name),
    "milestone": lambda r: (r.countdown.days is None, r.countdown.days or 0),
    "units": lambda r: r.units,
    "piloting": lambda r: r.piloting,
    "reviewed": lambda r: r.reviewed,
    "live": lambda r: r.live,
    "passing": lambda r: r.passing,
    "checklist": lambda r: (r.checklist_percent is None, r.checklist_percent or 0),
    "hdnd": lambda r: r.first_hdnd_closed,
    "ubnd": lambda r: r.first_ubnd_closed,
    "test": lambda r: r.test_returned,
    "received": lambda r: r.received,
    "on_time": lambda r: (r.on_time_rate is None, r.on_time_rate or 0),
    "critical": lambda r: r.critical_open,
}


def parse_sort(value: str) -> tuple[str, bool]:
    """(key, descending) of a ``?sort=`` value; an unknown key sorts by province name."""
    descending = value.startswith("-")
    key = value.lstrip("-")
    if key not in SORT_KEYS:
        return "province", False
    return key, descending


def national_overview(*, user, on: dt.date | None = None, sort: str = "province") -> dict:
    """One row per campaign the user may see (a province's staff: their own), sorted, with the nation's totals."""
    on = on or today()
    until = as_of_moment(on)
    campaigns = {
        c.pk: c for c in Campaign.objects.visible_to(user).select_related("province").prefetch_related("milestones")
    }
    rows = {pk: ProvinceRow(campaign=c, countdown=next_milestone(campaign=c, on=on)) for pk, c in campaigns.items()}
    for row in rows.values():
        row.blocks = [BlockFigure(block=b) for b in Block.values]

    campaign_units = CampaignUnit.objects.visible_to(user).filter(campaign_id__in=list(campaigns))
    units = _unit_rows(campaign_units, until)
    hand_items, critical_left = _hand_item_figures(campaign_units, until)
    critical_issues = _critical_issues(campaign_units, until)
    figures, figures_at = _cached_figures([u["unit_id"] for u in units], until)
    # The campaign units whose derived items are proved (see ``derived_item_done``).
    proved: dict[str, list[int]] = {source: [] for source in DerivedSource.values if source}
    for u in units:
        _received, _finished, _late, test_returned, hdnd, ubnd = figures[u["unit_id"]]
        needed = rows[u["campaign_id"]].campaign.go_live_test_dossiers
        for source, met in (
            (DerivedSource.FIRST_HDND_CLOSED, hdnd),
            (DerivedSource.FIRST_UBND_CLOSED, ubnd),
            (DerivedSource.TEST_DOSSIERS_RETURNED, test_returned >= needed),
        ):
            if met:
                proved[source].append(u["id"])

    block_index = {b: i for i, b in enumerate(Block.values)}
    for entry in [*hand_items, *_derived_item_figures(campaign_units, proved)]:
        figure = rows[entry["campaign_unit__campaign_id"]].blocks[block_index[entry["block"]]]
        figure.total += entry["total"]
        figure.done += entry["done"]

    for u in units:
        row = rows[u["campaign_id"]]
        campaign = row.campaign
        received, finished, finished_late, test_returned, hdnd, ubnd = figures[u["unit_id"]]
        row.units += 1
        row.by_status[u["status_then"]] += 1
        row.first_hdnd_closed += hdnd
        row.first_ubnd_closed += ubnd
        row.test_returned += test_returned
        row.received += received
        row.finished += finished
        row.finished_late += finished_late
        open_critical = critical_issues.get(u["id"], 0)
        row.critical_open += open_critical
        row.passing += (
            not critical_left.get(u["id"], 0)
            and hdnd
            and ubnd
            and test_returned >= campaign.go_live_test_dossiers
            and not open_critical
        )

    key, descending = parse_sort(sort)
    ordered = sorted(rows.values(), key=SORT_KEYS["province"])
    ordered.sort(key=SORT_KEYS[key], reverse=descending)
    return {
        "rows": ordered,
        "totals": _totals(ordered),
        "sort": key,
        "descending": descending,
        "figures_at": figures_at,
    }


logger = logging.getLogger(__name__)


def _unit_figures(unit_ids: list[int], until: dt.datetime | None) -> dict[int, tuple]:
    """Per unit id: (dossiers received, finished, finished late, test dossiers returned, first HĐND session
    closed, first UBND meeting closed), from the other apps' contracts (small tuples: quick to cache)."""
    dossiers, sessions = figures_for_overview(unit_ids, until=until)
    return {
        uid: (
            d["received"],
            d["finished"],
            d["finished_late"],
            d["test_returned"],
            sessions[uid]["first_hdnd_closed"],
            sessions[uid]["first_ubnd_closed"],
        )
        for uid, d in dossiers.items()
    }


def _cached_figures(unit_ids: list[int], until: dt.datetime | None):
    """(:func:`_unit_figures`, when they were computed). Counting a million dossiers takes longer than a page may,
    so the figures are kept ``CAMPAIGNS_OVERVIEW_CACHE_SECONDS`` (default 300; 0: never) in the Django cache, per
    set of units and day looked at; the page says when they were computed. With the cache down the figures are
    computed live."""
    seconds = getattr(settings, "CAMPAIGNS_OVERVIEW_CACHE_SECONDS", 300)
    if not seconds:
        return _unit_figures(unit_ids, until), timezone.now()
    digest = hashlib.sha1(",".join(map(str, sorted(unit_ids))).encode(), usedforsecurity=False).hexdigest()
    key = f"campaigns:overview:{until.isoformat() if until else 'now'}:{digest}"
    try:
        cached = cache.get(key)
    except Exception:  # the cache is an accelerator: a page never fails because of it
        logger.warning("Cache unavailable for the national overview", exc_info=True)
        cached = None
    if cached is not None:
        return cached
    value = (_unit_figures(unit_ids, until), timezone.now())
    try:
        cache.set(key, value, seconds)
    except Exception:
        logger.warning("Cache unavailable for the national overview", exc_info=True)
    return value


def _unit_rows(campaign_units, until) -> list[dict]:
    """One small row per campaign unit: ids and the pilot status on the day looked at."""
    status = _status_then(CampaignUnitEvent, "campaign_unit", until) if until is not None else F("status")
    return list(campaign_units.annotate(status_then=status).values("id", "campaign_id", "unit_id", "status_then"))


def _hand_item_figures(campaign_units, until):
    """(hand-ticked items done/total by campaign and block, critical hand items not done by campaign unit).

    Counted on the present statuses in SQL, then, for a day looked at in the past, corrected here by the items that
    changed since: each takes back the status its first change after that day left (the "from" of that change). The
    work follows the changes made since the day looked at, not the nation's 60,000 items times their histories (a
    subquery per item, as the unit pages use for their few hundred)."""
    items = ChecklistItem.objects.filter(campaign_unit__in=campaign_units.values("pk"), derived_source="")
    done = Q(status=ItemStatus.DONE)
    figures = {
        (row["campaign_unit__campaign_id"], row["block"]): row
        for row in items.values("campaign_unit__campaign_id", "block")
        .annotate(total=Count("id"), done=Count("id", filter=done))
        .order_by()
    }
    critical_left = dict(
        items.filter(is_critical=True)
        .exclude(done)
        .values("campaign_unit_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("campaign_unit_id", "n")
    )
    if until is not None:
        changes = (
            ChecklistItemEvent.objects.filter(item__in=items, at__gte=until)
            .order_by("item_id", "at", "pk")
            .values_list(
                "item_id", "from_status", "item__status", "item__is_critical", "item__campaign_unit_id",
                "item__campaign_unit__campaign_id", "item__block",
            )
        )  # fmt: skip
        seen = set()
        for item_id, then, now, critical, campaign_unit_id, campaign_id, block in changes.iterator(chunk_size=5000):
            if item_id in seen:
                continue  # the first change after the day is the one that tells the status then
            seen.add(item_id)
            change = (then == ItemStatus.DONE) - (now == ItemStatus.DONE)
            figures[(campaign_id, block)]["done"] += change
            if critical and change:
                critical_left[campaign_unit_id] = critical_left.get(campaign_unit_id, 0) - change
    return list(figures.values()), {k: n for k, n in critical_left.items() if n}


def _derived_item_figures(campaign_units, proved: dict[str, list[int]]) -> list[dict]:
    """Derived items done/total by campaign and block: done for the campaign units that ``proved`` lists under the
    item's source. Counted by campaign unit in SQL and summed here: a filter naming the proved units would send
    thousands of parameters (one per unit of the nation), which cost more to build and parse than the counting."""
    proved_sets = {source: set(ids) for source, ids in proved.items()}
    rows = (
        ChecklistItem.objects.filter(campaign_unit__in=campaign_units.values("pk"))
        .exclude(derived_source="")
        .values_list("campaign_unit_id", "campaign_unit__campaign_id", "block", "derived_source")
        .annotate(n=Count("id"))
        .order_by()
    )
    figures: dict[tuple[int, str], dict] = {}
    for campaign_unit_id, campaign_id, block, source, n in rows:
        entry = figures.setdefault(
            (campaign_id, block), {"campaign_unit__campaign_id": campaign_id, "block": block, "total": 0, "done": 0}
        )
        entry["total"] += n
        if campaign_unit_id in proved_sets.get(source, ()):
            entry["done"] += n
    return list(figures.values())


def _critical_issues(campaign_units, until) -> dict[int, int]:
    """Critical issues not closed (on the day looked at), by campaign unit."""
    issues = PilotIssue.objects.filter(campaign_unit__in=campaign_units.values("pk"), severity=IssueSeverity.CRITICAL)
    if until is not None:
        issues = issues.filter(raised_at__lt=until).annotate(status_then=_status_then(PilotIssueEvent, "issue", until))
    else:
        issues = issues.annotate(status_then=F("status"))
    return dict(
        issues.exclude(status_then=IssueStatus.CLOSED)
        .values("campaign_unit_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("campaign_unit_id", "n")
    )


def _totals(rows: list[ProvinceRow]) -> dict:
    total = ProvinceRow(campaign=None, countdown=Countdown(milestone=None, days=None))
    total.blocks = [BlockFigure(block=b) for b in Block.values]
    for row in rows:
        total.units += row.units
        for status, count in row.by_status.items():
            total.by_status[status] += count
        total.passing += row.passing
        for mine, theirs in zip(total.blocks, row.blocks, strict=True):
            mine.done += theirs.done
            mine.total += theirs.total
        for name in (
            "first_hdnd_closed",
            "first_ubnd_closed",
            "test_returned",
            "received",
            "finished",
            "finished_late",
            "critical_open",
        ):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return {"row": total, "provinces": len(rows)}
