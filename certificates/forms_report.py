"""Forms of the post-retreat report page: the organizer's texts, photos to add, a photo's caption."""

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.forms_plans import MultipleFileField

from .models import REPORT_TEXTS, ReportPhoto, ReportText

TEXT_ROWS = {"legal_basis": 6, "background": 6, "purpose": 6, "conclusions": 6}


class ReportTextForm(forms.ModelForm):
    """Each text shows its default as the placeholder: left empty, the report prints that default."""

    class Meta:
        model = ReportText
        fields = list(REPORT_TEXTS)

    def __init__(self, *args, defaults: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for name in REPORT_TEXTS:
            field = self.fields[name]
            field.widget = forms.Textarea(attrs={"rows": TEXT_ROWS.get(name, 4), "placeholder": defaults[name]})
            field.help_text = " ".join(
                str(part) for part in (field.help_text, _("Empty: the default shown is printed.")) if part
            )


class ReportPhotoForm(forms.Form):
    photos = MultipleFileField(label=_("Photos (JPEG, PNG or WebP, at most 5 MB each)"), required=False)
    caption = forms.CharField(
        label=_("Caption"), required=False, max_length=ReportPhoto._meta.get_field("caption").max_length,
        help_text=_("Given to every photo of this upload; change each one afterwards in the list."),
    )  # fmt: skip


class ReportPhotoCaptionForm(forms.Form):
    caption = forms.CharField(label=_("Caption"), required=False,
                              max_length=ReportPhoto._meta.get_field("caption").max_length)  # fmt: skip
    move = forms.ChoiceField(choices=[("", ""), ("up", "up"), ("down", "down")], required=False)
