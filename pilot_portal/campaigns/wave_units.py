"""Which units are in which wave: a unit put in another wave starts the pilot with that wave (its checklist items due
relative to the pilot start follow, ``ChecklistItem.milestone_date``), with a history row and a notice to the unit.

``campaign_units_wave_changes`` previews a batch (which units move, how many due dates move and by how many days:
the wave-start preview's ``_effects``), ``campaign_units_set_wave`` writes it in one transaction with set-based
updates; ``campaign_unit_set_wave`` is the batch of one (the admin's)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilot_portal.core.collation import sort_key

from . import events
from .errors import CampaignError
from .models import Campaign, CampaignChange, CampaignUnit, ChecklistItem, Milestone, Wave
from .planning import PlannedChange, _day, _effects, _moment


@dataclass(frozen=True)
class WaveChanges:
    """What putting units in ``wave`` would change: one ``PlannedChange`` per wave the moving units leave (``what``
    names the units, ``old``/``new`` the waves, with the items whose due date moves), and the units already there."""

    wave: Wave | None
    groups: list[PlannedChange]
    moving: list[CampaignUnit]
    unchanged: list[CampaignUnit]

    @property
    def units(self) -> int:
        return len(self.moving)

    @property
    def items(self) -> int:
        return sum(group.items for group in self.groups)


def _pilot_start(campaign_id: int) -> date | None:
    milestone = Milestone.objects.filter(campaign_id=campaign_id, kind=Milestone.Kind.PILOT_START)
    return milestone.values_list("date", flat=True).first()


def _start_of(wave: Wave | None, pilot_start: date | None) -> date | None:
    """The day a unit starts the pilot: its wave's start day, or the campaign's pilot start without a wave."""
    return timezone.localdate(wave.starts_at) if wave is not None else pilot_start


def _label(wave: Wave | None, pilot_start: date | None) -> str:
    if wave is not None:
        return _("%(wave)s (start %(start)s)") % {"wave": wave.name, "start": _moment(wave.starts_at)}
    if pilot_start is None:
        return _("No wave")
    return _("No wave (the campaign's pilot start, %(date)s)") % {"date": _day(pilot_start)}


def _check(*, campaign_id: int, wave: Wave | None, ids: set[int], found: Iterable[CampaignUnit]) -> None:
    if wave is not None and wave.campaign_id != campaign_id:
        raise CampaignError(_("The wave belongs to another campaign."))
    if not ids:
        raise CampaignError(_("Choose at least one unit."))
    if ids - {cu.pk for cu in found}:
        raise CampaignError(_("Some of the chosen units are not in this campaign: open the page again."))


def _units(campaign_id: int, ids: set[int], *, lock: bool) -> list[CampaignUnit]:
    units = CampaignUnit.objects.filter(campaign_id=campaign_id, pk__in=ids).select_related("unit", "wave")
    if lock:
        units = units.select_for_update(of=("self",)).order_by("pk")
    return list(units)


def _changes(*, campaign_id: int, wave: Wave | None, units: list[CampaignUnit]) -> tuple[WaveChanges, date | None]:
    pilot_start = _pilot_start(campaign_id)
    target = wave.pk if wave is not None else None
    moving = [cu for cu in units if cu.wave_id != target]
    unchanged = [cu for cu in units if cu.wave_id == target]
    new_start = _start_of(wave, pilot_start)
    by_old: dict[int | None, list[CampaignUnit]] = {}
    for cu in moving:
        by_old.setdefault(cu.wave_id, []).append(cu)
    shifts = {}
    for old, group in by_old.items():
        old_start = _start_of(group[0].wave, pilot_start)
        shifts[old] = (new_start - old_start).days if old_start and new_start else 0
    shifted = [cu.pk for cu in moving if shifts[cu.wave_id]]
    effects = {}
    if shifted:  # the wave-start preview's figures, per wave left (two queries whatever the units)
        items = ChecklistItem.objects.filter(milestone__kind=Milestone.Kind.PILOT_START, campaign_unit_id__in=shifted)
        effects = _effects(items, "campaign_unit__wave_id")
    groups = []

    # The waves left in the order they start (no wave first on the same day), the units by name (Vietnamese order).
    def order(pair):
        left = pair[1][0].wave
        return (_start_of(left, pilot_start) or date.min, left is not None, left.starts_at if left else None)

    for old, group in sorted(by_old.items(), key=order):
        items, items_open, count, titles = effects.get(old, (0, 0, 0, ())) if shifts[old] else (0, 0, 0, ())
        groups.append(
            PlannedChange(
                what=", ".join(sorted((cu.unit.name for cu in group), key=sort_key)),
                old=_label(group[0].wave, pilot_start),
                new=_label(wave, pilot_start),
                items=items,
                items_open=items_open,
                units=count,
                titles=titles,
                shift_days=shifts[old],
            )
        )
    return WaveChanges(wave=wave, groups=groups, moving=moving, unchanged=unchanged), pilot_start


def campaign_units_wave_changes(*, campaign: Campaign, campaign_unit_ids: Iterable[int], wave: Wave | None):
    """What putting the units (``CampaignUnit`` ids of ``campaign``) in ``wave`` (or in none) would change, with the
    checklist due dates that move (no write; a constant number of queries). Raises ``CampaignError`` for a wave of
    another campaign, no unit, or a unit not in the campaign."""
    ids = set(campaign_unit_ids)
    units = _units(campaign.pk, ids, lock=False)
    _check(campaign_id=campaign.pk, wave=wave, ids=ids, found=units)
    return _changes(campaign_id=campaign.pk, wave=wave, units=units)[0]


@transaction.atomic
def campaign_units_set_wave(
    *, campaign: Campaign | int, campaign_unit_ids: Iterable[int], wave: Wave | None, actor, note: str = ""
) -> WaveChanges:
    """Put units of the campaign in ``wave`` (or in none), in one transaction on the locked units: one update for
    all, one history row per unit that moves, and each moving unit's officials told which of its checklist items
    move. A unit already in the wave changes nothing (a second submit writes nothing). Returns what changed."""
    campaign_id = campaign if isinstance(campaign, int) else campaign.pk
    ids = set(campaign_unit_ids)
    units = _units(campaign_id, ids, lock=True)
    _check(campaign_id=campaign_id, wave=wave, ids=ids, found=units)
    if wave is not None and not Wave.objects.select_for_update().filter(pk=wave.pk).exists():
        # Deleted in the admin since the page was opened: its start is gone with it.
        raise CampaignError(_("The campaign has changed since the page was opened: open it again."))
    changes, pilot_start = _changes(campaign_id=campaign_id, wave=wave, units=units)
    if not changes.moving:
        return changes
    CampaignUnit.objects.filter(pk__in=[cu.pk for cu in changes.moving]).update(wave=wave)
    now, note = timezone.now(), note.strip()
    rows = CampaignChange.objects.bulk_create(
        CampaignChange(
            campaign_id=campaign_id,
            at=now,
            actor=actor,
            what=(_("Wave of %(unit)s") % {"unit": cu.unit.name})[:255],
            old_value=(cu.wave.name if cu.wave else _("No wave"))[:100],
            new_value=(wave.name if wave else _("No wave"))[:100],
            note=note,
        )
        for cu in changes.moving
    )
    moves = [
        events.WaveMove(
            campaign_unit=cu,
            old_start=_start_of(cu.wave, pilot_start),
            new_start=_start_of(wave, pilot_start),
            change_key=str(row.pk),
        )
        for cu, row in zip(changes.moving, rows, strict=True)
    ]
    for cu in changes.moving:
        cu.wave = wave
    events.units_wave_changed(moves=moves, wave=wave)
    return changes


def campaign_unit_set_wave(*, campaign_unit: CampaignUnit, wave: Wave | None, actor, note: str = "") -> bool:
    """Put one unit of the campaign in another wave (or in none): ``campaign_units_set_wave`` for one unit. Returns
    whether anything changed."""
    changes = campaign_units_set_wave(
        campaign=campaign_unit.campaign_id, campaign_unit_ids=[campaign_unit.pk], wave=wave, actor=actor, note=note
    )
    if changes.moving:
        campaign_unit.wave = wave
    return bool(changes.moving)
