from django.urls import path

from . import views

app_name = "attendance"

P = "program/<int:program_pk>/presensi/"
S = P + "sesi/<int:session_pk>/"

urlpatterns = [
    path(P, views.AttendanceHomeView.as_view(), name="home"),
    path(P + "rekap/", views.RecapView.as_view(), name="recap"),
    path(P + "rekap.xlsx", views.RecapExportView.as_view(), name="recap_export"),
    path(P + "pengaturan/", views.SettingsView.as_view(), name="settings"),
    path(S, views.RollCallView.as_view(), name="roll_call"),
    path(S + "kirim/", views.CheckinBatchView.as_view(), name="checkin_batch"),
    path(S + "pindai/", views.ScanView.as_view(), name="scan"),
    path(S + "mandiri/", views.SelfCheckinSwitchView.as_view(), name="self_checkin_switch"),
    path(S + "layar/", views.SelfCheckinScreenView.as_view(), name="screen"),
    path(S + "tutup/", views.RegisterCloseView.as_view(), name="register_close"),
    path(S + "buka/", views.RegisterReopenView.as_view(), name="register_reopen"),
    path(S + "riwayat/", views.SessionHistoryView.as_view(), name="history"),
]
