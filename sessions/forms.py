import contextlib
import datetime as dt
import re

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from participants.models import DiscussionGroup
from retreat.enums import Role
from retreat.models import Program

from .agenda_templates import TEMPLATES
from .models import Session, Speaker, Venue

# Times as Indonesians write them, 24-hour with a dot (19.00). A colon, a comma (the decimal key of an
# Indonesian phone keyboard), four digits (1900) or the hour alone (19) are read too, as
# static/retreat_sessions/js/session_editor.js rewrites them. Browsers' own time pickers show AM/PM to
# English-language browsers, so the field is plain text.
CLOCK = re.compile(r"(\d{1,2})(?:[.:,](\d{1,2}))?|(\d{1,2})(\d{2})")


class ClockField(forms.TimeField):
    input_formats = ["%H.%M", "%H.%M.%S", "%H:%M:%S"]

    def to_python(self, value):
        match = CLOCK.fullmatch(value.strip()) if isinstance(value, str) else None
        if match:
            hours, minutes = (match[1], match[2] or "0") if match[1] else (match[3], match[4])
            value = f"{hours}.{minutes}"
        return super().to_python(value)


class ClockInput(forms.TimeInput):
    def __init__(self, attrs=None):
        attrs = {"inputmode": "decimal", "autocomplete": "off", "maxlength": 8, "placeholder": _("hh.mm"),
                 "data-clock": "", **(attrs or {})}  # fmt: skip
        super().__init__(attrs=attrs, format="%H.%M")


class DaySelect(forms.Select):
    """The program's days by name; a date outside them (a session moved past the end) is added as it is."""

    def format_value(self, value):
        return [value.isoformat() if isinstance(value, dt.date) else str(value)] if value else []


def multi_select(**attrs) -> forms.SelectMultiple:
    """A searchable multi-select (Tom Select, see static/retreat_sessions/js/session_editor.js); without
    JavaScript it stays a plain list."""
    attrs = {"data-multiselect": "", "data-no-results": _("No matches"), "data-remove": _("Remove"),
             "placeholder": _("Type to search"), **attrs}  # fmt: skip
    return forms.SelectMultiple(attrs=attrs)


class SessionForm(forms.ModelForm):
    """Date and times are entered in the program's own zone (WIB/WITA/WIT) and stored in UTC."""

    day = forms.DateField(label=_("Day"), widget=DaySelect)
    start = ClockField(label=_("Starts"), widget=ClockInput)
    end = ClockField(label=_("Ends"), widget=ClockInput)
    # What the form was read at: a save is refused when the session was saved again meanwhile, and the
    # sequence (changes of time or venue) tells whether the other save moved it.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    read_sequence = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = Session
        fields = [
            "kind", "title", "description", "venue", "speakers", "moderator", "facilitators", "dress_code",
            "cohorts", "groups", "counts_for_jp", "mandatory",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "speakers": multi_select(size=4),
            "facilitators": multi_select(size=3),
            "cohorts": forms.CheckboxSelectMultiple,
            "groups": multi_select(size=4),
        }

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        institutions = program.institution_ids
        self.fields["venue"].queryset = Venue.objects.filter(program=program)
        speakers = Speaker.objects.filter(institution__in=institutions)
        self.fields["speakers"].queryset = speakers
        self.fields["moderator"].queryset = speakers
        self.fields["facilitators"].queryset = (
            get_user_model()
            .objects.filter(memberships__institution__in=institutions, memberships__role=Role.FACILITATOR)
            .distinct()
        )
        self.fields["cohorts"].queryset = program.cohorts.all()
        self.fields["groups"].queryset = DiscussionGroup.objects.filter(program=program)
        days = list(program.days)
        if self.instance.pk:
            local_start = self.instance.starts_at.astimezone(program.tzinfo)
            local_end = self.instance.ends_at.astimezone(program.tzinfo)
            self.initial.update(day=local_start.date(), start=local_start.time(), end=local_end.time())
            self.initial.update(version=self.instance.version, read_sequence=self.instance.sequence)
            days.append(local_start.date())
        if self.is_bound:  # a day sent back with errors stays chosen, within the program or not
            with contextlib.suppress(ValueError):
                days.append(dt.date.fromisoformat(self.data.get(self.add_prefix("day")) or ""))
        days = sorted(set(days))
        self.fields["day"].widget.choices = [("", "---------")] + [
            (d.isoformat(), date_format(d, "l, j F Y")) for d in days
        ]
        self.fields["start"].label = _("Starts (%(zone)s)") % {"zone": program.tz_abbreviation}
        self.fields["end"].label = _("Ends (%(zone)s)") % {"zone": program.tz_abbreviation}
        self.order_fields(["kind", "title", "day", "start", "end"])
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start"), cleaned.get("end")
        if day and start and end:
            tz = self.program.tzinfo
            cleaned["starts_at"] = dt.datetime.combine(day, start, tzinfo=tz)
            # An end at or before the start on the same day is kept as entered: the agenda warns about it.
            cleaned["ends_at"] = dt.datetime.combine(day, end, tzinfo=tz)
        return cleaned

    def session_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("day", "start", "end", "version", "read_sequence"):
            data.pop(name, None)
        return data

    def read_at(self) -> dict:
        """The version (and sequence) of the session this form was read at, for the stale-save check."""
        data = self.cleaned_data
        return {"read_version": data.get("version"), "read_sequence": data.get("read_sequence")}

    def read_again(self, session: Session) -> None:
        """After a refused stale save: the input stays as entered, but the form now counts as read at the
        session's stored version, so that saving it again (after checking) is accepted."""
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = session.version
        self.data[self.add_prefix("read_sequence")] = session.sequence


class VenueForm(forms.ModelForm):
    class Meta:
        model = Venue
        fields = ["name", "kind", "capacity"]


class SpeakerForm(forms.ModelForm):
    class Meta:
        model = Speaker
        fields = ["front_title", "name", "back_title", "position", "organization", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 2})}


class TemplateForm(forms.Form):
    template = forms.ChoiceField(
        label=_("Template"), choices=[(key, label) for key, (label, _items) in TEMPLATES.items()]
    )


class CopyAgendaForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Copy the agenda of"), queryset=Program.objects.none())

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources
