from django import forms
from django.utils.translation import gettext_lazy as _


class SigningFileForm(forms.Form):
    """The institution's PKCS#12 file and the password that opens it (checked, never stored)."""

    file = forms.FileField(
        label=_("Signing file (.p12 or .pfx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".p12,.pfx,application/x-pkcs12"}),
        help_text=_("The electronic certificate with its private key, as exported from the certificate authority."),
    )
    password = forms.CharField(
        label=_("Password of the file"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Used only to check the file now; it is not stored."),
    )  # fmt: skip


class SigningActionForm(forms.Form):
    ENABLE, DISABLE, REMOVE = "enable", "disable", "remove"
    action = forms.ChoiceField(choices=[(ENABLE, ENABLE), (DISABLE, DISABLE), (REMOVE, REMOVE)])
