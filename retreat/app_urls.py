"""The core app's pages: the dashboard, programs and document jobs (namespace ``retreat``). The project's
URL configuration, ``retreat/urls.py``, includes it beside every other app's."""

from django.urls import path

from . import views, views_cohorts, views_institution

app_name = "retreat"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("program/baru/", views.ProgramCreateView.as_view(), name="program_create"),
    path("program/<int:program_pk>/", views.ProgramDetailView.as_view(), name="program_detail"),
    path("program/<int:program_pk>/ubah/", views.ProgramUpdateView.as_view(), name="program_update"),
    path("program/<int:program_pk>/angkatan/", views_cohorts.CohortListView.as_view(), name="cohorts"),
    path("program/<int:program_pk>/angkatan/tambah/", views_cohorts.CohortCreateView.as_view(), name="cohort_create"),
    path(
        "program/<int:program_pk>/angkatan/<int:cohort_pk>/ubah/",
        views_cohorts.CohortRenameView.as_view(),
        name="cohort_rename",
    ),
    path(
        "program/<int:program_pk>/angkatan/<int:cohort_pk>/hapus/",
        views_cohorts.CohortDeleteView.as_view(),
        name="cohort_delete",
    ),
    path(
        "program/<int:program_pk>/dokumen/<slug:kind>/",
        views.DocumentRequestView.as_view(),
        name="document_request",
    ),
    path("dokumen/<uuid:job_pk>/", views.DocumentJobView.as_view(), name="document_job"),
    path("instansi/", views_institution.InstitutionHomeView.as_view(), name="institution"),
    path("instansi/profil/", views_institution.InstitutionProfileView.as_view(), name="institution_profile"),
    path("instansi/baru/", views_institution.InstitutionCreateView.as_view(), name="institution_create"),
    path("instansi/pengguna/baru/", views_institution.UserCreateView.as_view(), name="institution_user_create"),
    path("instansi/pengguna/<int:user_pk>/", views_institution.UserDetailView.as_view(), name="institution_user"),
    path(
        "instansi/pengguna/<int:user_pk>/status/",
        views_institution.UserStatusView.as_view(),
        name="institution_user_status",
    ),
    path(
        "instansi/pengguna/<int:user_pk>/sandi/",
        views_institution.UserPasswordResetView.as_view(),
        name="institution_user_password",
    ),
    path("dokumen/<uuid:job_pk>/unduh/", views.DocumentDownloadView.as_view(), name="document_download"),
    path("dokumen/<uuid:job_pk>/ulangi/", views.DocumentRetryView.as_view(), name="document_retry"),
]
