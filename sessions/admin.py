from django.contrib import admin

from .models import Session, Speaker


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "organization", "institution"]
    search_fields = ["name", "organization"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "program", "kind", "starts_at", "ends_at", "venue"]
    list_filter = ["program", "kind"]
    list_select_related = ["program"]
    filter_horizontal = ["speakers"]
