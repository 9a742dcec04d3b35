from django.contrib import admin
from django.db.models import F

from .models import Enrollment, Participant, Room


class VersionedAdmin(admin.ModelAdmin):
    """A change saved here moves the row's version on too: an organizer's edit form open on it is then stale."""

    def save_model(self, request, obj, form, change):
        if change:
            obj.version = F("version") + 1
        super().save_model(request, obj, form, change)
        if change:
            obj.refresh_from_db(fields=["version"])


@admin.register(Participant)
class ParticipantAdmin(VersionedAdmin):
    list_display = ["name", "nip", "position_title", "unit_name", "institution"]
    list_filter = ["institution", "participant_type"]
    list_select_related = ["institution"]
    search_fields = ["name", "nip", "unit_name"]


@admin.register(Enrollment)
class EnrollmentAdmin(VersionedAdmin):
    list_display = ["participant", "program", "role", "status"]
    list_filter = ["program", "role", "status"]
    list_select_related = ["participant", "program"]
    autocomplete_fields = ["participant"]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["__str__", "program", "capacity", "sex"]
    list_filter = ["program", "sex"]
    list_select_related = ["program"]
    search_fields = ["building", "number"]
