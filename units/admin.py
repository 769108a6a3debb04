from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import LegacyUnit, Province, Succession, Unit


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
