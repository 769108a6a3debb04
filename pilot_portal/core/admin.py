"""Admin pieces every app uses: status histories are shown, never added, edited or deleted."""

from django.contrib import admin

EVENT_FIELDS = ["at", "actor", "from_status", "to_status", "note"]


class EventInline(admin.TabularInline):
    """A status history under its object: read-only, append-only (the services write it)."""

    extra = 0
    can_delete = False
    fields = EVENT_FIELDS
    readonly_fields = EVENT_FIELDS

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventAdmin(admin.ModelAdmin):
    """A status history's own list: to read and filter, never to add, edit or delete a row."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
