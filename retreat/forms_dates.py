"""Dates typed as dd/mm/yyyy. A native <input type="date"> shows the browser's own format (mm/dd/yyyy in an
English browser) whatever the page's language, so date fields are text inputs in the Indonesian order, and
their parsing lives here: dd/mm/yyyy (also with - or .) and the ISO yyyy-mm-dd, in every UI language."""

from django import forms
from django.utils.translation import gettext_lazy as _

DAY_FORMAT = "%d/%m/%Y"
DAY_INPUT_FORMATS = [DAY_FORMAT, "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


class DayInput(forms.DateInput):
    """A text input showing dd/mm/yyyy, with the placeholder in the page's language (hh/bb/tttt)."""

    def __init__(self, attrs=None):
        attrs = {"placeholder": _("dd/mm/yyyy"), "autocomplete": "off", **(attrs or {})}
        super().__init__(attrs=attrs, format=DAY_FORMAT)


class DayField(forms.DateField):
    """A date typed as dd/mm/yyyy (or yyyy-mm-dd)."""

    widget = DayInput
    input_formats = DAY_INPUT_FORMATS
    default_error_messages = {"invalid": _("Enter the date as dd/mm/yyyy, e.g. 17/08/2025.")}
