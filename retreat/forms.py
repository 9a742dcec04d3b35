from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .forms_dates import DayField
from .models import Cohort, Institution, Program


def add_service_errors(form, exc: ValidationError, *, rename: dict | None = None, field: str | None = None) -> None:
    """A service's refusal on the form: each message under the field it names (``rename`` maps the service's
    names to the form's), else above the form, or under ``field`` for a refusal that names none."""
    if not hasattr(exc, "error_dict"):
        form.add_error(field, exc.messages)
        return
    for name, messages in exc.message_dict.items():
        name = (rename or {}).get(name, name)
        form.add_error(name if name in form.fields else None, messages)


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = [
            "organizer",
            "partner",
            "name",
            "theme",
            "description",
            "venue_name",
            "venue_address",
            "start_date",
            "end_date",
            "timezone",
            "status",
            "min_attendance_pct",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"start_date": DayField, "end_date": DayField}

    def __init__(self, *args, organizers, can_change_partner: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizer"].queryset = organizers
        if not self.instance.pk and not self.is_bound and len(managed := list(organizers[:2])) == 1:
            # Someone who manages one institution only has nothing to choose: it is preselected.
            self.initial.setdefault("organizer", managed[0].pk)
        self.fields["partner"].queryset = Institution.objects.all()
        self.fields["partner"].disabled = not can_change_partner
        if self.instance.pk:
            # The organizing institution owns the program; moving it elsewhere is not an edit.
            self.fields["organizer"].queryset = Institution.objects.filter(pk=self.instance.organizer_id)
            self.fields["organizer"].disabled = True
        self.helper = FormHelper()
        save = Submit("submit", _("Save"))
        save.field_classes = "btn btn-retret"  # the house style of a main action (not crispy's btn-primary)
        self.helper.add_input(save)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        organizer, partner = cleaned.get("organizer") or self.instance.organizer_id, cleaned.get("partner")
        if partner and organizer and partner == organizer:
            self.add_error("partner", _("The partner institution must differ from the organizing institution."))
        return cleaned


class CohortForm(forms.Form):
    """A cohort's name; the service tidies it and refuses a name the program has already."""

    name = forms.CharField(label=_("Cohort name"), max_length=Cohort._meta.get_field("name").max_length)


class OwnPasswordChangeForm(PasswordChangeForm):
    """Django's password change, refusing the password the user has now (a temporary one stays temporary);
    the old password is called the temporary one while it is."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        if user.must_change_password:
            self.fields["old_password"].label = _("Temporary password")

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("new_password1")
        if password and "new_password2" not in self.errors and self.user.check_password(password):
            self.add_error("new_password2", forms.ValidationError(
                _("Choose a password other than the one you have now."), code="same"))  # fmt: skip
        return cleaned
