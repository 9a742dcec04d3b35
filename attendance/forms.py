from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AttendanceSettings


class SettingsForm(forms.ModelForm):
    class Meta:
        model = AttendanceSettings
        fields = ["grace_minutes", "paper_size", "officer_name", "officer_nip", "officer_position"]


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening"), max_length=300)
