from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from traza.accounts.models import User


@admin.register(User)
class TrazaUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, (None, {"fields": ("display_name",)}))
    list_display = ("username", "email", "display_name", "is_staff", "is_active")
