"""Forms of action plans, progress reports, plan reviews and monitoring visits. They only check input; the
services (services/plans.py) write, and check uploaded files."""

from django import forms
from django.utils.translation import gettext_lazy as _

from retreat.forms_dates import DayField, DayInput

from .models import ActionPlan, MonitoringVisit


class ActionPlanForm(forms.ModelForm):
    class Meta:
        model = ActionPlan
        fields = ["title", "indicator", "target_date", "involved"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-lg"}),
            "indicator": forms.TextInput(attrs={"class": "form-control form-control-lg"}),
            "target_date": DayInput(attrs={"class": "form-control form-control-lg"}),
            "involved": forms.TextInput(attrs={"class": "form-control form-control-lg"}),
        }
        field_classes = {"target_date": DayField}
        help_texts = {
            "title": _("One concrete change in your unit."),
            "indicator": _("How anyone can see it is done, e.g. “the SOP is signed”."),
            "involved": _("People or units who take part."),
        }


class ProgressReportForm(forms.Form):
    percent = forms.IntegerField(
        label=_("Progress (%)"), min_value=0, max_value=100,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-lg", "inputmode": "numeric", "step": 5}),
    )  # fmt: skip
    text = forms.CharField(
        label=_("What was done"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )  # fmt: skip
    evidence = forms.FileField(
        label=_("Evidence (photo or PDF, at most 5 MB)"), required=False,
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control form-control-lg", "accept": "image/jpeg,image/png,image/webp,application/pdf"}
        ),
    )  # fmt: skip
    remove_evidence = forms.BooleanField(label=_("Remove the evidence sent"), required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("changes", _("Ask for a change"))])
    note = forms.CharField(
        label=_("Note to the participant"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "changes" and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Say what should change."))
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        attrs = {"class": "form-control", "accept": "image/jpeg,image/png,image/webp"}
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class VisitForm(forms.ModelForm):
    """A visit to one unit (chosen before the form: ``unit``); the participants are that unit's. A finding
    field ``finding_<plan pk>`` is added for each plan of theirs."""

    participants = forms.ModelMultipleChoiceField(
        label=_("Participants met"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    photos = MultipleFileField(label=_("Photos (JPEG, PNG or WebP, at most 5 MB each, 10 at a time)"), required=False)

    class Meta:
        model = MonitoringVisit
        fields = ["date", "visitors", "participants", "follow_up"]
        widgets = {
            "date": DayInput(attrs={"class": "form-control"}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"date": DayField}

    def __init__(self, *args, enrollments, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrollments = enrollments
        self.fields["participants"].queryset = self._queryset(enrollments)
        self.fields["participants"].label_from_instance = lambda e: e.participant.display_name
        if not self.is_bound and not self.instance.pk:
            self.initial["participants"] = [e.pk for e in enrollments]
        self.plan_fields = []
        existing = {f.plan_id: f.text for f in self.instance.findings.all()} if self.instance.pk else {}
        for enrollment in enrollments:
            for plan in enrollment.plan_list:
                name = f"finding_{plan.pk}"
                self.fields[name] = forms.CharField(
                    label=plan.title, required=False, max_length=4000, initial=existing.get(plan.pk, ""),
                    widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                )  # fmt: skip
                self.plan_fields.append((enrollment, plan, name))

    def finding_rows(self) -> list:
        """(participant, plan, bound field) of each finding, in the order of ``plan_fields``."""
        return [(enrollment, plan, self[name]) for enrollment, plan, name in self.plan_fields]

    def clean(self):
        cleaned = super().clean()
        stray = [
            key for key in self.data
            if key.startswith("finding_") and key not in self.fields and str(self.data.get(key) or "").strip()
        ]  # fmt: skip
        if stray:  # a plan of another unit (or one no longer listed): refused, never silently dropped
            raise forms.ValidationError(
                _("A finding was sent for an action plan not of this unit's participants: nothing was saved."),
                code="stray_finding",
            )
        return cleaned

    @staticmethod
    def _queryset(enrollments):
        from participants.models import Enrollment

        return Enrollment.objects.filter(pk__in=[e.pk for e in enrollments]).select_related("participant")

    def findings(self) -> dict:
        return {plan: self.cleaned_data.get(name, "") for _enrollment, plan, name in self.plan_fields}
