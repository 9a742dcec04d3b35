from dataclasses import dataclass

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from retreat.identity import normalize_phone

from .enums import EnrollmentStatus, Eselon, ParticipantType, RetreatRole, Sex
from .importing import IMPORT_FIELDS, MAX_FILE_BYTES
from .models import DiscussionGroup, Enrollment, Participant, Room


def _no_form_tag() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper


class EnrollmentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False)
    unit = forms.CharField(label=_("Work unit"), required=False, widget=forms.TextInput(attrs={"list": "unit-list"}))
    group = forms.ChoiceField(label=_("Group"), required=False)
    cohort = forms.ChoiceField(label=_("Cohort"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, groups, cohorts=(), **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        self.fields["role"].choices = everyone + list(RetreatRole.choices)
        self.fields["group"].choices = everyone + [("none", _("No group"))] + [(g.number, g.name) for g in groups]
        self.fields["cohort"].choices = everyone + [("none", _("No cohort"))] + [(c.pk, c.name) for c in cohorts]
        self.fields["status"].choices = everyone + list(EnrollmentStatus.choices)

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}


@dataclass(frozen=True)
class StoredChange:
    """A field someone else saved after the form was read: its label, the value the form was read with
    (None when the form did not send it) and the value stored now, both as shown to people."""

    label: str
    read: str | None
    stored: str


def _as_text(value) -> str:
    return "" if value is None else str(value).replace("\r\n", "\n")


class VersionedForm(forms.ModelForm):
    """An edit form that carries the version its row was read at (the hidden field ``version_field``) and the
    values it was read with (Django's hidden initial values), so that a save made after someone else's is
    refused (``participants.services.StaleEdit``) and what that person changed can be shown."""

    version_field = "version"
    stale_message = ""  # with %(changes)s
    stale_message_unlisted = ""  # when none of the form's fields changed

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self._meta.fields:
            self.fields[name].show_hidden_initial = True
        self.fields[self.version_field] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1, initial=self.instance.version
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(self.version_field) is None:
            raise ValidationError(_("This form is out of date: open the page again and redo your changes."))
        return cleaned

    @property
    def read_version(self) -> int:
        return self.cleaned_data[self.version_field]

    @property
    def edit_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != self.version_field}

    def show_stored(self, stored: Model) -> str:
        """After a refused save: the form now counts as read at ``stored`` (the row as someone else saved it).
        A field that person changed and the user did not takes their value; one both changed keeps the
        user's input, with the stored value shown beside it. Returns the message that says what they changed."""
        data = self.data.copy()
        changes = []
        for name in self._meta.fields:
            field, initial_name = self.fields[name], self.add_initial_prefix(name)
            stored_raw = _as_text(field.prepare_value(stored._meta.get_field(name).value_from_object(stored)))
            bound = self[name]
            mine = _as_text(bound.data)
            read = _as_text(field.widget.value_from_datadict(self.data, self.files, initial_name))
            read = read if initial_name in self.data else None  # not sent: all that is known is the user's input
            if stored_raw != (mine if read is None else read):
                change = StoredChange(str(field.label), None if read is None else self._shown(field, read),
                                      self._shown(field, stored_raw))  # fmt: skip
                changes.append(change)
                if mine == read:
                    data[self.add_prefix(name)] = stored_raw
                    note = gettext("Changed meanwhile by someone else (it was “%(read)s”).") % {"read": change.read}
                else:
                    note = gettext("Saved meanwhile by someone else: “%(value)s”. Yours is kept here.") % {
                        "value": change.stored
                    }
                note = format_html('<span class="text-warning-emphasis fw-semibold">{}</span>', note)
                bound.help_text = format_html("{} {}", note, bound.help_text) if bound.help_text else note
            data[initial_name] = stored_raw
        data[self.add_prefix(self.version_field)] = stored.version
        self.data = data
        if not changes:
            return str(self.stale_message_unlisted)
        return str(self.stale_message) % {"changes": "; ".join(self._change_text(change) for change in changes)}

    @staticmethod
    def _shown(field, raw: str) -> str:
        """A value as the form shows it: the label of a choice, the name of a chosen row."""
        if raw == "":
            return gettext("empty")
        if isinstance(field, forms.ModelChoiceField):
            try:
                return str(field.label_from_instance(field.to_python(raw)))
            except (ValidationError, OverflowError):  # not a row it offers (OverflowError: SQLite's integers)
                return raw
        if isinstance(field, forms.ChoiceField):
            return str({str(key): label for key, label in field.choices}.get(raw, raw))
        return raw

    @staticmethod
    def _change_text(change: StoredChange) -> str:
        if change.read is None:
            return gettext("%(field)s is now “%(stored)s”") % {"field": change.label, "stored": change.stored}
        return gettext("%(field)s changed from “%(read)s” to “%(stored)s”") % {
            "field": change.label,
            "read": change.read,
            "stored": change.stored,
        }


