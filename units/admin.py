from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from pilot_portal.core.admin import EventAdmin

from .models import LegacyUnit, Province, Succession, Unit, UnitDirectoryChange


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
    """Read-only: the predecessors come from the national data, and ``import_units`` replaces what differs."""

    model = Succession
    extra = 0
    fields = ["legacy_unit", "is_whole", "is_default"]
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("legacy_unit")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province", "area_km2", "headquarters", "agency_code"]
    list_filter = ["kind", "province"]
    list_select_related = ["province", "headquarters"]
    search_fields = ["code", "name", "search_text", "agency_code"]
    autocomplete_fields = ["headquarters"]
    # The directory fields are kept on the unit's page (units.directory), which keeps their history.
    readonly_fields = ["search_text", "headquarters_address", "phone", "ubnd_chair", "hdnd_chair"]
    inlines = [SuccessionInline]


@admin.register(UnitDirectoryChange)
class UnitDirectoryChangeAdmin(EventAdmin):
    list_display = ["at", "unit", "field", "old_value", "new_value", "actor"]
    list_select_related = ["unit", "actor"]
    search_fields = ["unit__name", "field"]


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

    # Read-only, like the inline: a re-import of the national data would undo any hand edit.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
