"""The province plans its own campaign: milestone dates, wave starts and the limits, previewed (what moves along)
and then written with a history and a notice to the units."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions.selectors import sessions_over_budget

from . import events
from .errors import CampaignError
from .models import Campaign, CampaignChange, ChecklistItem, ItemStatus, Milestone, Wave

#: The order the milestones must keep (the seeds: pilot 16/6, review 25/6, cut-off 30/6, go-live 1/7/2025).
MILESTONE_ORDER = (
    Milestone.Kind.PILOT_START,
    Milestone.Kind.REVIEW_MEETING,
    Milestone.Kind.OLD_PROCEDURE_CUTOFF,
    Milestone.Kind.GO_LIVE,
)
SESSION_LIMIT_RANGE = (15, 240)
TEST_DOSSIERS_RANGE = (0, 50)
PLAN_YEARS = (2000, 2099)


@dataclass(frozen=True)
class CampaignPlan:
    """What the province edits on its campaign page: milestone dates (by kind), wave starts (by wave id), the
    session time limit and the number of test dossiers for the go-live gate."""

    milestones: dict[str, date]
    waves: dict[int, datetime]
    session_budget_minutes: int
    go_live_test_dossiers: int


@dataclass(frozen=True)
class PlannedChange:
    what: str
    old: str
    new: str
    #: For a milestone, or a wave whose start moves to another day: the checklist items whose due date follows
    #: it (all, not yet done) and the units they belong to; their due dates and reminders move by ``shift_days``.
    items: int = 0
    items_open: int = 0
    units: int = 0
    titles: tuple[tuple[str, int], ...] = ()
    shift_days: int = 0

    @property
    def shift_abs(self) -> int:
        return abs(self.shift_days)


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def _moment(value: datetime) -> str:
    return f"{timezone.localtime(value):%H:%M %d/%m/%Y}"


def campaign_plan_changes(*, campaign: Campaign, plan: CampaignPlan) -> list[PlannedChange]:
    """What ``plan`` would change, with what moves along (no write): the page shows it before the province
    confirms. Raises ``CampaignError`` when the plan breaks a rule."""
    milestones = {m.kind: m for m in campaign.milestones.all()}
    waves = {w.pk: w for w in campaign.waves.all()}
    _check_plan(campaign=campaign, plan=plan, milestones=milestones, waves=waves)
    moved = {kind: day for kind, day in plan.milestones.items() if kind in milestones and milestones[kind].date != day}
    shifts = {
        pk: (timezone.localdate(starts_at) - timezone.localdate(waves[pk].starts_at)).days
        for pk, starts_at in plan.waves.items()
        if waves[pk].starts_at != starts_at
    }
    by_milestone, by_wave = _items_following(
        campaign=campaign,
        milestone_ids=[milestones[k].pk for k in moved],
        wave_ids=[pk for pk, days in shifts.items() if days],
    )
    changes = []
    for kind in MILESTONE_ORDER:
        if kind in moved:
            milestone = milestones[kind]
            items, items_open, units, titles = by_milestone.get(milestone.pk, (0, 0, 0, ()))
            changes.append(
                PlannedChange(
                    what=str(milestone.get_kind_display()),
                    old=_day(milestone.date),
                    new=_day(moved[kind]),
                    items=items,
                    items_open=items_open,
                    units=units,
                    titles=titles,
                    shift_days=(moved[kind] - milestone.date).days,
                )
            )
    for pk, days in shifts.items():
        wave = waves[pk]
        items, items_open, units, titles = by_wave.get(pk, (0, 0, 0, ()))
        changes.append(
            PlannedChange(
                what=_("Start of %(wave)s") % {"wave": wave.name},
                old=_moment(wave.starts_at),
                new=_moment(plan.waves[pk]),
                items=items,
                items_open=items_open,
                units=units,
                titles=titles,
                shift_days=days,
            )
        )
    if plan.session_budget_minutes != campaign.session_budget_minutes:
        changes.append(
            PlannedChange(
                what=_("Session time limit (minutes)"),
                old=str(campaign.session_budget_minutes),
                new=str(plan.session_budget_minutes),
            )
        )
    if plan.go_live_test_dossiers != campaign.go_live_test_dossiers:
        changes.append(
            PlannedChange(
                what=_("Test dossiers returned to go live"),
                old=str(campaign.go_live_test_dossiers),
                new=str(plan.go_live_test_dossiers),
            )
        )
    return changes


def _check_plan(*, campaign, plan: CampaignPlan, milestones, waves) -> None:
    unknown = set(plan.milestones) - set(milestones)
    if unknown or set(plan.waves) - set(waves):
        raise CampaignError(_("The campaign has changed since the page was opened: open it again."))
    for kind, day in plan.milestones.items():
        if not PLAN_YEARS[0] <= day.year <= PLAN_YEARS[1]:
            raise CampaignError(
                _("%(milestone)s: choose a date between 01/01/%(first)s and 31/12/%(last)s.")
                % {"milestone": milestones[kind].get_kind_display(), "first": PLAN_YEARS[0], "last": PLAN_YEARS[1]}
            )
    for pk, starts_at in plan.waves.items():
        if not PLAN_YEARS[0] <= timezone.localtime(starts_at).year <= PLAN_YEARS[1]:
            raise CampaignError(
                _("%(wave)s: choose a start between 01/01/%(first)s and 31/12/%(last)s.")
                % {"wave": waves[pk].name, "first": PLAN_YEARS[0], "last": PLAN_YEARS[1]}
            )
    dates = {kind: plan.milestones.get(kind, m.date) for kind, m in milestones.items()}
    ordered = [kind for kind in MILESTONE_ORDER if kind in dates]
    for earlier, later in pairwise(ordered):
        if dates[earlier] > dates[later]:
            raise CampaignError(
                _("%(earlier)s (%(earlier_date)s) cannot come after %(later)s (%(later_date)s).")
                % {
                    "earlier": Milestone.Kind(earlier).label,
                    "earlier_date": _day(dates[earlier]),
                    "later": Milestone.Kind(later).label,
                    "later_date": _day(dates[later]),
                }
            )
    low, high = SESSION_LIMIT_RANGE
    if not low <= plan.session_budget_minutes <= high:
        raise CampaignError(
            _("The session time limit lies between %(low)s and %(high)s minutes.") % {"low": low, "high": high}
        )
    if plan.session_budget_minutes < campaign.session_budget_minutes:
        over = sessions_over_budget(
            unit_ids=campaign.units.values_list("unit_id", flat=True), minutes=plan.session_budget_minutes
        )
        if over:
            raise CampaignError(
                _(
                    "These sessions not yet held are planned for longer than %(minutes)s minutes: shorten them "
                    "first (%(sessions)s)."
                )
                % {
                    "minutes": plan.session_budget_minutes,
                    "sessions": "; ".join(f"{s.unit.name}: {s.title} ({s.budget_minutes})" for s in over[:10]),
                }
            )
    low, high = TEST_DOSSIERS_RANGE
    if not low <= plan.go_live_test_dossiers <= high:
        raise CampaignError(
            _("The number of test dossiers lies between %(low)s and %(high)s.") % {"low": low, "high": high}
        )


def _effects(items, key: str) -> dict[int, tuple[int, int, int, tuple]]:
    """Per value of ``key``: the items, those not done, the units, and the titles with how many units have each
    (two queries whatever the rows)."""
    totals = {
        row[key]: row
        for row in items.values(key).annotate(
            n=Count("id"),
            open=Count("id", filter=~Q(status=ItemStatus.DONE)),
            units=Count("campaign_unit", distinct=True),
        )
    }
    titles: dict[int, list[tuple[str, int]]] = {}
    for row in (
        items.values(key, "title")
        .annotate(units=Count("campaign_unit", distinct=True))
        .order_by(key, "-units", "title")
    ):
        titles.setdefault(row[key], []).append((row["title"], row["units"]))
    return {pk: (row["n"], row["open"], row["units"], tuple(titles.get(pk, ())[:8])) for pk, row in totals.items()}


def _items_following(*, campaign, milestone_ids, wave_ids) -> tuple[dict, dict]:
    """The checklist items whose due date follows each moved milestone, and each wave whose start moves to another
    day: the items due relative to the pilot start follow the wave of a unit in a wave
    (``ChecklistItem.milestone_date``), the campaign's milestone otherwise."""
    items = ChecklistItem.objects.filter(campaign_unit__campaign=campaign)
    by_milestone = by_wave = {}
    if milestone_ids:
        by_milestone = _effects(
            items.filter(milestone_id__in=milestone_ids).filter(
                ~Q(milestone__kind=Milestone.Kind.PILOT_START) | Q(campaign_unit__wave__isnull=True)
            ),
            "milestone_id",
        )
    if wave_ids:
        by_wave = _effects(
            items.filter(milestone__kind=Milestone.Kind.PILOT_START, campaign_unit__wave_id__in=wave_ids),
            "campaign_unit__wave_id",
        )
    return by_milestone, by_wave


