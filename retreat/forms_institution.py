"""Forms of the institution admin's pages (``views_institution.py``): the institution's profile, its users and
their roles, and the superuser's form for a new institution with its first admin."""

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from .enums import Role
from .models import Institution

PROFILE_FIELDS = ["name", "short_name", "kind", "address", "phone", "email", "website", "letterhead_lines", "timezone"]


class InstitutionProfileForm(forms.ModelForm):
    """The fields printed on letterheads, and the logo (checked and shrunk for print by the service)."""

    logo_upload = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 5 MB; it is resized for print."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = Institution
        fields = PROFILE_FIELDS
        widgets = {"letterhead_lines": forms.Textarea(attrs={"rows": 4}), "address": forms.Textarea(attrs={"rows": 2})}


class UserCreateForm(forms.Form):
    username = forms.CharField(
        label=_("Username"), max_length=150, validators=[UnicodeUsernameValidator()],
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )  # fmt: skip
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.ORGANIZER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class InstitutionCreateForm(forms.ModelForm):
    """A new institution (the superuser's page) and who will administer it."""

    admin_username = forms.CharField(label=_("Admin's username"), max_length=150,
                                     validators=[UnicodeUsernameValidator()])  # fmt: skip
    admin_full_name = forms.CharField(label=_("Admin's full name"), max_length=200)
    admin_email = forms.EmailField(label=_("Admin's e-mail"), required=False)

    class Meta:
        model = Institution
        fields = ["name", "short_name", "kind", "letterhead_lines", "address", "timezone"]
        widgets = {"letterhead_lines": forms.Textarea(attrs={"rows": 4}), "address": forms.Textarea(attrs={"rows": 2})}
