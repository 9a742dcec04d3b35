from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from retreat.identity import normalize_phone

from .enums import EnrollmentStatus, RetreatRole
from .importing import IMPORT_FIELDS, MAX_FILE_BYTES
from .models import DiscussionGroup, Enrollment, Participant


def _no_form_tag() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper


class EnrollmentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False)
    unit = forms.CharField(label=_("Work unit"), required=False, widget=forms.TextInput(attrs={"list": "unit-list"}))
    group = forms.ChoiceField(label=_("Group"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        self.fields["role"].choices = everyone + list(RetreatRole.choices)
        self.fields["group"].choices = everyone + [("none", _("No group"))] + [(g.number, g.name) for g in groups]
        self.fields["status"].choices = everyone + list(EnrollmentStatus.choices)

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = [
            "participant_type", "nip", "nik", "front_title", "name", "back_title", "sex", "golongan",
            "pppk_grade", "eselon", "position_category", "position_title", "unit_name", "phone", "email",
            "uniform_size", "dietary_notes", "health_notes",
        ]  # fmt: skip
        widgets = {"health_notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _no_form_tag()

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])


class EnrollmentForm(forms.ModelForm):
    class Meta:
        model = Enrollment
        fields = ["role", "cohort", "group", "room", "status", "withdrawn_reason", "replaced_by"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        program = self.instance.program
        self.fields["cohort"].queryset = program.cohorts.all()
        self.fields["group"].queryset = DiscussionGroup.objects.filter(program=program)
        self.fields["replaced_by"].queryset = (
            Enrollment.objects.filter(program=program).exclude(pk=self.instance.pk).select_related("participant")
        )
        self.fields["replaced_by"].label_from_instance = lambda enrollment: enrollment.participant.display_name
        self.helper = _no_form_tag()


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        help_text=_("A list from any agency: title rows above the header are fine."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; at most %(limit)d MB can be imported at once. Split it into parts.")
                % {"size": upload.size / 2**20, "limit": MAX_FILE_BYTES // 2**20}
            )
        if not upload.name.lower().endswith((".xlsx", ".csv", ".txt")):
            raise forms.ValidationError(_("Only .xlsx and .csv files can be imported."))
        return upload


class ImportMappingForm(forms.Form):
    """One choice per column of the file: which participant field it holds, or ignore it."""

    def __init__(self, *args, headers: list[str], mapping: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— ignore —"))] + list(IMPORT_FIELDS.items())
        for index, header in enumerate(headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header or _("(column %(number)d without a header)") % {"number": index + 1},
                choices=choices,
                required=False,
                initial=mapping.get(index, ""),
            )

    def mapping(self) -> dict[int, str]:
        return {int(name.removeprefix("col_")): value for name, value in self.cleaned_data.items()}

    def clean(self):
        cleaned = super().clean()
        chosen = [value for value in cleaned.values() if value]
        duplicates = {value for value in chosen if chosen.count(value) > 1}
        if duplicates:
            raise forms.ValidationError(
                _("Each field can come from one column only: %(fields)s chosen twice.")
                % {"fields": ", ".join(str(IMPORT_FIELDS[d]) for d in sorted(duplicates))}
            )
        if "name" not in chosen:
            raise forms.ValidationError(_("Choose the column that holds the names."))
        return cleaned


class GroupFormationForm(forms.Form):
    group_count = forms.IntegerField(label=_("Number of groups"), min_value=1, max_value=200, required=False)
    group_size = forms.IntegerField(label=_("or people per group"), min_value=2, max_value=500, required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("group_count") and not cleaned.get("group_size"):
            raise forms.ValidationError(_("Give the number of groups or the number of people per group."))
        return cleaned
