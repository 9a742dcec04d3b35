from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Cohort, DocumentJob, Institution, Membership, Program, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["institution"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Retret", {"fields": ("full_name",)}))
    inlines = [MembershipInline]
    list_display = ["username", "full_name", "email", "is_staff"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "timezone"]
    search_fields = ["name", "short_name"]


class CohortInline(admin.TabularInline):
    model = Cohort
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "organizer", "partner", "start_date", "end_date", "status"]
    list_filter = ["status", "organizer"]
    list_select_related = ["organizer", "partner"]
    search_fields = ["name"]
    inlines = [CohortInline]


@admin.register(DocumentJob)
class DocumentJobAdmin(admin.ModelAdmin):
    list_display = ["kind", "program", "status", "attempts", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["program"]
    readonly_fields = ["id", "created_at", "started_at", "finished_at"]
