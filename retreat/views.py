from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from django.views.i18n import set_language as django_set_language

from . import selectors, services
from .access import PUBLIC, AuthenticatedMixin, DocumentJobMixin, ProgramMixin, PublicMixin, declare_access
from .documents import DocumentError, is_registered, params_for
from .forms import OwnPasswordChangeForm, ProgramForm
from .frame import panels_for, program_figures

# --- Accounts -------------------------------------------------------------------------------------


class LoginView(PublicMixin, auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(PublicMixin, auth_views.LogoutView):
    pass


class PasswordChangeView(AuthenticatedMixin, auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")
    form_class = OwnPasswordChangeForm
    temporary_password_ok = True

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_chosen(user=form.user)
        return response


class PasswordChangeDoneView(AuthenticatedMixin, auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


class PasswordResetView(PublicMixin, auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"


class PasswordResetDoneView(PublicMixin, auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(PublicMixin, auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_chosen(user=form.user)
        return response


class PasswordResetCompleteView(PublicMixin, auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


@declare_access(PUBLIC)
def healthz(request):
    """For the container health check: the web process answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# --- Dashboard and programs -----------------------------------------------------------------------


class DashboardView(AuthenticatedMixin, TemplateView):
    template_name = "retreat/dashboard.html"

    def get(self, request, *args, **kwargs):
        if request.user.is_superuser and not request.user.memberships.exists():
            return redirect("retreat:institution_create")  # the site's superuser sets institutions up
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            programs=selectors.program_list_for_user(user, figures=program_figures()),
            figures=program_figures(),
            can_add_program=user.has_perm("retreat.add_program"),
            **kwargs,
        )


class ProgramCreateView(AuthenticatedMixin, FormView):
    access = "retreat.add_program"
    template_name = "retreat/program_form.html"
    form_class = ProgramForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organizers": selectors.institutions_managed_by(self.request.user)}

    def form_valid(self, form):
        program = services.program_create(**form.cleaned_data)
        messages.success(self.request, _("Program “%(name)s” created.") % {"name": program.name})
        return redirect("retreat:program_detail", program_pk=program.pk)


class ProgramUpdateView(ProgramMixin, FormView):
    access = "retreat.change_program"
    template_name = "retreat/program_form.html"
    form_class = ProgramForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.program,
            "organizers": selectors.institutions_managed_by(self.request.user),
            "can_change_partner": self.request.user.has_perm("retreat.change_program_partner", self.program),
        }

    def form_valid(self, form):
        try:
            services.program_update(program=self.program, user=self.request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Program saved."))
        return redirect("retreat:program_detail", program_pk=self.program.pk)


class ProgramDetailView(ProgramMixin, TemplateView):
    """The program's overview: its facts, then the panels the apps register (see ``retreat/frame.py``)."""

    access = "retreat.view_program"
    template_name = "retreat/program_detail.html"
    tab = "program"

    def get_context_data(self, **kwargs):
        user, program = self.request.user, self.program
        return super().get_context_data(
            cohorts=list(program.cohorts.all()),
            panels=panels_for(self.request, program),
            can_change=(can_change := user.has_perm("retreat.change_program", program)),
            checklist=selectors.program_checklist(program) if can_change else [],
            **kwargs,
        )


# --- Document jobs --------------------------------------------------------------------------------


class DocumentRequestView(ProgramMixin, View):
    access = "retreat.export_program_documents"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        kind = self.kwargs["kind"]
        if not is_registered(kind):
            raise Http404
        # A parameter named with a leading underscore is set only by its app's own views, never from a request.
        params = {key: request.POST.get(key, "") for key in params_for(kind) if not key.startswith("_")}
        job = services.document_job_request(program=self.program, kind=kind, user=request.user, params=params)
        if request.htmx:
            return _job_partial(request, job)
        return redirect("retreat:document_job", job_pk=job.pk)


def _job_partial(request, job):
    return TemplateResponse(request, "retreat/partials/document_job.html", {"job": job, "program": job.program})


class DocumentJobView(DocumentJobMixin, TemplateView):
    """The job's progress: a whole page, or (for htmx polling) just the progress card."""

    template_name = "retreat/document_job.html"

    def get(self, request, *args, **kwargs):
        if request.htmx:
            return _job_partial(request, self.job)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(job=self.job, program=self.job.program, **kwargs)


class DocumentDownloadView(DocumentJobMixin, View):
    def get(self, request, *args, **kwargs):
        job = self.job
        if not job.file:
            raise Http404
        filename = job.file.name.rsplit("/", 1)[-1]
        services.export_record(program=job.program, user=request.user, what=job.kind_label,
                               file_format=filename.rsplit(".", 1)[-1].upper(), rows=job.rows)  # fmt: skip
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=filename)


class DocumentRetryView(DocumentJobMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            job = services.document_job_retry(job=self.job)
        except DocumentError as exc:
            messages.error(request, str(exc))
            job = self.job
        if request.htmx:
            return _job_partial(request, job)
        return redirect(reverse("retreat:document_job", kwargs={"job_pk": job.pk}))


@declare_access(PUBLIC)
def set_language(request):
    """Switch between Indonesian and English (also on the login page)."""
    return django_set_language(request)


@declare_access(PUBLIC)
def robots_txt(request):
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")
