from django.urls import path

from .views import assessment, completion, editor, forms, reminders, results
from .views import plans as plans_views

app_name = "evaluations"

P = "program/<int:program_pk>/evaluasi/"

urlpatterns = [
    path(P, forms.EvaluationsHomeView.as_view(), name="home"),
    path(P + "mulai/", forms.EvaluationsSetupView.as_view(), name="setup"),
    path(P + "formulir/<int:form_pk>/belum-mengisi/", forms.NotRespondedView.as_view(), name="not_responded"),
    path(P + "hasil/", results.ResultsView.as_view(), name="results"),
    path(P + "hasil/sesi/<int:form_pk>/", results.SpeakerResultView.as_view(), name="speaker_result"),
    path(P + "hasil/xlsx/", results.ResultsExportView.as_view(), name="results_xlsx"),
    path(P + "kuesioner/<int:questionnaire_pk>/", editor.QuestionnaireEditView.as_view(), name="questionnaire"),
    path(
        P + "kuesioner/<int:questionnaire_pk>/pertanyaan/<int:question_pk>/",
        editor.QuestionEditView.as_view(),
        name="question",
    ),
    path(P + "formulir/<int:form_pk>/waktu/", editor.FormTimesView.as_view(), name="form_times"),
    path(P + "penilaian/", assessment.AssessmentListView.as_view(), name="assessment"),
    path(P + "penilaian/<int:subject_pk>/", assessment.AssessView.as_view(), name="assess"),
    path(P + "pengingat/", reminders.RemindersView.as_view(), name="reminders"),
    path(P + "kelulusan/", completion.CompletionView.as_view(), name="completion"),
    path(P + "kelulusan/aturan/", completion.CompletionSettingsView.as_view(), name="completion_settings"),
    path(P + "kelulusan/xlsx/", completion.CompletionExportView.as_view(), name="completion_xlsx"),
    path(P + "kelulusan/<int:enrollment_pk>/", completion.CompletionDetailView.as_view(), name="completion_detail"),
    path(
        P + "kelulusan/<int:enrollment_pk>/keputusan/",
        completion.CompletionOverrideView.as_view(),
        name="completion_override",
    ),  # fmt: skip
    path(P + "rencana-aksi/", plans_views.PlanListView.as_view(), name="plans"),
    path(P + "rencana-aksi/<int:plan_pk>/", plans_views.PlanDetailView.as_view(), name="plan_detail"),
    path(P + "rencana-aksi/<int:plan_pk>/tinjau/", plans_views.PlanReviewView.as_view(), name="plan_review"),
    path(
        P + "rencana-aksi/<int:plan_pk>/laporan/<int:day>/bukti/",
        plans_views.PlanEvidenceView.as_view(),
        name="plan_evidence",
    ),
    path(P + "monitoring/", plans_views.MonitoringView.as_view(), name="monitoring"),
    path(P + "monitoring/kunjungan/baru/", plans_views.VisitEditView.as_view(), name="visit_create"),
    path(P + "monitoring/kunjungan/<int:visit_pk>/", plans_views.VisitDetailView.as_view(), name="visit_detail"),
    path(P + "monitoring/kunjungan/<int:visit_pk>/ubah/", plans_views.VisitEditView.as_view(), name="visit_edit"),
    path(
        P + "monitoring/kunjungan/<int:visit_pk>/foto/<int:photo_pk>/",
        plans_views.VisitPhotoView.as_view(),
        name="visit_photo",
    ),
]
