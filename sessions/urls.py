from django.urls import path

from . import views

app_name = "sessions"

A = "program/<int:program_pk>/agenda/"

urlpatterns = [
    path(A, views.AgendaView.as_view(), name="agenda"),
    path(A + "sesi/baru/", views.SessionFormView.as_view(), name="session_create"),
    path(A + "sesi/<int:session_pk>/", views.SessionFormView.as_view(), name="session_update"),
    path(A + "sesi/<int:session_pk>/duplikat/", views.SessionDuplicateView.as_view(), name="session_duplicate"),
    path(A + "sesi/<int:session_pk>/geser/", views.SessionMoveView.as_view(), name="session_move"),
    path(A + "sesi/<int:session_pk>/hapus/", views.SessionDeleteView.as_view(), name="session_delete"),
    path(A + "tempat/", views.VenueSaveView.as_view(), name="venue_create"),
    path(A + "tempat/<int:venue_pk>/", views.VenueSaveView.as_view(), name="venue_update"),
    path(A + "narasumber/", views.SpeakerSaveView.as_view(), name="speaker_create"),
    path(A + "template/", views.AgendaTemplateView.as_view(), name="agenda_template"),
    path(A + "copy/", views.AgendaCopyView.as_view(), name="agenda_copy"),
    path(A + "publish/", views.AgendaPublishView.as_view(), name="agenda_publish"),
    path(A + "unpublish/", views.AgendaUnpublishView.as_view(), name="agenda_unpublish"),
    path(A + "calendar/", views.CalendarFeedView.as_view(), name="calendar_feed"),
    path(A + "calendar/renew/", views.CalendarRenewView.as_view(), name="calendar_renew"),
    path(A + "calendar/revoke/", views.CalendarRevokeView.as_view(), name="calendar_revoke"),
    path("kalender/<str:token>.ics", views.ProgramCalendarView.as_view(), name="program_calendar"),
]
