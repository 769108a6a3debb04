"""Admin lists of the district backlog: to read and filter; the import and ``backlog_receive`` write them."""

from django.contrib import admin

from pilot_portal.core.admin import EventAdmin

from .models import BacklogImport, BacklogRecord


@admin.register(BacklogRecord)
class BacklogRecordAdmin(EventAdmin):
    list_display = ["old_number", "dossier", "unit", "old_district", "handed_over_on"]
    list_filter = ["handed_over_on", "unit__province"]
    search_fields = ["old_number", "dossier__code", "old_district"]
    list_select_related = ["dossier", "unit"]
    raw_id_fields = ["dossier", "unit", "batch"]


@admin.register(BacklogImport)
class BacklogImportAdmin(EventAdmin):
    list_display = ["original_name", "unit", "uploaded_by", "uploaded_at", "imported_at", "created_count"]
    list_filter = ["imported_at", "unit__province"]
    list_select_related = ["unit", "uploaded_by"]
    exclude = ["file"]
