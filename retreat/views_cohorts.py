"""A program's cohorts (angkatan): the list every member of the program sees, and its managers' forms to add,
rename and remove one (``retreat.services.cohort_*``).

Each form posts with htmx from the cohorts page and gets the page's cohort section back, with the outcome or
the refusal in it; the same URLs also work as plain pages and plain POSTs (opened on their own, or without
JavaScript): GET shows the form alone, a POST that succeeds redirects to the cohorts page with a message and
one that is refused shows the form again with the reason.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from . import selectors, services
from .access import ProgramMixin
from .forms import CohortForm, add_service_errors

SECTION_TEMPLATE = "retreat/cohorts_section.html"


class CohortsMixin(ProgramMixin, TemplateView):
    tab = "program"

    def section_context(self, **kwargs) -> dict:
        return {
            "program": self.program,
            "cohorts": list(selectors.cohorts_for_program(self.program)),
            "can_change": self.request.user.has_perm("retreat.change_cohorts", self.program),
            "add_form": CohortForm(),
            **kwargs,
        }

    def section(self, **kwargs):
        return TemplateResponse(self.request, SECTION_TEMPLATE, self.section_context(**kwargs))

    def done(self, message: str):
        """After a change: the section for htmx, otherwise back to the cohorts page with the message."""
        if self.request.htmx:
            return self.section(notice=message)
        messages.success(self.request, message)
        return redirect("retreat:cohorts", program_pk=self.program.pk)


class CohortListView(CohortsMixin):
    """The program's cohorts with how many participants and sessions use each."""

    access = "retreat.view_cohorts"
    template_name = "retreat/cohorts.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.section_context(), **kwargs)


class CohortCreateView(CohortsMixin):
    access = "retreat.change_cohorts"
    template_name = "retreat/cohorts_form.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=CohortForm()))

    def post(self, request, *args, **kwargs):
        form = CohortForm(request.POST)
        if form.is_valid():
            try:
                cohort = services.cohort_create(program=self.program, name=form.cleaned_data["name"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return self.done(_("Cohort “%(name)s” added.") % {"name": cohort.name})
        if request.htmx:
            return self.section(add_form=form)
        return self.render_to_response(self.get_context_data(form=form))


class CohortMixin(CohortsMixin):
    """A cohort of the program in the URL; one of another program is a 404."""

    access = "retreat.change_cohorts"

    def get_access_object(self):
        program = super().get_access_object()
        self.cohort = get_object_or_404(selectors.cohorts_for_program(program), pk=self.kwargs["cohort_pk"])
        return program

    def get_context_data(self, **kwargs):
        return super().get_context_data(cohort=self.cohort, **kwargs)


class CohortRenameView(CohortMixin):
    template_name = "retreat/cohorts_form.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=CohortForm(initial={"name": self.cohort.name})))

    def post(self, request, *args, **kwargs):
        form = CohortForm(request.POST)
        old_name = self.cohort.name
        if form.is_valid():
            try:
                cohort = services.cohort_rename(cohort=self.cohort, name=form.cleaned_data["name"])
            except ValidationError as exc:
                self.cohort.name = old_name
                add_service_errors(form, exc)
            else:
                return self.done(_("Cohort “%(old)s” renamed to “%(name)s”.") % {"old": old_name, "name": cohort.name})
        if request.htmx:
            return self.section(rename_form=form, renaming=self.cohort.pk)
        return self.render_to_response(self.get_context_data(form=form))


class CohortDeleteView(CohortMixin):
    template_name = "retreat/cohorts_delete.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        try:
            services.cohort_delete(cohort=self.cohort)
        except ValidationError as exc:
            if request.htmx:
                return self.section(refusal=" ".join(exc.messages))
            messages.error(request, " ".join(exc.messages))
            return redirect("retreat:cohorts", program_pk=self.program.pk)
        return self.done(_("Cohort “%(name)s” removed.") % {"name": self.cohort.name})
