from django.urls import path

from . import plans, verification, views

app_name = "portal"

urlpatterns = [
    path("p/sw.js", views.ServiceWorkerView.as_view(), name="service_worker"),
    path("v/", verification.LookupView.as_view(), name="verify_lookup"),
    path("v/<str:code>/", verification.VerifyView.as_view(), name="verify"),
    path("p/<str:token>/", views.PersonalPageView.as_view(), name="personal_page"),
    path("p/<str:token>/jadwal.ics", views.PersonalCalendarView.as_view(), name="personal_calendar"),
    path("p/<str:token>/hadir/", views.SelfCheckinView.as_view(), name="self_checkin"),
    path("p/<str:token>/sertifikat.pdf", views.CertificateDownloadView.as_view(), name="certificate"),
    path("p/<str:token>/evaluasi/<int:form_pk>/", views.EvaluationFormView.as_view(), name="evaluation_form"),
    path("p/<str:token>/manifest.webmanifest", views.ManifestView.as_view(), name="personal_manifest"),
    path("p/<str:token>/rencana-aksi/", plans.PlanListView.as_view(), name="plans"),
    path("p/<str:token>/rencana-aksi/<int:plan_pk>/", plans.PlanEditView.as_view(), name="plan"),
    path("p/<str:token>/rencana-aksi/<int:plan_pk>/laporan/<int:day>/", plans.ReportView.as_view(), name="plan_report"),
    path(
        "p/<str:token>/rencana-aksi/<int:plan_pk>/laporan/<int:day>/bukti/",
        plans.EvidenceView.as_view(),
        name="plan_evidence",
    ),
]
