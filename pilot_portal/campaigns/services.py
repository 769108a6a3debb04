"""Writes of the pilot campaigns: setup, pilot status and going live through the gate, checklist items and the
issues log. The province's plan of its campaign is in ``planning`` (re-exported here)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilot_portal.core.storage import delete_private_file
from pilot_portal.core.uploads import validate_upload
from pilot_portal.core.workflow import Workflow
from pilot_portal.notifications.models import Kind
from pilot_portal.notifications.recipients import unit_officials_by_unit
from pilot_portal.notifications.services import Message, notify_many
from service_center.calendar import calendar
from units.models import Province, Unit

from . import events
from .checklist_defaults import default_template_rows
from .errors import CampaignError as CampaignError
from .models import (
    ALLOWED_TRANSITIONS,
    ISSUE_TRANSITIONS,
    ITEM_TRANSITIONS,
    Block,
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
from .planning import MILESTONE_ORDER as MILESTONE_ORDER
from .planning import PLAN_YEARS as PLAN_YEARS
from .planning import SESSION_LIMIT_RANGE as SESSION_LIMIT_RANGE
from .planning import TEST_DOSSIERS_RANGE as TEST_DOSSIERS_RANGE
from .planning import CampaignPlan as CampaignPlan
from .planning import PlannedChange as PlannedChange
from .planning import _day
from .planning import campaign_plan_changes as campaign_plan_changes
from .planning import campaign_plan_update as campaign_plan_update
from .selectors import unit_readiness
from .wave_units import campaign_unit_set_wave as campaign_unit_set_wave

#: Checklist evidence: PDF, Word, Excel, OpenDocument or a photo, 10 MB at most.
EVIDENCE_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "jpg", "jpeg", "png")
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


PILOT_STATUS = Workflow(
    model=CampaignUnit,
    transitions=ALLOWED_TRANSITIONS,
    event_model=CampaignUnitEvent,
    subject="campaign_unit",
    error=CampaignError,
    refused=lambda *, current_label, target_label, **_row: (
        _("A unit cannot go from “%(from)s” to “%(to)s”.") % {"from": current_label, "to": target_label}
    ),
)
CHECKLIST_ITEM = Workflow(
    model=ChecklistItem,
    transitions=ITEM_TRANSITIONS,
    event_model=ChecklistItemEvent,
    subject="item",
    error=CampaignError,
    refused=lambda **labels: _("This status change is not allowed."),
)
PILOT_ISSUE = Workflow(
    model=PilotIssue,
    transitions=ISSUE_TRANSITIONS,
    event_model=PilotIssueEvent,
    subject="issue",
    error=CampaignError,
    refused=lambda *, current_label, target_label, **_row: (
        _("An issue cannot go from “%(from)s” to “%(to)s”.") % {"from": current_label, "to": target_label}
    ),
)


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


def campaign_unit_transition(*, campaign_unit: CampaignUnit, to: str, actor, note: str = "") -> CampaignUnit:
    """Change a unit's pilot status along ``ALLOWED_TRANSITIONS``, except going live: that is
    :func:`unit_go_live`'s alone, which checks the go-live gate on the locked row first."""
    if to == PilotStatus.LIVE:
        raise CampaignError(_("A unit goes live only through the go-live gate."))
    with transaction.atomic():
        before = CampaignUnit.objects.filter(pk=campaign_unit.pk).values_list("status", flat=True).first()
        result = PILOT_STATUS.transition(campaign_unit, to=to, actor=actor, note=note)
        if result.status != before:
            event = result.events.order_by("-at", "-id").first()
            events.pilot_status_changed(result, event_key=str(event.pk), note=note)
    return result


def validate_evidence(upload) -> str:
    """The safe stored name of an evidence file; ``ValidationError`` when its type, size or content is refused."""
    return validate_upload(upload, extensions=EVIDENCE_EXTENSIONS, max_bytes=MAX_EVIDENCE_BYTES)