class ParticipantForm(VersionedForm):
    version_field = "participant_version"
    stale_message = _(
        "Someone else saved this participant while you were editing: %(changes)s. Nothing was saved: the form "
        "now holds their changes and yours; check it and save again."
    )
    stale_message_unlisted = _(
        "Someone else saved this participant while you were editing. Nothing was saved: your changes are kept "
        "in the form; check it and save again."
    )

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


class EnrollmentForm(VersionedForm):
    version_field = "enrollment_version"
    stale_message = _(
        "Someone else saved this participant's details in this program while you were editing: %(changes)s. "
        "Nothing was saved: the form now holds their changes and yours; check it and save again."
    )
    stale_message_unlisted = _(
        "Someone else saved this participant's details in this program while you were editing. Nothing was "
        "saved: your changes are kept in the form; check it and save again."
    )

    class Meta:
        model = Enrollment
        fields = ["role", "cohort", "group", "room", "status", "withdrawn_reason", "replaced_by"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        program = self.instance.program
        self.fields["cohort"].queryset = program.cohorts.all()
        self.fields["group"].queryset = DiscussionGroup.objects.filter(program=program)
        self.fields["room"].queryset = program.rooms.all()
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
    """One choice per column of the file that has a header or a value (``columns``: index and header): which
    participant field it holds, or ignore it."""

    def __init__(self, *args, columns: list[tuple[int, str]], mapping: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— ignore —"))] + list(IMPORT_FIELDS.items())
        for index, header in columns:
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


class RegistrySearchForm(forms.Form):
    q = forms.CharField(label=_("Name or NIP"), required=False, max_length=100)

    def query(self) -> str:
        return self.cleaned_data["q"] if self.is_valid() else ""


class NewPersonForm(forms.Form):
    """A person not yet in the registry. Every value is text as a spreadsheet cell would hold it: the service
    checks them as the import checks a row (``participants.services.enrollment_add_new``), so that each rule has
    one place; empty choices mean what an empty cell means (the type and sex from the NIP, the role from the
    position). The labels are the import's."""

    name = forms.CharField(max_length=300)
    nip = forms.CharField(max_length=40, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    nik = forms.CharField(max_length=40, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    participant_type = forms.ChoiceField(required=False)
    sex = forms.ChoiceField(required=False)
    golongan = forms.CharField(max_length=60, required=False)
    eselon = forms.ChoiceField(required=False)
    position_title = forms.CharField(max_length=200, required=False)
    unit_name = forms.CharField(max_length=200, required=False)
    phone = forms.CharField(max_length=40, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    email = forms.EmailField(required=False)
    retreat_role = forms.ChoiceField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, field in self.fields.items():
            field.label = IMPORT_FIELDS[key]
        self.fields["name"].help_text = _("With the titles, like Dr. Ir. H. Bambang Sutrisno, M.Si.")
        self.fields["participant_type"].choices = [("", _("From the NIP"))] + list(ParticipantType.choices)
        self.fields["sex"].choices = [("", _("From the NIP or NIK"))] + list(Sex.choices)
        self.fields["eselon"].choices = [("", "–")] + list(Eselon.choices)
        self.fields["retreat_role"].choices = [("", _("From the position"))] + list(RetreatRole.choices)
        self.helper = _no_form_tag()
        pairs = [("nip", "nik"), ("participant_type", "sex"), ("golongan", "eselon"), ("position_title", "unit_name"),
                 ("phone", "email")]  # fmt: skip
        rows = [Row(*(Column(key, css_class="col-12 col-sm-6") for key in pair)) for pair in pairs]
        self.helper.layout = Layout("name", *rows, "retreat_role")

    def values(self) -> dict[str, str]:
        return {key: str(value).strip() for key, value in self.cleaned_data.items() if value}


class RoomForm(forms.ModelForm):
    """A room of the program's lodging; the service checks it against the people already in it."""

    class Meta:
        model = Room
        fields = ["building", "number", "capacity", "sex", "notes"]
        widgets = {"capacity": forms.NumberInput(attrs={"min": 1, "max": 100})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sex"].choices = [("", _("Not set yet"))] + list(Sex.choices)
        self.helper = _no_form_tag()
        self.helper.layout = Layout(
            Row(Column("building", css_class="col-7"), Column("number", css_class="col-5")),
            Row(Column("capacity", css_class="col-4"), Column("sex", css_class="col-8")),
            "notes",
        )
