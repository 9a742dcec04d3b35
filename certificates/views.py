"""The organizer's certificate pages: who has a number, numbering the complete participants, revoking and
re-issuing with a reason, and the institution's numbering."""

import os

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import TemplateView

from evaluations.selectors.completion import complete_enrollments
from retreat.access import ProgramMixin
from retreat.documents import DocumentError
from retreat.downloads import attachment
from retreat.forms import add_service_errors
from retreat.params import whole_numbers
from retreat.services import document_job_request, export_record

from . import documents, exports, selectors, services
from .forms import DesignForm, NumberingForm, ReasonForm
from .models import Certificate
from .numbering import number_format
from .signing import password_variable, seal_password


class CertificatesMixin(ProgramMixin):
    tab = "certificates"


class CertificatesHomeView(CertificatesMixin, TemplateView):
    access = "certificates.view_certificates"
    template_name = "certificates/home.html"

    def get_context_data(self, **kwargs):
        rows = selectors.certificates_for_program(self.program)
        complete = {e.pk for e in complete_enrollments(self.program)}
        waiting = [e for e in rows if e.pk in complete and e.issued is None]
        numbering = selectors.settings_for(self.program.organizer)
        user = self.request.user
        return super().get_context_data(
            rows=rows, complete=complete, waiting=waiting, numbering=numbering,
            withdrawn=selectors.certificates_of_the_withdrawn(self.program),
            example=number_format(numbering.number_pattern, seq=1, year=self.program.end_date.year,
                                  month=self.program.end_date.month),
            can_issue=user.has_perm("certificates.issue_certificates", self.program),
            can_number=user.has_perm("certificates.change_numbering", self.program),
            signing=numbering.signing_enabled, password_needed=numbering.signing_enabled and not os.environ.get(
                password_variable(self.program.organizer)),
            show_personal_data=user.has_perm("retreat.view_personal_data", self.program),
            reason_form=ReasonForm(), **kwargs,
        )  # fmt: skip


def _chosen(program, request) -> list[int] | None:
    """The enrollments ticked in the list (the program's own only), or None when none is ticked."""
    ticked = set(whole_numbers(request.POST.getlist("enrollment")))
    return sorted(program.enrollments.filter(pk__in=ticked).values_list("pk", flat=True)) if ticked else None


class IssueView(CertificatesMixin, View):
    """Issue the certificates in the background (a ZIP, or one PDF for printing); a signing password typed
    here travels with the job sealed, and leaves it once the files are made."""

    access = "certificates.issue_certificates"
    http_method_names = ["post"]
    kinds = (documents.CERTIFICATES, documents.CERTIFICATES_PRINT)

    @method_decorator(sensitive_post_parameters("password"))
    def post(self, request, *args, **kwargs):
        kind = request.POST.get("kind")
        if kind not in self.kinds:
            messages.error(request, _("Choose what to issue: the ZIP or one PDF for printing."))
            return redirect("certificates:home", program_pk=self.program.pk)
        password = request.POST.get("password", "")
        params = {documents.SIGNING: seal_password(password)} if password else {}
        chosen = _chosen(self.program, request)
        if chosen is not None:
            params[documents.CHOSEN] = chosen
        job = document_job_request(program=self.program, kind=kind, user=request.user, params=params)
        return redirect("retreat:document_job", job_pk=job.pk)


class NumberView(CertificatesMixin, View):
    """Number every complete participant who has no certificate yet (or those ticked in the list)."""

    access = "certificates.issue_certificates"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        chosen = _chosen(self.program, request)
        try:
            created = services.certificates_number(program=self.program, user=request.user, enrollments=chosen)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("certificates:home", program_pk=self.program.pk)
        if created:
            text = ngettext("%(count)d certificate numbered: %(first)s … %(last)s.",
                            "%(count)d certificates numbered: %(first)s … %(last)s.", len(created))  # fmt: skip
            messages.success(request, text % {"count": len(created), "first": created[0].number,
                                              "last": created[-1].number})  # fmt: skip
        else:
            messages.info(request, _("Every complete participant already has a certificate number."))
        return redirect("certificates:home", program_pk=self.program.pk)