class ChecklistItemChanged(CampaignError):
    """The item was saved by someone else after the user's form was shown; ``item`` is the row as it is now."""

    def __init__(self, item: ChecklistItem):
        self.item = item
        super().__init__(
            _(
                "Someone else saved this item meanwhile. Nothing was saved; your text is still in the form: compare "
                "it with what is saved now and save again."
            )
        )


@transaction.atomic
def checklist_item_update(
    *,
    item: ChecklistItem,
    to: str,
    actor,
    evidence_note: str | None = None,
    evidence_file=None,
    note: str = "",
    expected_version: int | None = None,
) -> ChecklistItem:
    """Set a hand-ticked item's status and evidence. Items the portal proves from data cannot be ticked.

    ``expected_version``: the item's ``version`` when the user's form was shown; a save from a form another user
    saved meanwhile is refused (:class:`ChecklistItemChanged`). A replaced evidence file is deleted after the commit.
    """
    locked = CHECKLIST_ITEM.lock(item)
    if locked.derived_source:
        raise CampaignError(_("This item is ticked from the portal's data, not by hand."))
    if expected_version is not None and locked.version != expected_version:
        raise ChecklistItemChanged(locked)
    replaced = locked.evidence_file.name if evidence_file and locked.evidence_file else ""
    if evidence_file:
        try:
            evidence_file.name = validate_evidence(evidence_file)
        except ValidationError as exc:
            raise CampaignError(" ".join(exc.messages)) from None
    locked = CHECKLIST_ITEM.transition(locked, to=to, actor=actor, note=note)
    if evidence_note is not None:
        locked.evidence_note = evidence_note
    if evidence_file:
        locked.evidence_file = evidence_file
    locked.updated_by = actor
    locked.version += 1
    locked.full_clean()
    locked.save()
    if replaced and replaced != locked.evidence_file.name:
        storage = locked.evidence_file.storage
        transaction.on_commit(lambda: delete_private_file(storage, replaced))
    return locked


@transaction.atomic
def pilot_issue_raise(
    *,
    campaign_unit: CampaignUnit,
    actor,
    category: str,
    severity: str,
    title: str,
    block: str,
    description: str = "",
    proposed_fix: str = "",
    submit_token=None,
) -> PilotIssue:
    """A unit raises an issue: ``block`` is the checklist block it concerns (one of ``Block``, required: only
    issues raised before blocks were asked have none)."""
    if block not in Block.values:
        raise CampaignError(_("Choose the block of the checklist the issue concerns."))
    if submit_token is not None:
        # The unit's row lock makes a concurrent double submit wait here, then find the first one's issue.
        CampaignUnit.objects.select_for_update().filter(pk=campaign_unit.pk).first()
        existing = PilotIssue.objects.filter(submit_token=submit_token).first()
        if existing is not None:
            return existing
    work_calendar = calendar()
    raised_at = timezone.now()
    issue = PilotIssue(
        answer_due_at=work_calendar.add_office_time(
            raised_at, work_calendar.day_length * campaign_unit.campaign.issue_answer_working_days
        ),
        submit_token=submit_token,
        campaign_unit=campaign_unit,
        raised_by=actor,
        category=category,
        severity=severity,
        block=block,
        title=title,
        description=description,
        proposed_fix=proposed_fix,
    )
    issue.full_clean()
    issue.save()
    PILOT_ISSUE.record(issue, actor=actor, from_status=IssueStatus.OPEN, to_status=IssueStatus.OPEN)
    events.issue_raised(issue)
    return issue


def pilot_issue_transition(*, issue: PilotIssue, to: str, actor, note: str = "") -> PilotIssue:
    return PILOT_ISSUE.transition(issue, to=to, actor=actor, note=note)


@transaction.atomic
def pilot_issue_answer(*, issue: PilotIssue, actor, answer: str, close: bool = False) -> PilotIssue:
    """The province's answer; ``close`` also closes the issue."""
    answer = answer.strip()
    if not answer:
        raise CampaignError(_("Write the answer."))
    to = IssueStatus.CLOSED if close else IssueStatus.ANSWERED
    locked = PILOT_ISSUE.lock(issue)
    if locked.status == to:
        # A second answer: the issue keeps its status, the history keeps every answer.
        PILOT_ISSUE.record(locked, actor=actor, from_status=to, to_status=to, note=answer)
    else:
        locked = PILOT_ISSUE.transition(locked, to=to, actor=actor, note=answer)
    locked.answer = answer
    locked.answered_by = actor
    locked.answered_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["answer", "answered_by", "answered_at"])
    events.issue_answered(locked, answer_key=locked.answered_at.isoformat())
    return locked


