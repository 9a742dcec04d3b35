"""Completion (kelulusan): every participant complete or not with the reasons, one participant's decision
and its history, and the program's rule."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from participants.selectors import enrollments_for_program
from retreat.downloads import attachment
from retreat.forms import add_service_errors

from ..forms_completion import CompletionSettingsForm, OverrideForm
from ..selectors import completion as selectors
from ..services import completion as services
from .forms import EvaluationsMixin


class CompletionView(EvaluationsMixin, TemplateView):
    access = "evaluations.view_completion"
    template_name = "evaluations/completion.html"

    def get_context_data(self, **kwargs):
        completion = selectors.completion_for_program(self.program)
        shown = self.request.GET.get("status", "")
        rows = completion.rows
        if shown in ("complete", "incomplete"):
            rows = [row for row in rows if row.complete == (shown == "complete")]
        return super().get_context_data(
            completion=completion, rows=rows, shown=shown,
            can_manage=self.request.user.has_perm("evaluations.manage_evaluations", self.program), **kwargs,
        )  # fmt: skip


class CompletionDetailView(EvaluationsMixin, TemplateView):
    """One participant: the rule's verdict with its reasons, the organizer's decision and its history."""

    access = "evaluations.view_completion"
    template_name = "evaluations/completion_detail.html"

    def get_enrollment(self):
        return get_object_or_404(enrollments_for_program(self.program), pk=self.kwargs["enrollment_pk"])

    def get_context_data(self, **kwargs):
        enrollment = self.get_enrollment()
        can_manage = self.request.user.has_perm("evaluations.manage_evaluations", self.program)
        if can_manage:
            kwargs.setdefault("form", OverrideForm())
        return super().get_context_data(
            row=selectors.completion_of(enrollment), history=selectors.override_history(enrollment),
            can_manage=can_manage, **kwargs,
        )  # fmt: skip


class CompletionOverrideView(CompletionDetailView):
    """An organizer decides one participant complete or not, or goes back to the rule, with a reason."""

    access = "evaluations.manage_evaluations"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        enrollment = self.get_enrollment()
        form = OverrideForm(request.POST)
        if form.is_valid():
            decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
            try:
                if decision == "rule":
                    services.completion_override_remove(enrollment=enrollment, reason=reason, user=request.user)
                else:
                    services.completion_override_set(enrollment=enrollment, complete=decision == "complete",
                                                     reason=reason, user=request.user)  # fmt: skip
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Decision saved for %(name)s.") % {"name": enrollment.participant})
                return redirect(
                    "evaluations:completion_detail", program_pk=self.program.pk, enrollment_pk=enrollment.pk
                )
        return self.render_to_response(self.get_context_data(form=form))


class CompletionExportView(EvaluationsMixin, View):
    """Every participant complete or not, as a spreadsheet (recorded in the export audit)."""

    access = "evaluations.export_results"

    def get(self, request, *args, **kwargs):
        may_see = request.user.has_perm("retreat.view_personal_data", self.program)
        data, filename = services.completion_export(program=self.program, user=request.user, show_personal_data=may_see)
        return attachment(data, filename)


class CompletionSettingsView(EvaluationsMixin, TemplateView):
    access = "evaluations.manage_evaluations"
    template_name = "evaluations/completion_settings.html"

    def initial(self):
        settings = selectors.settings_for(self.program)
        return {
            "min_attendance_pct": self.program.min_attendance_pct,
            "attendance_basis": settings.attendance_basis,
            "forms_required": settings.forms_required,
            "min_assessment_score": settings.min_assessment_score,
            "follow_up_days": ", ".join(str(day) for day in settings.follow_up_days),
        }

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", CompletionSettingsForm(initial=self.initial()))
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = CompletionSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.evaluation_settings_update(program=self.program, data=form.cleaned_data, user=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Completion rule saved."))
                return redirect("evaluations:completion", program_pk=self.program.pk)
        return self.render_to_response(self.get_context_data(form=form))
