"""The post-retreat report (laporan pelaksanaan), under ``program/<program_pk>/laporan/``."""

from django.urls import path

from . import views_report as views

P = "foto/<int:report_photo_pk>/"

urlpatterns = [
    path("", views.ReportView.as_view(), name="report"),
    path("teks/", views.ReportTextsView.as_view(), name="report_texts"),
    path("buat/", views.ReportMakeView.as_view(), name="report_make"),
    path("versi/<uuid:version_pk>/unduh/", views.ReportDownloadView.as_view(), name="report_download"),
    path("foto/", views.ReportPhotoAddView.as_view(), name="report_photo_add"),
    path(P, views.ReportPhotoView.as_view(), name="report_photo"),
    path(P + "ubah/", views.ReportPhotoUpdateView.as_view(), name="report_photo_update"),
    path(P + "hapus/", views.ReportPhotoDeleteView.as_view(), name="report_photo_delete"),
]