@transaction.atomic
def campaign_plan_update(*, campaign: Campaign, plan: CampaignPlan, actor, note: str = "") -> list[PlannedChange]:
    """The province's change to its campaign: checked on the locked campaign, written with one history row per
    value changed, and the units told (in-portal, and by e-mail per their preferences) when a milestone or their
    wave's start moves. A plan that changes nothing writes nothing."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    changes = campaign_plan_changes(campaign=locked, plan=plan)
    if not changes:
        return []
    now = timezone.now()
    note = note.strip()
    milestones = {m.kind: m for m in locked.milestones.all()}
    moved_milestones = []
    for kind, day in plan.milestones.items():
        if milestones[kind].date != day:
            Milestone.objects.filter(pk=milestones[kind].pk).update(date=day)
            moved_milestones.append((milestones[kind], day))
    moved_waves = []
    for wave in locked.waves.filter(pk__in=list(plan.waves)):
        if wave.starts_at != plan.waves[wave.pk]:
            Wave.objects.filter(pk=wave.pk).update(starts_at=plan.waves[wave.pk])
            moved_waves.append((wave, plan.waves[wave.pk]))
    Campaign.objects.filter(pk=locked.pk).update(
        session_budget_minutes=plan.session_budget_minutes, go_live_test_dossiers=plan.go_live_test_dossiers
    )
    CampaignChange.objects.bulk_create(
        CampaignChange(campaign=locked, at=now, actor=actor, what=c.what, old_value=c.old, new_value=c.new, note=note)
        for c in changes
    )
    # The units hear of a moved milestone (all of them) or of their wave's new start (its units).
    events.milestones_moved(campaign=locked, moved=moved_milestones)
    for wave, starts_at in moved_waves:
        events.wave_moved(wave=wave, starts_at=starts_at)
    return changes
