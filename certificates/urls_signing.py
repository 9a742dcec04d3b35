"""The institution's electronic signature for certificates."""

from django.urls import path

from . import views_signing

urlpatterns = [
    path("", views_signing.SigningView.as_view(), name="signing"),
]
