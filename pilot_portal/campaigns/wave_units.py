"""Which units are in which wave: a unit put in another wave starts the pilot with that wave (its checklist items due
relative to the pilot start follow), with a history row and a notice to the unit."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import events
from .errors import CampaignError
from .models import CampaignChange, CampaignUnit, Milestone, Wave


def _pilot_start_of(campaign_unit: CampaignUnit, wave: Wave | None) -> date:
    """The day the unit starts the pilot: its wave's start day, or the campaign's pilot start without a wave."""
    if wave is not None:
        return timezone.localdate(wave.starts_at)
    milestone = Milestone.objects.filter(campaign_id=campaign_unit.campaign_id, kind=Milestone.Kind.PILOT_START)
    return milestone.values_list("date", flat=True).first()


@transaction.atomic
def campaign_unit_set_wave(*, campaign_unit: CampaignUnit, wave: Wave | None, actor, note: str = "") -> bool:
    """Put a unit of the campaign in another wave (or in none): its checklist items due relative to the pilot start
    follow the new wave's start (``ChecklistItem.milestone_date``), the change is kept in the campaign's history and
    the unit's officials are told. Returns whether anything changed."""
    locked = (
        CampaignUnit.objects.select_for_update(of=("self",)).select_related("unit", "wave").get(pk=campaign_unit.pk)
    )
    if wave is not None and wave.campaign_id != locked.campaign_id:
        raise CampaignError(_("The wave belongs to another campaign."))
    if locked.wave_id == (wave.pk if wave else None):
        return False
    old_wave = locked.wave
    old_start, new_start = _pilot_start_of(locked, old_wave), _pilot_start_of(locked, wave)
    CampaignUnit.objects.filter(pk=locked.pk).update(wave=wave)
    locked.wave = campaign_unit.wave = wave
    now = timezone.now()
    change = CampaignChange(
        campaign_id=locked.campaign_id,
        at=now,
        actor=actor,
        what=(_("Wave of %(unit)s") % {"unit": locked.unit.name})[:255],
        old_value=(old_wave.name if old_wave else _("No wave"))[:100],
        new_value=(wave.name if wave else _("No wave"))[:100],
        note=note.strip(),
    )
    change.save()
    events.unit_wave_changed(campaign_unit=locked, old_start=old_start, new_start=new_start, change_key=str(change.pk))
    return True
