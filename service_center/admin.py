from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from pilot_portal.core.admin import EventAdmin, EventInline
from pilot_portal.core.text import fold

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
    list_filter = [
        ("unit__province", admin.RelatedOnlyFieldListFilter),
        ("unit", admin.RelatedOnlyFieldListFilter),
        ("procedure", admin.RelatedOnlyFieldListFilter),
        "status",
        "channel",
        "is_test",
        "from_district_backlog",
    ]
    search_fields = ["code", "applicant_name", "applicant_search", "applicant_id_number", "source_number"]
    search_help_text = _("Code, CCCD, or the applicant's name with or without diacritics (“tran van binh”).")
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
        "source_system",
        "source_number",
    ]
    inlines = [DossierEventInline]
    date_hierarchy = "received_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def get_search_results(self, request, queryset, search_term):
        # The folded column holds the name without diacritics: fold what was typed the same way.
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            found |= queryset.filter(applicant_search__contains=fold(search_term))
        return found, may_have_duplicates


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
