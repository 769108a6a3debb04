from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from pilot_portal.core.admin import EventAdmin, EventInline
from pilot_portal.core.text import fold

from . import backlog_admin  # noqa: F401  (registers the backlog's admin lists)
from .models import (
    CalendarOverride,
    CitizenNotice,
    Dossier,
    DossierEvent,
    DossierPaper,
    DossierRating,
    Handover,
    Procedure,
    ProcedurePaper,
)


class ProcedurePaperInline(admin.TabularInline):
    """The papers of the procedure's dossier (thành phần hồ sơ), in the order the checklist shows them."""

    model = ProcedurePaper
    fields = ["position", "name", "kind", "copies", "is_required"]
    extra = 1


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "field", "time_limit", "time_unit", "fee", "online_level", "is_active"]
    list_filter = ["field", "time_unit", "online_level", "is_active"]
    search_fields = ["code", "name"]
    inlines = [ProcedurePaperInline]


class DossierPaperInline(admin.TabularInline):
    """The papers received with the dossier, as the procedure listed them then: a record, not edited here."""

    model = DossierPaper
    fields = ["position", "name", "kind", "copies"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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

    # Few, short columns: the changelist fits a 1366 px screen next to its filters (the procedure by its code,
    # its name on hover; the unit by its short name).
    list_display = ["dossier_code", "applicant_name", "unit_short_name", "procedure_code", "status", "due_at"]
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
        "papers_digitized",
        "result_digitized",
        "source_system",
        "source_number",
        "supplement_papers",
        "fee_collected",
        "fee_receipt_number",
        "result_delivery",
        "delivery_address",
        "apology_reason",
        "notices_consented_at",
    ]
    inlines = [DossierPaperInline, DossierEventInline]
    date_hierarchy = "received_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("dossier code"), ordering="code")
    def dossier_code(self, obj):
        return format_html('<span style="white-space: nowrap">{}</span>', obj.code)

    @admin.display(description=_("unit"), ordering="unit__short_name")
    def unit_short_name(self, obj):
        return obj.unit.short_name or obj.unit.name

    @admin.display(description=_("procedure"), ordering="procedure__code")
    def procedure_code(self, obj):
        return format_html('<span title="{}">{}</span>', obj.procedure.name, obj.procedure.code)

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


@admin.register(CitizenNotice)
class CitizenNoticeAdmin(admin.ModelAdmin):
    """The log of what was sent to citizens: written by the services and the sending task only."""

    list_display = ["dossier", "kind", "channel", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind", "channel"]
    list_select_related = ["dossier"]
    search_fields = ["dossier__code"]
    raw_id_fields = ["dossier"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DossierRating)
class DossierRatingAdmin(admin.ModelAdmin):
    """The citizens' ratings (Decision 766): given on the satisfaction page only."""

    list_display = ["dossier", "level", "source", "rated_at"]
    list_filter = ["level", "source", ("dossier__unit", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["dossier"]
    search_fields = ["dossier__code"]
    raw_id_fields = ["dossier"]
    date_hierarchy = "rated_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
