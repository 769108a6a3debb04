from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from pilot_portal.core.admin import EventAdmin, EventInline

from .models import (
    Campaign,
    CampaignChange,
    CampaignUnit,
    CampaignUnitEvent,
    ChecklistItem,
    ChecklistTemplateItem,
    Milestone,
    PilotIssue,
    PilotIssueEvent,
    Wave,
)
from .services import (
    CampaignError,
    campaign_checklists_complete,
    campaign_unit_set_wave,
    checklist_instantiate,
    checklist_missing_milestones,
)


class PlannedInline(admin.TabularInline):
    """A campaign's milestones and waves: added here when the campaign is set up; moved afterwards on the
    campaign's plan page (``services.campaign_plan_update``), which keeps the history and tells the units."""

    extra = 0

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_when_saved if obj is not None else []


class MilestoneInline(PlannedInline):
    model = Milestone
    readonly_when_saved = ["date"]

    def has_change_permission(self, request, obj=None):
        return obj is None

    def has_delete_permission(self, request, obj=None):
        return obj is None


class WaveInline(PlannedInline):
    model = Wave
    readonly_when_saved = ["starts_at"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "session_budget_minutes", "go_live_test_dossiers"]
    list_select_related = ["province"]
    inlines = [MilestoneInline, WaveInline]
    actions = ["complete_checklists"]

    def get_readonly_fields(self, request, obj=None):
        # Moved on the plan page once the campaign exists (with a history and a notice to the units).
        return ["session_budget_minutes", "go_live_test_dossiers"] if obj is not None else []

    @admin.action(description=_("Give the units the checklist items they do not have yet"))
    def complete_checklists(self, request, queryset):
        created = 0
        for campaign in queryset:
            try:
                created += campaign_checklists_complete(campaign=campaign)
            except CampaignError as exc:
                self.message_user(request, f"{campaign}: {exc}", messages.ERROR)
        self.message_user(request, _("Checklist items created: %(count)d.") % {"count": created}, messages.SUCCESS)


class CampaignUnitEventInline(EventInline):
    model = CampaignUnitEvent


class CampaignUnitAdminForm(forms.ModelForm):
    class Meta:
        model = CampaignUnit
        fields = ["campaign", "unit", "wave"]

    def clean(self):
        data = super().clean()
        campaign, unit, wave = data.get("campaign"), data.get("unit"), data.get("wave")
        if campaign is None:
            return data
        if unit is not None and unit.province_id != campaign.province_id:
            self.add_error("unit", _("The unit is not in the campaign's province."))
        if wave is not None and wave.campaign_id != campaign.id:
            self.add_error("wave", _("The wave belongs to another campaign."))
        missing = checklist_missing_milestones(campaign=campaign)
        if missing:
            self.add_error(
                "campaign",
                _("Add the campaign's milestones first: %(milestones)s.") % {"milestones": ", ".join(missing)},
            )
        return data


@admin.register(CampaignUnit)
class CampaignUnitAdmin(admin.ModelAdmin):
    """Status changes go through the portal's pages (transition table, go-live gate); here only the wave. A unit
    added here gets its readiness checklist, as in ``campaign_unit_add``; a unit put in another wave goes through
    ``campaign_unit_set_wave`` (its checklist follows the wave's start, the history keeps it, the unit is told)."""

    form = CampaignUnitAdminForm

    list_display = ["unit", "campaign", "wave", "status"]
    list_filter = ["campaign", "status"]
    list_select_related = ["unit", "campaign", "wave"]
    search_fields = ["unit__name", "unit__search_text"]
    readonly_fields = ["status", "live_override_reason"]
    autocomplete_fields = ["unit"]
    inlines = [CampaignUnitEventInline]

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        if change and "wave" in form.changed_data:
            wave = obj.wave
            obj.wave_id = form.initial.get("wave")  # saved as it was; the service moves it
            super().save_model(request, obj, form, change)
            campaign_unit_set_wave(campaign_unit=obj, wave=wave, actor=request.user)
        else:
            super().save_model(request, obj, form, change)
        checklist_instantiate(campaign_unit=obj)


@admin.register(ChecklistTemplateItem)
class ChecklistTemplateItemAdmin(admin.ModelAdmin):
    list_display = ["title", "block", "position", "owner", "milestone", "offset_days", "is_critical", "derived_source"]
    list_filter = ["block", "is_critical", "is_active"]
    list_editable = ["position", "offset_days", "is_critical"]


class ChecklistItemAdminForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "milestone" in self.fields:
            # Only the milestones of the item's own campaign (every campaign has a "Review meeting").
            self.fields["milestone"].queryset = Milestone.objects.filter(
                campaign_id=self.instance.campaign_unit.campaign_id
            )

    def clean(self):
        data = super().clean()
        campaign_unit = data.get("campaign_unit") or (self.instance.campaign_unit if self.instance.pk else None)
        milestone = data.get("milestone")
        if campaign_unit is not None and milestone is not None and milestone.campaign_id != campaign_unit.campaign_id:
            self.add_error("milestone", _("Choose a milestone of the unit's own campaign."))
        return data


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    """Items come from the templates; one can be added to a single unit here. The status and the evidence file are
    set on the unit's page (with their history; the file is private, it has no URL for the admin to link to)."""

    form = ChecklistItemAdminForm
    list_display = ["title", "campaign_unit", "block", "status", "is_critical", "derived_source"]
    list_filter = ["block", "status", "is_critical", "campaign_unit__campaign"]
    list_select_related = ["campaign_unit__unit"]
    search_fields = ["title", "campaign_unit__unit__name"]
    autocomplete_fields = ["campaign_unit"]
    exclude = ["evidence_file"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["status", "template", "derived_source"]
        return ["status", "campaign_unit", "template", "derived_source"]


class PilotIssueEventInline(EventInline):
    model = PilotIssueEvent


@admin.register(PilotIssue)
class PilotIssueAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign_unit", "block", "category", "severity", "status", "raised_at"]
    list_filter = ["block", "category", "severity", "status", "campaign_unit__campaign"]
    list_select_related = ["campaign_unit__unit"]
    search_fields = ["title", "description"]
    readonly_fields = ["status", "campaign_unit", "raised_by", "answer", "answered_by", "answered_at"]
    inlines = [PilotIssueEventInline]

    def has_add_permission(self, request):
        # A unit raises its issues in the portal (pilot_issue_raise: its block, the answer's deadline, the province
        # told); the admin corrects them. Its add form could not even choose the unit (read-only here).
        return False


@admin.register(CampaignChange)
class CampaignChangeAdmin(EventAdmin):
    list_display = ["at", "campaign", "what", "old_value", "new_value", "actor"]
    list_filter = ["campaign"]
    list_select_related = ["campaign", "actor"]
