"""Forms of the questionnaire editor. Lists (scale labels, choices) are typed one per line; the correct
answer of a test question is the number of its choice counted from 1; a form's times are entered in the
program's own zone on a 24-hour clock."""

import datetime as dt

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from retreat.forms_dates import DayField

from .enums import QuestionKind
from .models import Questionnaire, Section

TIME_FORMATS = ["%H:%M", "%H.%M"]


def _no_form_tag() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class QuestionnaireForm(forms.ModelForm):
    prefix = "questionnaire"

    class Meta:
        model = Questionnaire
        fields = ["title", "intro", "required"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _no_form_tag()


class SectionForm(forms.Form):
    prefix = "section"
    title = forms.CharField(label=_("Section title"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _no_form_tag()


class QuestionForm(forms.Form):
    prefix = "question"
    section = forms.ModelChoiceField(label=_("Section"), queryset=Section.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label=_("Type"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    scale_max = forms.TypedChoiceField(label=_("Scale"), choices=[(4, "1–4"), (5, "1–5")], coerce=int, initial=4,
                                       help_text=_("For scale questions."))  # fmt: skip
    scale_labels = forms.CharField(
        label=_("Scale labels"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, from the lowest point up; empty for the usual labels."),
    )  # fmt: skip
    choices = forms.CharField(label=_("Choices"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("For single and multiple choice: one per line."))  # fmt: skip
    correct_choice = forms.IntegerField(
        label=_("Correct answer"), required=False, min_value=1,
        help_text=_("Test questions: the number of the correct choice (1 for the first line)."),
    )  # fmt: skip
    key = forms.CharField(label=_("Key"), max_length=40, required=False,
                          help_text=_("Optional: the aspect or BerAKHLAK value it measures."))  # fmt: skip

    def __init__(self, *args, questionnaire, question=None, **kwargs):
        if question is not None:
            kwargs.setdefault("initial", {
                "section": question.section_id, "kind": question.kind, "text": question.text,
                "required": question.required, "scale_max": question.scale_max,
                "scale_labels": "\n".join(question.scale_labels), "choices": "\n".join(question.choices),
                "correct_choice": None if question.correct_choice is None else question.correct_choice + 1,
                "key": question.key,
            })  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.filter(questionnaire=questionnaire).order_by("position", "pk")
        self.helper = _no_form_tag()

    def question_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["scale_labels"] = _lines(data["scale_labels"])
        data["choices"] = _lines(data["choices"])
        return data


class FormTimesForm(forms.Form):
    """When a form opens and closes, in the program's zone (WIB/WITA/WIT)."""

    opens_day = DayField(label=_("Opens on"))
    opens_time = forms.TimeField(label=_("at"), input_formats=TIME_FORMATS)
    closes_day = DayField(label=_("Closes on"))
    closes_time = forms.TimeField(label=_("at"), input_formats=TIME_FORMATS)

    def __init__(self, *args, program, form, **kwargs):
        opens, closes = form.opens_at.astimezone(program.tzinfo), form.closes_at.astimezone(program.tzinfo)
        kwargs.setdefault("initial", {"opens_day": opens.date(), "opens_time": f"{opens:%H:%M}",
                                      "closes_day": closes.date(), "closes_time": f"{closes:%H:%M}"})  # fmt: skip
        super().__init__(*args, **kwargs)
        self.program = program
        zone = program.tz_abbreviation
        for name in ("opens_time", "closes_time"):
            self.fields[name].label = _("Time (%(zone)s, 24-hour)") % {"zone": zone}
            self.fields[name].widget.attrs.update(
                {"inputmode": "numeric", "placeholder": "14:30", "pattern": r"[0-2]?[0-9][:.][0-5][0-9]"}
            )
        self.helper = _no_form_tag()

    def clean(self):
        cleaned = super().clean()
        tz = self.program.tzinfo
        if cleaned.get("opens_day") and cleaned.get("opens_time"):
            cleaned["opens_at"] = dt.datetime.combine(cleaned["opens_day"], cleaned["opens_time"], tzinfo=tz)
        if cleaned.get("closes_day") and cleaned.get("closes_time"):
            cleaned["closes_at"] = dt.datetime.combine(cleaned["closes_day"], cleaned["closes_time"], tzinfo=tz)
        if "opens_at" in cleaned and "closes_at" in cleaned and cleaned["closes_at"] <= cleaned["opens_at"]:
            self.add_error("closes_day", _("The form must close after it opens."))
        return cleaned
