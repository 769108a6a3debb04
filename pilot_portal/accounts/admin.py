from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "role", "province", "unit", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_superuser", "province"]
    list_select_related = ["province", "unit"]
    search_fields = ["username", "first_name", "last_name", "email", "unit__name"]
    autocomplete_fields = ["province", "unit"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Role and scope"), {"fields": ["role", "province", "unit", "position"]}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Role and scope"), {"fields": ["role", "province", "unit", "position"]}),
    )
