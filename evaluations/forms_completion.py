from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from .enums import AttendanceBasis


class CompletionSettingsForm(forms.Form):
    min_attendance_pct = forms.IntegerField(
        label=_("Minimum attendance (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    attendance_basis = forms.ChoiceField(label=_("Attendance counted in"), choices=AttendanceBasis.choices,
                                         widget=forms.RadioSelect)  # fmt: skip
    forms_required = forms.BooleanField(
        label=_("Required forms must be submitted"), required=False,
        help_text=_("Every form the participant is asked of each questionnaire marked required."),
    )  # fmt: skip
    min_assessment_score = forms.IntegerField(
        label=_("Minimum facilitators' score (0–100)"), required=False,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Empty: the facilitators' assessment does not decide completion."),
    )  # fmt: skip
    follow_up_days = forms.CharField(
        label=_("Action plan follow-ups (days after the retreat)"), max_length=60,
        help_text=_("Separated by commas, e.g. 30, 60, 90."),
    )  # fmt: skip

    def clean_follow_up_days(self):
        raw = self.cleaned_data["follow_up_days"]
        try:
            days = sorted({int(part) for part in raw.replace(";", ",").split(",") if part.strip()})
        except ValueError:
            raise forms.ValidationError(_("Whole numbers of days separated by commas, e.g. 30, 60, 90.")) from None
        if not days or any(not 1 <= day <= 365 for day in days) or len(days) > 6:
            raise forms.ValidationError(_("One to six follow-ups, each 1 to 365 days after the retreat."))
        return days


class OverrideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("complete", _("Complete")), ("incomplete", _("Not complete")), ("rule", _("Back to the rule"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
