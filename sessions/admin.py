from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from pilot_portal.core.admin import EventAdmin, EventInline

from .models import (
    AgendaItem,
    Comment,
    Document,
    DocumentVersion,
    Outcome,
    Participant,
    Session,
    SessionEvent,
    StreamViewer,
)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "title", "presenter", "planned_minutes", "started_at", "ended_at"]
    readonly_fields = ["started_at", "ended_at"]


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    fields = ["kind", "title", "is_required", "is_ready"]
    show_change_link = True


class OutcomeInline(admin.TabularInline):
    """Read-only: votes are checked against the attendance and the result computed by the portal's services."""

    model = Outcome
    extra = 0
    can_delete = False
    fields = readonly_fields = ["number", "title", "votes_for", "votes_against", "votes_abstain", "adopted"]

    def has_add_permission(self, request, obj=None):
        return False


class SessionEventInline(EventInline):
    model = SessionEvent


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "kind", "number", "is_rehearsal", "scheduled_start", "status", "budget_minutes"]
    list_filter = ["kind", "status", "is_rehearsal", "unit__province"]
    search_fields = ["title", "unit__name", "unit__search_text"]
    date_hierarchy = "scheduled_start"
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    # The status, the time budget (capped by the province's limit) and the record change through the portal's
    # services, which hold the rules.
    readonly_fields = [
        "status",
        "budget_minutes",
        "actual_start",
        "actual_end",
        "attendance_count",
        "created_by",
        "created_at",
        "minutes_download",
    ]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # Private files have no URL: the admin links to the portal's download view, which checks the user's scope.
    exclude = ["minutes_file"]
    inlines = [AgendaItemInline, DocumentInline, OutcomeInline, SessionEventInline]

    @admin.display(description=_("minutes file"))
    def minutes_download(self, obj):
        if not obj.minutes_file:
            return "-"
        url = reverse("sessions:minutes_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.minutes_file_name or obj.minutes_file.name)


@admin.register(SessionEvent)
class SessionEventAdmin(EventAdmin):
    list_display = ["session", "at", "actor", "from_status", "to_status", "note"]
    list_filter = ["to_status"]
    list_select_related = ["session", "actor"]
    readonly_fields = ["session", "at", "actor", "from_status", "to_status", "note"]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["session", "order", "title", "planned_minutes", "started_at", "ended_at"]
    list_select_related = ["session"]
    search_fields = ["title", "session__title"]
    raw_id_fields = ["session"]
    filter_horizontal = ["documents"]


class DocumentVersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    fields = ["number", "original_name", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "session", "kind", "is_required", "is_ready"]
    list_filter = ["kind", "is_required", "is_ready"]
    list_select_related = ["session"]
    search_fields = ["title", "session__title"]
    raw_id_fields = ["session"]
    inlines = [DocumentVersionInline]


@admin.register(DocumentVersion)
class DocumentVersionAdmin(admin.ModelAdmin):
    """Uploads go through the portal (validation, safe names); the admin lists them."""

    list_display = ["original_name", "document", "number", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["document", "uploaded_by"]
    fields = ["document", "number", "download", "original_name", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("sessions:document_download", args=[obj.pk]), obj.original_name
        )

    def has_add_permission(self, request):
        return False


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["name", "session", "position", "delegate_group", "is_member", "attendance"]
    list_filter = ["attendance", "is_member"]
    list_select_related = ["session"]
    search_fields = ["name", "session__title"]
    raw_id_fields = ["session"]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    """To read and search; outcomes are recorded and corrected on the session's page (votes checked, result
    computed)."""

    list_display = ["number", "title", "session", "votes_for", "votes_against", "votes_abstain", "adopted"]
    list_filter = ["adopted"]
    list_select_related = ["session"]
    raw_id_fields = ["session"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StreamViewer)
class StreamViewerAdmin(admin.ModelAdmin):
    list_display = ["session", "unit"]
    list_select_related = ["session", "unit"]
    raw_id_fields = ["session", "unit"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["session", "author", "created_at", "body"]
    list_select_related = ["session", "author"]
    raw_id_fields = ["session", "author"]
