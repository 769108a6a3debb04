from django.contrib import admin

from pilot_portal.core.admin import EventAdmin, EventInline

from .models import CalendarOverride, Dossier, DossierEvent, Handover, Procedure


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "field", "time_limit", "time_unit", "fee", "online_level", "is_active"]
    list_filter = ["field", "time_unit", "online_level", "is_active"]
    search_fields = ["code", "name"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "reason"]
    list_filter = ["kind"]
    date_hierarchy = "date"


class DossierEventInline(EventInline):
    model = DossierEvent
    fields = ["at", "kind", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    """Read-mostly: statuses and due dates change only through the services (the clerk's screens)."""

    list_display = ["code", "unit", "procedure", "applicant_name", "status", "received_at", "due_at", "is_test"]
    list_filter = ["status", "channel", "is_test", "from_district_backlog"]
    search_fields = ["code", "applicant_name", "applicant_id_number"]
    list_select_related = ["unit", "procedure"]
    raw_id_fields = ["unit", "procedure", "received_by", "assigned_to"]
    readonly_fields = [
        "code",
        "unit",
        "procedure",
        "status",
        "received_at",
        "due_at",
        "closed_at",
        "returned_at",
        "paused_at",
        "apologized_at",
        "original_due_at",
        "received_by",
        "assigned_to",
        "lookup_secret",
        "channel",
    ]
    inlines = [DossierEventInline]
    date_hierarchy = "received_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False


@admin.register(DossierEvent)
class DossierEventAdmin(EventAdmin):
    list_display = ["dossier", "at", "kind", "from_status", "to_status", "actor"]
    list_select_related = ["dossier", "actor"]
    raw_id_fields = ["dossier", "actor"]


@admin.register(Handover)
class HandoverAdmin(admin.ModelAdmin):
    list_display = ["dossier", "at", "from_user", "to_user"]
    list_select_related = ["dossier", "from_user", "to_user"]
    raw_id_fields = ["dossier", "from_user", "to_user"]

    def has_add_permission(self, request):
        return False  # a hand-over is recorded on the dossier page, with its event and the new assignee

    def has_change_permission(self, request, obj=None):
        return False
