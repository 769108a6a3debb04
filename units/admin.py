from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Campaign,
    CampaignUnit,
    CampaignUnitEvent,
    ChecklistItem,
    ChecklistTemplateItem,
    LegacyUnit,
    Milestone,
    PilotIssue,
    PilotIssueEvent,
    Province,
    Succession,
    Unit,
    Wave,
)


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "unit_count"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "short_name"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_unit_count=Count("units"))

    @admin.display(description=_("Commune-level units"), ordering="_unit_count")
    def unit_count(self, obj):
        return obj._unit_count


class SuccessionInline(admin.TabularInline):
    model = Succession
    extra = 0
    autocomplete_fields = ["legacy_unit"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province", "area_km2", "headquarters", "agency_code"]
    list_filter = ["kind", "province"]
    list_select_related = ["province", "headquarters"]
    search_fields = ["code", "name", "search_text", "agency_code"]
    autocomplete_fields = ["headquarters"]
    readonly_fields = ["search_text"]
    inlines = [SuccessionInline]


@admin.register(LegacyUnit)
class LegacyUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "district_name", "province_name"]
    list_filter = ["province_name"]
    search_fields = ["code", "name", "district_name", "province_name", "key"]


@admin.register(Succession)
class SuccessionAdmin(admin.ModelAdmin):
    list_display = ["legacy_unit", "unit", "is_whole", "is_default"]
    list_filter = ["is_whole", "is_default", "unit__province"]
    list_select_related = ["legacy_unit", "unit"]
    search_fields = ["unit__name", "legacy_unit__name", "legacy_unit__district_name"]
    autocomplete_fields = ["legacy_unit", "unit"]


# --- Pilot campaigns ---------------------------------------------------------------------------------------------


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class WaveInline(admin.TabularInline):
    model = Wave
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "session_budget_minutes", "go_live_test_dossiers"]
    list_select_related = ["province"]
    inlines = [MilestoneInline, WaveInline]


class CampaignUnitEventInline(admin.TabularInline):
    model = CampaignUnitEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "note", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CampaignUnit)
class CampaignUnitAdmin(admin.ModelAdmin):
    """Status changes go through the portal's pages (transition table, go-live gate); here only the wave."""

    list_display = ["unit", "campaign", "wave", "status"]
    list_filter = ["campaign", "status"]
    list_select_related = ["unit", "campaign", "wave"]
    search_fields = ["unit__name", "unit__search_text"]
    readonly_fields = ["status", "live_override_reason"]
    autocomplete_fields = ["unit"]
    inlines = [CampaignUnitEventInline]


@admin.register(ChecklistTemplateItem)
class ChecklistTemplateItemAdmin(admin.ModelAdmin):
    list_display = ["title", "block", "position", "owner", "milestone", "offset_days", "is_critical", "derived_source"]
    list_filter = ["block", "is_critical", "is_active"]
    list_editable = ["position", "offset_days", "is_critical"]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign_unit", "block", "status", "is_critical", "derived_source"]
    list_filter = ["block", "status", "is_critical", "campaign_unit__campaign"]
    list_select_related = ["campaign_unit__unit"]
    search_fields = ["title", "campaign_unit__unit__name"]
    readonly_fields = ["status", "campaign_unit", "template", "derived_source"]


class PilotIssueEventInline(admin.TabularInline):
    model = PilotIssueEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "note", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PilotIssue)
class PilotIssueAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign_unit", "category", "severity", "status", "raised_at"]
    list_filter = ["category", "severity", "status", "campaign_unit__campaign"]
    list_select_related = ["campaign_unit__unit"]
    search_fields = ["title", "description"]
    readonly_fields = ["status", "campaign_unit", "raised_by", "answered_by", "answered_at"]
    inlines = [PilotIssueEventInline]
