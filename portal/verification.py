"""The public verification of a certificate: the page its QR code opens (``v/<code>/``), and a form that
finds a certificate by its number and the holder's name, a few tries a minute per address. The page shows
whether it is valid and what it certifies, the NIP masked, and nothing else."""

from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from certificates.forms import LookupForm
from certificates.selectors import certificate_for_code, certificate_for_number
from retreat.access import PublicMixin
from retreat.clients import client_address
from retreat.identity import mask_number
from retreat.throttle import within_limit

LOOKUPS_PER_MINUTE = 10


class VerifyView(PublicMixin, TemplateView):
    template_name = "portal/verify.html"

    def get_context_data(self, **kwargs):
        certificate = certificate_for_code(self.kwargs["code"])
        if certificate is None:
            raise Http404
        return super().get_context_data(certificate=certificate, nip=mask_number(certificate.nip), **kwargs)


class LookupView(PublicMixin, TemplateView):
    template_name = "portal/verify_lookup.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", LookupForm())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = LookupForm(request.POST)
        if not within_limit(f"certificate-lookup:{client_address(request)}", LOOKUPS_PER_MINUTE):
            form.is_valid()
            form.add_error(None, _("Too many searches from this address: wait a minute, then try again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if form.is_valid():
            certificate = certificate_for_number(form.cleaned_data["number"], form.cleaned_data["name"])
            if certificate is not None:
                return redirect("portal:verify", code=certificate.code)
            form.add_error(None, _("No certificate with this number and name."))
        return self.render_to_response(self.get_context_data(form=form))
