from django.contrib import admin
from django.urls import include, path

from participants import urls as participant_urls
from sessions import urls as session_urls

from . import views

account_patterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("sandi/selesai/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("sandi/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("sandi/reset/terkirim/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("sandi/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("sandi/reset/selesai/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("akun/", include(account_patterns)),
    path("program/baru/", views.ProgramCreateView.as_view(), name="program_create"),
    path("program/<int:program_pk>/", views.ProgramDetailView.as_view(), name="program_detail"),
    path("program/<int:program_pk>/ubah/", views.ProgramUpdateView.as_view(), name="program_update"),
    path(
        "program/<int:program_pk>/dokumen/<slug:kind>/",
        views.DocumentRequestView.as_view(),
        name="document_request",
    ),
    path("program/<int:program_pk>/", include(participant_urls.program_patterns)),
    path("program/<int:program_pk>/", include(session_urls.program_patterns)),
    path("", include(session_urls.public_patterns)),
    path("", include(participant_urls.public_patterns)),
    path("dokumen/<uuid:job_pk>/", views.DocumentJobView.as_view(), name="document_job"),
    path("dokumen/<uuid:job_pk>/unduh/", views.DocumentDownloadView.as_view(), name="document_download"),
    path("dokumen/<uuid:job_pk>/ulangi/", views.DocumentRetryView.as_view(), name="document_retry"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("healthz/", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("admin/", admin.site.urls),
]
