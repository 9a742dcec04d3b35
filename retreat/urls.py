"""The project's URL configuration: every app's pages under its own namespace (``participants:enrollment_list``).

Accounts keep Django's own names (``login``, ``password_reset_confirm``...): Django's auth views, the
password-reset e-mail and the admin site reverse them without a namespace.
"""

from django.contrib import admin
from django.urls import include, path

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
    path("", include("retreat.app_urls")),
    path("", include("participants.urls")),
    path("", include("sessions.urls")),
    path("", include("attendance.urls")),
    path("", include("evaluations.urls")),
    path("", include("certificates.urls")),
    path("", include("portal.urls")),
    path("akun/", include(account_patterns)),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("healthz/", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("admin/", admin.site.urls),
]

# Error pages in the site's frame and the chosen language (retreat/errors.py; CSRF failures: 403_csrf.html).
handler404 = "retreat.errors.page_not_found"
handler403 = "retreat.errors.permission_denied"
handler500 = "retreat.errors.server_error"