class CertificateActionView(CertificatesMixin, View):
    """Revoke a certificate, or re-issue it after a correction; both with a written reason."""

    access = "certificates.issue_certificates"
    http_method_names = ["post"]
    action = ""

    def post(self, request, *args, **kwargs):
        certificate = get_object_or_404(Certificate, enrollment__program=self.program, pk=self.kwargs["certificate_pk"])
        form = ReasonForm(request.POST)
        reason = form.data.get("reason", "")
        act = services.certificate_revoke if self.action == "revoke" else services.certificate_reissue
        try:
            certificate = act(certificate=certificate, reason=reason, user=request.user)
        except ValidationError as error:
            messages.error(request, f"{certificate.number}: {' '.join(error.messages)}")
        else:
            done = _("revoked") if self.action == "revoke" else _("re-issued as %(number)s") % {
                "number": certificate.number_shown}  # fmt: skip
            messages.success(request, f"{certificate.number}: {done}.")
        return redirect("certificates:home", program_pk=self.program.pk)


class NumberingView(CertificatesMixin, TemplateView):
    """The organizing institution's numbering: its pattern and whether the sequence runs per year or per
    program."""

    access = "certificates.change_numbering"
    template_name = "certificates/numbering.html"

    def get_context_data(self, **kwargs):
        numbering = selectors.settings_for(self.program.organizer)
        kwargs.setdefault("form", NumberingForm(initial={"number_pattern": numbering.number_pattern,
                                                         "scope": numbering.scope}))  # fmt: skip
        return super().get_context_data(institution=self.program.organizer, **kwargs)

    def post(self, request, *args, **kwargs):
        form = NumberingForm(request.POST)
        if form.is_valid():
            services.numbering_update(institution=self.program.organizer, user=request.user, **form.cleaned_data)
            messages.success(request, _("Numbering saved."))
            return redirect("certificates:home", program_pk=self.program.pk)
        return self.render_to_response(self.get_context_data(form=form))


class DesignView(CertificatesMixin, TemplateView):
    """What the program's certificates say beyond the participant: texts, images, signatories, signing."""

    access = "certificates.issue_certificates"
    template_name = "certificates/design.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", DesignForm(instance=documents.design_for(self.program)))
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = DesignForm(request.POST, request.FILES, instance=documents.design_for(self.program))
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                services.certificate_design_update(program=self.program, data=data, user=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Certificate design saved."))
                return redirect("certificates:home", program_pk=self.program.pk)
        return self.render_to_response(self.get_context_data(form=form))


class PreviewView(CertificatesMixin, View):
    """The certificate as it would be printed, for one real participant, before anything is issued."""

    access = "certificates.issue_certificates"

    def get(self, request, *args, **kwargs):
        try:
            pdf = documents.preview_pdf(self.program)
        except DocumentError as error:
            messages.error(request, str(error))
            return redirect("certificates:home", program_pk=self.program.pk)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="pratinjau-sertifikat.pdf"'
        return response


class CertificateFileView(CertificatesMixin, View):
    """One participant's certificate file, for the organizer."""

    access = "certificates.issue_certificates"

    def get(self, request, *args, **kwargs):
        certificate = get_object_or_404(Certificate, enrollment__program=self.program, pk=self.kwargs["certificate_pk"])
        if certificate.file_revision != certificate.revision:
            raise Http404  # the file shows an older revision: it is made again when certificates are issued
        response = documents.file_response(certificate)
        export_record(program=self.program, user=request.user, what=_("Certificate %(number)s") % {
            "number": certificate.number_shown}, file_format="PDF", rows=1)  # fmt: skip
        return response


class SiasnExportView(CertificatesMixin, View):
    """The JP of every certified participant for the SIASN upload (NIPs: managers only; recorded)."""

    access = "certificates.issue_certificates"

    def get(self, request, *args, **kwargs):
        data, rows = exports.siasn_xlsx(self.program)
        export_record(program=self.program, user=request.user, what=_("JP for SIASN"), file_format="XLSX", rows=rows)
        return attachment(data, f"siasn-jp-{slugify(self.program.name)[:60]}.xlsx")