@transaction.atomic
def unit_go_live(*, campaign_unit: CampaignUnit, actor, override_reason: str = "") -> CampaignUnit:
    """The one way to go live: the go-live gate is checked on the locked row, and a unit that fails it goes live
    only with a recorded reason for overriding it."""
    override_reason = override_reason.strip()
    campaign = campaign_unit.campaign
    locked = PILOT_STATUS.lock(campaign_unit)
    if locked.status == PilotStatus.LIVE:
        # A second submit (or another staff member on the same page): the recorded decision stays as it was.
        return locked
    if not PILOT_STATUS.allows(locked.status, PilotStatus.LIVE):
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

    def record_override(row, _current):
        if not gate.passes:
            row.live_override_reason = override_reason

    result = PILOT_STATUS.transition(locked, to=PilotStatus.LIVE, actor=actor, note=note, prepare=record_override)
    campaign_unit.status = result.status
    events.pilot_status_changed(result, event_key="live", note=note)
    return result


class AlreadyReminded(CampaignError):
    """The unit was reminded today already: one reminder per unit per day."""


def unit_remind(*, campaign_unit: CampaignUnit, actor) -> int:
    """The province reminds a late unit of its late checklist items: one notification per official of the unit,
    at most once a day (the key carries the day). Returns how many officials were told."""
    day = timezone.localdate()
    (readiness,) = unit_readiness(
        campaign=campaign_unit.campaign, campaign_units=CampaignUnit.objects.filter(pk=campaign_unit.pk)
    )
    late = readiness.late_items
    if not late:
        raise CampaignError(_("The unit has no late checklist item: there is nothing to remind it of."))
    officials = unit_officials_by_unit([campaign_unit.unit_id]).get(campaign_unit.unit_id, [])
    if not officials:
        raise CampaignError(_("The unit has no active official to receive the reminder."))
    title = _("The province reminds you: %(count)s checklist items are late") % {"count": len(late)}
    lines = [f"- {view.item.title} ({_day(view.item.due_date)})" for view in late[:10]]
    if len(late) > 10:
        lines.append(_("… and %(count)s more.") % {"count": len(late) - 10})
    link = reverse("campaigns:unit", args=[campaign_unit.pk])
    key = f"campaign_unit:{campaign_unit.pk}:remind:{day.isoformat()}"
    stored = notify_many(Message(user_id, Kind.READINESS, key, title, "\n".join(lines), link) for user_id in officials)
    if not stored:
        raise AlreadyReminded(_("This unit was reminded today already: one reminder a day."))
    return len(stored)


@transaction.atomic
def pilot_issue_reply(*, issue: PilotIssue, actor, text: str) -> PilotIssue:
    """The unit answers back (a question on the province's answer, news of the problem): the issue is open again,
    waiting for the province, with a new answer deadline; the reply is kept in the issue's history."""
    text = text.strip()
    if not text:
        raise CampaignError(_("Write the reply."))
    locked = PILOT_ISSUE.lock(issue)
    if locked.status == IssueStatus.OPEN:
        PILOT_ISSUE.record(locked, actor=actor, from_status=IssueStatus.OPEN, to_status=IssueStatus.OPEN, note=text)
    else:
        locked = PILOT_ISSUE.transition(locked, to=IssueStatus.OPEN, actor=actor, note=text)
    work_calendar = calendar()
    campaign = Campaign.objects.get(pk=locked.campaign_unit.campaign_id)
    locked.answer_due_at = work_calendar.add_office_time(
        timezone.now(), work_calendar.day_length * campaign.issue_answer_working_days
    )
    locked.save(update_fields=["answer_due_at"])
    events.issue_replied(locked, actor=actor, text=text)
    return locked
