from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import webhooks
from .models import ApiToken, WebhookDelivery, WebhookReceiver
from .tokens import token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by their users (the secret is shown to them once); admins see them and revoke any."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "created_at"]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username", "user__first_name", "user__last_name"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["delete"])
    def revoke(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            token_revoke(token=token)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", len(tokens)) % {"count": len(tokens)},
            messages.SUCCESS,
        )


@admin.register(WebhookReceiver)
class WebhookReceiverAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "province", "unit", "is_active", "created_at"]
    list_filter = ["is_active", "province"]
    list_select_related = ["province", "unit"]
    search_fields = ["name", "url", "unit__name"]
    autocomplete_fields = ["province", "unit"]
    fields = ["name", "url", "secret", "province", "unit", "is_active"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The log of deliveries: read-only; a failed or pending one can be sent again."""

    list_display = [
        "dossier",
        "to_status",
        "receiver",
        "status",
        "attempts",
        "response_status",
        "last_error",
        "changed_at",
        "delivered_at",
    ]
    list_filter = ["status", "receiver"]
    list_select_related = ["dossier", "receiver"]
    search_fields = ["dossier__code", "last_error"]
    readonly_fields = [
        "receiver",
        "dossier",
        "to_status",
        "changed_at",
        "payload",
        "status",
        "attempts",
        "response_status",
        "last_error",
        "created_at",
        "last_attempt_at",
        "delivered_at",
    ]
    fields = readonly_fields
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected deliveries again now"), permissions=["view"])
    def send_again(self, request, queryset):
        pending = list(queryset.exclude(status=WebhookDelivery.Status.DELIVERED).values_list("pk", flat=True)[:100])
        delivered = sum(webhooks.attempt(pk) for pk in pending)
        self.message_user(
            request,
            _("%(delivered)d of %(count)d deliveries delivered.") % {"delivered": delivered, "count": len(pending)},
            messages.SUCCESS if delivered == len(pending) else messages.WARNING,
        )
