"""The organizing institution's electronic signature for certificates: its PKCS#12 file, the signer read
from it, and signing switched on or off. For the institution's managers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import TemplateView

from . import selectors, services_signing
from .forms_signing import SigningActionForm, SigningFileForm
from .signing import password_variable
from .views import CertificatesMixin


class SigningView(CertificatesMixin, TemplateView):
    access = "certificates.change_numbering"
    template_name = "certificates/signing.html"

    def get_context_data(self, **kwargs):
        institution = self.program.organizer
        kwargs.setdefault("form", SigningFileForm())
        return super().get_context_data(
            institution=institution, signing=selectors.settings_for(institution),
            variable=password_variable(institution), **kwargs,
        )  # fmt: skip

    @method_decorator(sensitive_post_parameters("password"))
    def post(self, request, *args, **kwargs):
        institution = self.program.organizer
        if "file" in request.FILES or "password" in request.POST:
            return self._upload(request, institution)
        action = SigningActionForm(request.POST)
        if not action.is_valid():
            return redirect("certificates:signing", program_pk=self.program.pk)
        chosen = action.cleaned_data["action"]
        try:
            if chosen == SigningActionForm.REMOVE:
                services_signing.signing_file_remove(institution=institution, user=request.user)
                messages.success(request, _("The signing file was removed; certificates are no longer signed."))
            else:
                enabled = chosen == SigningActionForm.ENABLE
                services_signing.signing_switch(institution=institution, enabled=enabled, user=request.user)
                messages.success(request, _("Certificates will be signed electronically.") if enabled else _(
                    "Certificates will not be signed electronically."))  # fmt: skip
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("certificates:signing", program_pk=self.program.pk)

    def _upload(self, request, institution):
        form = SigningFileForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                found = services_signing.signing_file_save(
                    institution=institution, upload=form.cleaned_data["file"],
                    password=form.cleaned_data["password"], user=request.user,
                )  # fmt: skip
            except ValidationError as error:
                form.add_error("file", error.messages)
            else:
                messages.success(request, _("Signing file saved: %(signer)s.") % {"signer": found.signing_subject})
                return redirect("certificates:signing", program_pk=self.program.pk)
        return self.render_to_response(self.get_context_data(form=form))
