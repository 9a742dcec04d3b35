from django.urls import path

from . import views

app_name = "evaluations"

P = "program/<int:program_pk>/evaluasi/"

urlpatterns = [
    path(P, views.EvaluationsHomeView.as_view(), name="home"),
    path(P + "mulai/", views.EvaluationsSetupView.as_view(), name="setup"),
    path(P + "formulir/<int:form_pk>/belum-mengisi/", views.NotRespondedView.as_view(), name="not_responded"),
]
