from django.contrib import admin

from .models import DigestDelivery, Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter), "created_at"]
    list_select_related = ["recipient"]
    search_fields = ["title", "key", "recipient__username"]
    date_hierarchy = "created_at"
    raw_id_fields = ["recipient"]
    readonly_fields = ["created_at", "emailed_at"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_kinds", "daily_digest"]
    list_filter = ["daily_digest"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    list_display = ["user", "day", "notification_count", "sent_at"]
    list_select_related = ["user"]
    date_hierarchy = "day"
    raw_id_fields = ["user"]
