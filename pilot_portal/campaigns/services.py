"""Writes of the dashboard app: going live through the go-live gate."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from units.campaign_services import CampaignError, campaign_unit_transition
from units.models import ALLOWED_TRANSITIONS, CampaignUnit, PilotStatus

from .selectors import unit_readiness


@transaction.atomic
def unit_go_live(*, campaign_unit: CampaignUnit, actor, override_reason: str = "") -> CampaignUnit:
    """Mark the unit live when it passes the go-live gate, or with a recorded reason for overriding it."""
    override_reason = override_reason.strip()
    campaign = campaign_unit.campaign
    locked = CampaignUnit.objects.select_for_update().get(pk=campaign_unit.pk)
    if locked.status == PilotStatus.LIVE:
        # A second submit (or another staff member on the same page): the recorded decision stays as it was.
        return locked
    if PilotStatus.LIVE not in ALLOWED_TRANSITIONS[locked.status]:
        raise CampaignError(
            _("Only a unit whose pilot has been reviewed can go live; this one is “%(status)s”.")
            % {"status": PilotStatus(locked.status).label}
        )
    (readiness,) = unit_readiness(campaign=campaign, campaign_units=CampaignUnit.objects.filter(pk=locked.pk))
    gate = readiness.gate
    if not gate.passes and not override_reason:
        raise CampaignError(_("The unit does not pass the go-live gate: give the reason for overriding it."))
    note = ""
    if not gate.passes:
        note = _("Override: %(reason)s. Missing: %(missing)s") % {
            "reason": override_reason,
            "missing": "; ".join(gate.missing),
        }
    result = campaign_unit_transition(
        campaign_unit=locked, to=PilotStatus.LIVE, actor=actor, note=note, gate_checked=True
    )
    if not gate.passes:
        result.live_override_reason = override_reason
        result.save(update_fields=["live_override_reason"])
    return result
