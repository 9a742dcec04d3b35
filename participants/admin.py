from django.contrib import admin

from .models import Enrollment, Participant


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["name", "nip", "position_title", "unit_name", "institution"]
    list_filter = ["institution", "participant_type"]
    list_select_related = ["institution"]
    search_fields = ["name", "nip", "unit_name"]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["participant", "program", "role", "status"]
    list_filter = ["program", "role", "status"]
    list_select_related = ["participant", "program"]
    autocomplete_fields = ["participant"]
