from django.urls import path

from . import views

program_patterns = [
    path("peserta/", views.EnrollmentListView.as_view(), name="enrollment_list"),
    path("peserta/<int:enrollment_pk>/", views.EnrollmentUpdateView.as_view(), name="enrollment_update"),
    path("peserta/<int:enrollment_pk>/tautan/", views.EnrollmentLinkView.as_view(), name="enrollment_link"),
    path("peserta/<int:enrollment_pk>/kelompok/", views.GroupMoveView.as_view(), name="enrollment_move"),
    path("peserta/ekspor.<str:fmt>", views.ExportView.as_view(), name="enrollment_export"),
    path("peserta/impor/", views.ImportUploadView.as_view(), name="import_upload"),
    path("peserta/impor/<uuid:import_pk>/", views.ImportPreviewView.as_view(), name="import_preview"),
    path("kelompok/", views.GroupsView.as_view(), name="groups"),
    path("kelompok/bentuk/", views.GroupFormationView.as_view(), name="groups_form"),
]

public_patterns = [
    path("p/<str:token>/", views.PersonalPageView.as_view(), name="personal_page"),
]
