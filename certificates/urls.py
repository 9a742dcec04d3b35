from django.urls import include, path

from . import views

app_name = "certificates"

P = "program/<int:program_pk>/sertifikat/"

urlpatterns = [
    path(P, views.CertificatesHomeView.as_view(), name="home"),
    path(P + "beri-nomor/", views.NumberView.as_view(), name="number"),
    path(P + "terbitkan/", views.IssueView.as_view(), name="issue"),
    path(P + "penomoran/", views.NumberingView.as_view(), name="numbering"),
    path(P + "desain/", views.DesignView.as_view(), name="design"),
    path(P + "siasn.xlsx", views.SiasnExportView.as_view(), name="siasn"),
    path(P + "pratinjau.pdf", views.PreviewView.as_view(), name="preview"),
    path(P + "<int:certificate_pk>/unduh/", views.CertificateFileView.as_view(), name="file"),
    path(P + "<int:certificate_pk>/cabut/", views.CertificateActionView.as_view(action="revoke"), name="revoke"),
    path(
        P + "<int:certificate_pk>/terbit-ulang/", views.CertificateActionView.as_view(action="reissue"), name="reissue"
    ),  # fmt: skip
    path(P + "tanda-tangan/", include("certificates.urls_signing")),
    path("program/<int:program_pk>/laporan/", include("certificates.urls_report")),
]
