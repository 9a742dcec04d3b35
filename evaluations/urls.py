from django.urls import path

from .views import forms

app_name = "evaluations"

P = "program/<int:program_pk>/evaluasi/"

urlpatterns = [
    path(P, forms.EvaluationsHomeView.as_view(), name="home"),
    path(P + "mulai/", forms.EvaluationsSetupView.as_view(), name="setup"),
    path(P + "formulir/<int:form_pk>/belum-mengisi/", forms.NotRespondedView.as_view(), name="not_responded"),
]
