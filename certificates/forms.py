from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from retreat.forms_dates import DayField

from .enums import NumberingScope
from .numbering import pattern_check
from .texts import body_check


class NumberingForm(forms.Form):
    number_pattern = forms.CharField(
        label=_("Number pattern"), max_length=80,
        help_text=_("{seq} or {seq:04} is the sequence number, {year} the year, {month} the month in Roman numerals, "
                    "{program} the program's number. Example: 800.2.4/{seq:04}/BKPSDM/{year}."),
    )  # fmt: skip
    scope = forms.ChoiceField(label=_("Sequence"), choices=NumberingScope.choices, widget=forms.RadioSelect)

    def clean(self):
        data = super().clean()
        if "number_pattern" in data and "scope" in data:
            try:
                pattern_check(data["number_pattern"].strip(), per_program=data["scope"] == NumberingScope.PROGRAM)
            except ValidationError as error:
                self.add_error("number_pattern", error.messages)
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class LookupForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=80)
    name = forms.CharField(label=_("Name on the certificate"), max_length=150)


class DesignForm(forms.ModelForm):
    """The design's texts and images; images are checked and resized by the service when saved."""

    class Meta:
        from .models import CertificateDesign

        model = CertificateDesign
        fields = ["title", "given", "body", "background", "emblem", "signing_place", "signing_date", "on_behalf",
                  "signatory_position", "signatory_name", "signatory_rank", "signatory_nip", "signature",
                  "second_on_behalf", "second_position", "second_name", "second_rank", "second_nip",
                  "second_signature", "show_agenda"]  # fmt: skip
        widgets = {
            "body": forms.Textarea(attrs={"rows": 3}),
            **{name: forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
               for name in ("background", "emblem", "signature", "second_signature")},
        }  # fmt: skip
        field_classes = {"signing_date": DayField}

    def clean_body(self):
        return body_check(self.cleaned_data["body"])
