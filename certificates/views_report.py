"""The post-retreat report page: the organizer's texts and photos, making a new version through the document
pipeline, and every version made (members read and download them; managers write)."""

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from evaluations.uploads import file_response
from retreat.access import ProgramMixin
from retreat.documents import DocumentError
from retreat.forms import add_service_errors
from retreat.services import document_job_request, export_record

from . import report, services_report
from .forms_report import ReportPhotoCaptionForm, ReportPhotoForm, ReportTextForm


class ReportMixin(ProgramMixin):
    tab = "report"


def _back(program):
    return redirect("certificates:report", program_pk=program.pk)


def _page(request, program, **kwargs) -> dict:
    """What the report page shows; a form given (bound, with its errors) is shown instead of a new one."""
    can_change = request.user.has_perm("certificates.change_report", program)
    if can_change:
        if "text_form" not in kwargs:
            kwargs["text_form"] = ReportTextForm(instance=report.report_text_for(program),
                                                 defaults=report.report_defaults(program))  # fmt: skip
        kwargs.setdefault("photo_form", ReportPhotoForm())
    photos = report.report_photos(program)
    return {
        "program": program,
        "tab": "report",
        "can_change": can_change,
        "photos": photos,
        "max_photos": services_report.MAX_PHOTOS,
        "room": max(0, services_report.MAX_PHOTOS - len(photos)),
        "versions": report.report_versions(program),
        "jobs": report.report_jobs(program) if can_change else [],
        **kwargs,
    }


def _render_page(request, program, **kwargs):
    return TemplateResponse(request, ReportView.template_name, _page(request, program, **kwargs))


class ReportView(ReportMixin, TemplateView):
    access = "certificates.view_report"
    template_name = "certificates/report.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**_page(self.request, self.program), **kwargs)


class ReportTextsView(ReportMixin, View):
    access = "certificates.change_report"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        program = self.program
        form = ReportTextForm(request.POST, instance=report.report_text_for(program),
                              defaults=report.report_defaults(program))  # fmt: skip
        if form.is_valid():
            try:
                services_report.report_texts_save(program=program, user=request.user, data=form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The report's texts are saved."))
                return _back(program)
        return _render_page(request, program, text_form=form)


class ReportPhotoAddView(ReportMixin, View):
    access = "certificates.change_report"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = ReportPhotoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                added = services_report.report_photos_add(program=self.program, user=request.user,
                                                          files=form.cleaned_data["photos"],
                                                          caption=form.cleaned_data["caption"])  # fmt: skip
            except ValidationError as error:
                add_service_errors(form, error, field="photos")
            else:
                messages.success(request, ngettext("%(count)d photo added.", "%(count)d photos added.", len(added))
                                 % {"count": len(added)})  # fmt: skip
                return _back(self.program)
        return _render_page(request, self.program, photo_form=form)


class ReportPhotoMixin(ReportMixin):
    def get_access_object(self):
        program = super().get_access_object()
        self.photo = report.report_photo_for_program(program, self.kwargs["report_photo_pk"])
        if self.photo is None:
            raise Http404
        return program


class ReportPhotoView(ReportPhotoMixin, View):
    """A photo of the report, for those who may read it (the media folder is not served)."""

    access = "certificates.view_report"

    def get(self, request, *args, **kwargs):
        if not self.photo.image:
            raise Http404
        return file_response(self.photo.image, PurePath(self.photo.image.name).name, fallback="foto")


class ReportPhotoUpdateView(ReportPhotoMixin, View):
    access = "certificates.change_report"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = ReportPhotoCaptionForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return _back(self.program)
        caption = form.cleaned_data["caption"] if "caption" in request.POST else None
        try:
            services_report.report_photo_update(photo=self.photo, caption=caption, move=form.cleaned_data["move"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if caption is not None:
                messages.success(request, _("Caption saved."))
        return _back(self.program)


class ReportPhotoDeleteView(ReportPhotoMixin, View):
    access = "certificates.change_report"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        services_report.report_photo_delete(photo=self.photo)
        messages.success(request, _("Photo removed."))
        return _back(self.program)


class ReportMakeView(ReportMixin, View):
    """A new version of the report, made by the document pipeline; the older versions stay."""

    access = "certificates.change_report"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            job = document_job_request(program=self.program, kind=report.PROGRAM_REPORT, user=request.user)
        except DocumentError as error:
            messages.error(request, str(error))
            return _back(self.program)
        if request.htmx:
            return TemplateResponse(
                request, "retreat/partials/document_job.html", {"job": job, "program": self.program}
            )
        return _back(self.program)


class ReportDownloadView(ReportMixin, View):
    """One version of the report; who downloaded it is recorded (it lists NIPs)."""

    access = "certificates.view_report"

    def get(self, request, *args, **kwargs):
        job = report.report_version_for_program(self.program, self.kwargs["version_pk"])
        if job is None:
            raise Http404
        filename = PurePath(job.file.name).name
        export_record(program=self.program, user=request.user, what=job.kind_label, file_format="PDF", rows=job.rows)
        date = job.finished_at or job.created_at
        name = f"{PurePath(filename).stem}-{date:%Y%m%d-%H%M}.pdf"
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=name)
