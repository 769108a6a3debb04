"""Writes of the pilot campaigns: setup, pilot status and going live through the gate, checklist items and the
issues log."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from units.models import Province, Unit

from .checklist_defaults import default_template_rows
from .models import (
    ALLOWED_TRANSITIONS,
    ISSUE_TRANSITIONS,
    ITEM_TRANSITIONS,
    Campaign,
    CampaignUnit,
    CampaignUnitEvent,
    ChecklistItem,
    ChecklistItemEvent,
    ChecklistTemplateItem,
    IssueStatus,
    Milestone,
    PilotIssue,
    PilotIssueEvent,
    PilotStatus,
    Wave,
)
from .selectors import unit_readiness


class CampaignError(Exception):
    """A domain rule refused the change; the message is shown to the user."""


@transaction.atomic
def checklist_templates_ensure_defaults() -> int:
    """Load the default checklist when there is no template at all. Returns how many were created."""
    if ChecklistTemplateItem.objects.exists():
        return 0
    created = ChecklistTemplateItem.objects.bulk_create(ChecklistTemplateItem(**row) for row in default_template_rows())
    return len(created)


@transaction.atomic
def campaign_setup(
    *,
    province: Province,
    name: str,
    milestones: dict[str, date],
    session_budget_minutes: int = 45,
    go_live_test_dossiers: int = 1,
) -> Campaign:
    """The province's campaign with its milestones; idempotent (existing dates are left as the admin set them)."""
    campaign = Campaign.objects.filter(province=province).first()
    if campaign is None:
        campaign = Campaign(
            province=province,
            name=name,
            session_budget_minutes=session_budget_minutes,
            go_live_test_dossiers=go_live_test_dossiers,
        )
        campaign.full_clean()
        campaign.save()
    existing = set(campaign.milestones.values_list("kind", flat=True))
    for kind, day in milestones.items():
        if kind not in existing:
            milestone = Milestone(campaign=campaign, kind=kind, date=day)
            milestone.full_clean()
            milestone.save()
    return campaign


@transaction.atomic
def campaign_unit_add(*, campaign: Campaign, unit: Unit, wave: Wave | None = None) -> CampaignUnit:
    """Put ``unit`` in the campaign (in ``wave``) and give it its readiness checklist. Idempotent."""
    if unit.province_id != campaign.province_id:
        raise CampaignError(_("The unit is not in the campaign's province."))
    if wave is not None and wave.campaign_id != campaign.id:
        raise CampaignError(_("The wave belongs to another campaign."))
    campaign_unit = CampaignUnit.objects.filter(unit=unit).first()
    if campaign_unit is None:
        campaign_unit = CampaignUnit(campaign=campaign, unit=unit, wave=wave)
        campaign_unit.full_clean()
        campaign_unit.save()
    elif wave is not None and campaign_unit.wave_id != wave.id:
        campaign_unit.wave = wave
        campaign_unit.save(update_fields=["wave"])
    checklist_instantiate(campaign_unit=campaign_unit)
    return campaign_unit


def checklist_missing_milestones(*, campaign: Campaign) -> list[str]:
    """Labels of the milestones the active checklist templates are due relative to and the campaign lacks."""
    have = {m.kind for m in campaign.milestones.all()}
    needed = set(ChecklistTemplateItem.objects.filter(is_active=True).values_list("milestone", flat=True))
    return [str(label) for kind, label in Milestone.Kind.choices if kind in needed - have]


@transaction.atomic
def campaign_checklists_complete(*, campaign: Campaign) -> int:
    """Give every unit of the campaign the active template items it does not have yet (a template added in the
    admin after the units joined). Returns how many items were created."""
    return sum(
        len(checklist_instantiate(campaign_unit=campaign_unit))
        for campaign_unit in campaign.units.select_related("campaign")
    )


@transaction.atomic
def checklist_instantiate(*, campaign_unit: CampaignUnit) -> list[ChecklistItem]:
    """Create the unit's items from the active templates it does not have yet. Returns the new items."""
    milestones = {m.kind: m for m in campaign_unit.campaign.milestones.all()}
    have = set(campaign_unit.items.exclude(template=None).values_list("template_id", flat=True))
    items = []
    for template in ChecklistTemplateItem.objects.filter(is_active=True).exclude(id__in=have):
        milestone = milestones.get(template.milestone)
        if milestone is None:
            raise CampaignError(
                _("The campaign has no “%(milestone)s” milestone yet.")
                % {"milestone": template.get_milestone_display()}
            )
        items.append(
            ChecklistItem(
                campaign_unit=campaign_unit,
                template=template,
                block=template.block,
                position=template.position,
                title=template.title,
                owner=template.owner,
                milestone=milestone,
                offset_days=template.offset_days,
                is_critical=template.is_critical,
                derived_source=template.derived_source,
            )
        )
    for item in items:
        item.full_clean(exclude=["campaign_unit", "template", "milestone"])
    return ChecklistItem.objects.bulk_create(items)


