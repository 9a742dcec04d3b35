from django.urls import path

from . import views

program_patterns = [
    path("agenda/", views.AgendaView.as_view(), name="agenda"),
    path("agenda/sesi/baru/", views.SessionFormView.as_view(), name="session_create"),
    path("agenda/sesi/<int:session_pk>/", views.SessionFormView.as_view(), name="session_update"),
    path("agenda/sesi/<int:session_pk>/aksi/", views.SessionActionView.as_view(), name="session_action"),
    path("agenda/tempat/", views.VenueSaveView.as_view(), name="venue_create"),
    path("agenda/narasumber/", views.SpeakerSaveView.as_view(), name="speaker_create"),
    path("agenda/tempat/<int:venue_pk>/", views.VenueSaveView.as_view(), name="venue_update"),
    path("agenda/<slug:action>/", views.AgendaSetupView.as_view(), name="agenda_setup"),
]

public_patterns = [
    path("p/sw.js", views.ServiceWorkerView.as_view(), name="service_worker"),
    path("p/<str:token>/jadwal.ics", views.PersonalCalendarView.as_view(), name="personal_calendar"),
    path("p/<str:token>/manifest.webmanifest", views.ManifestView.as_view(), name="personal_manifest"),
    path("kalender/<str:token>.ics", views.ProgramCalendarView.as_view(), name="program_calendar"),
]