@transaction.atomic
def campaign_unit_transition(
    *, campaign_unit: CampaignUnit, to: str, actor, note: str = "", gate_checked: bool = False
) -> CampaignUnit:
    """Change a unit's pilot status along ``ALLOWED_TRANSITIONS``; going live needs the go-live gate's check
    (``pilot_portal.campaigns.services.unit_go_live``)."""
    locked = CampaignUnit.objects.select_for_update().get(pk=campaign_unit.pk)
    if locked.status == to:
        return locked
    if to not in ALLOWED_TRANSITIONS.get(locked.status, ()):
        raise CampaignError(
            _("A unit cannot go from “%(from)s” to “%(to)s”.")
            % {"from": PilotStatus(locked.status).label, "to": PilotStatus(to).label}
        )
    if to == PilotStatus.LIVE and not gate_checked:
        raise CampaignError(_("A unit goes live only through the go-live gate."))
    event = CampaignUnitEvent(campaign_unit=locked, from_status=locked.status, to_status=to, actor=actor, note=note)
    locked.status = to
    locked.full_clean()
    locked.save(update_fields=["status"])
    event.full_clean()
    event.save()
    campaign_unit.status = locked.status
    return locked


@transaction.atomic
def checklist_item_update(
    *, item: ChecklistItem, to: str, actor, evidence_note: str | None = None, evidence_file=None, note: str = ""
) -> ChecklistItem:
    """Set a hand-ticked item's status and evidence. Items the portal proves from data cannot be ticked."""
    locked = ChecklistItem.objects.select_for_update().get(pk=item.pk)
    if locked.derived_source:
        raise CampaignError(_("This item is ticked from the portal's data, not by hand."))
    if to != locked.status and to not in ITEM_TRANSITIONS.get(locked.status, ()):
        raise CampaignError(_("This status change is not allowed."))
    if evidence_note is not None:
        locked.evidence_note = evidence_note
    if evidence_file:
        locked.evidence_file = evidence_file
    if to != locked.status:
        ChecklistItemEvent(item=locked, from_status=locked.status, to_status=to, actor=actor, note=note).save()
        locked.status = to
    locked.updated_by = actor
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def pilot_issue_raise(
    *,
    campaign_unit: CampaignUnit,
    actor,
    category: str,
    severity: str,
    title: str,
    description: str = "",
    proposed_fix: str = "",
    submit_token=None,
) -> PilotIssue:
    if submit_token is not None:
        # The unit's row lock makes a concurrent double submit wait here, then find the first one's issue.
        CampaignUnit.objects.select_for_update().filter(pk=campaign_unit.pk).first()
        existing = PilotIssue.objects.filter(submit_token=submit_token).first()
        if existing is not None:
            return existing
    issue = PilotIssue(
        submit_token=submit_token,
        campaign_unit=campaign_unit,
        raised_by=actor,
        category=category,
        severity=severity,
        title=title,
        description=description,
        proposed_fix=proposed_fix,
    )
    issue.full_clean()
    issue.save()
    PilotIssueEvent.objects.create(issue=issue, from_status=IssueStatus.OPEN, to_status=IssueStatus.OPEN, actor=actor)
    return issue


@transaction.atomic
def pilot_issue_transition(*, issue: PilotIssue, to: str, actor, note: str = "") -> PilotIssue:
    locked = PilotIssue.objects.select_for_update().get(pk=issue.pk)
    if to not in ISSUE_TRANSITIONS.get(locked.status, ()):
        raise CampaignError(
            _("An issue cannot go from “%(from)s” to “%(to)s”.")
            % {"from": IssueStatus(locked.status).label, "to": IssueStatus(to).label}
        )
    PilotIssueEvent.objects.create(issue=locked, from_status=locked.status, to_status=to, actor=actor, note=note)
    locked.status = to
    locked.full_clean()
    locked.save(update_fields=["status"])
    return locked


@transaction.atomic
def pilot_issue_answer(*, issue: PilotIssue, actor, answer: str, close: bool = False) -> PilotIssue:
    """The province's answer; ``close`` also closes the issue."""
    answer = answer.strip()
    if not answer:
        raise CampaignError(_("Write the answer."))
    to = IssueStatus.CLOSED if close else IssueStatus.ANSWERED
    locked = pilot_issue_transition(issue=issue, to=to, actor=actor, note=answer)
    locked.answer = answer
    locked.answered_by = actor
    locked.answered_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["answer", "answered_by", "answered_at"])
    return locked


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
