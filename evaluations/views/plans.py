"""The program's action plans and monitoring: each participant's plans and where they stand, a plan with
its reports (approved or sent back by organizers, facilitators and leaders), the evidence sent, the
monitoring overview per unit and the leaders' visits."""

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from ..enums import PlanProgress, PlanStatus
from ..forms_plans import ReviewForm, VisitForm
from ..models import VisitPhoto
from ..selectors import plans as selectors
from ..selectors.completion import settings_for
from ..services import plans as services
from ..uploads import file_response
from .forms import EvaluationsMixin


def _today(program):
    return timezone.localdate(timezone=program.tzinfo)


def _days(program):
    return settings_for(program).follow_up_days


def _plan_or_404(program, plan_pk):
    plan = selectors.plan_for_program(program, plan_pk)
    if plan is None:
        raise Http404
    return plan


def _may_change(user, program, visit) -> bool:
    """Managers change any visit; a leader only the visits they recorded."""
    return user.has_perm("evaluations.manage_evaluations", program) or visit.created_by_id == user.pk


class PlanListView(EvaluationsMixin, TemplateView):
    """Each participant's plans with their status and, once approved, where they stand."""

    access = "evaluations.view_evaluations"
    template_name = "evaluations/plans.html"

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status", "")
        if status not in PlanStatus.values:
            status = ""
        enrollments = selectors.plans_by_participant(
            self.program, status=status, days=_days(self.program), today=_today(self.program)
        )
        return super().get_context_data(
            enrollments=enrollments, status=status, statuses=PlanStatus.choices,
            can_review=self.request.user.has_perm("evaluations.review_plans", self.program), **kwargs,
        )  # fmt: skip


class PlanDetailView(EvaluationsMixin, TemplateView):
    access = "evaluations.view_evaluations"
    template_name = "evaluations/plans_detail.html"

    def get_context_data(self, **kwargs):
        plan = _plan_or_404(self.program, self.kwargs["plan_pk"])
        days, today = _days(self.program), _today(self.program)
        progress = ""
        if plan.status == PlanStatus.APPROVED:
            schedule = selectors.follow_ups(self.program, days, today)
            progress = selectors.plan_progress(plan, schedule=schedule, today=today, tzinfo=self.program.tzinfo)
        return super().get_context_data(
            plan=plan,
            follow_ups=selectors.plan_follow_ups(plan, days, today),
            progress=progress,
            can_review=self.request.user.has_perm("evaluations.review_plans", self.program),
            review_form=kwargs.pop("review_form", None) or ReviewForm(),
            **kwargs,
        )


class PlanReviewView(EvaluationsMixin, View):
    """Approve a plan, or send it back with a note saying what should change."""

    access = "evaluations.review_plans"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        plan = _plan_or_404(self.program, kwargs["plan_pk"])
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.plan_review(plan=plan, user=request.user, approve=form.cleaned_data["decision"] == "approve",
                                     note=form.cleaned_data["note"])  # fmt: skip
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                if plan.status == PlanStatus.APPROVED:
                    messages.success(request, _("Plan approved."))
                else:
                    messages.success(request, _("The plan was sent back to the participant with your note."))
                return redirect("evaluations:plans", program_pk=self.program.pk)
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("evaluations:plan_detail", program_pk=self.program.pk, plan_pk=plan.pk)


class PlanEvidenceView(EvaluationsMixin, View):
    """The evidence of one report, to members of the program only (never a public media address)."""

    access = "evaluations.view_evaluations"
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        plan = _plan_or_404(self.program, kwargs["plan_pk"])
        report = next((r for r in plan.reports.all() if r.day == kwargs["day"]), None)
        if report is None or not report.evidence:
            raise Http404
        return file_response(report.evidence, report.evidence_name, fallback="bukti")


class MonitoringView(EvaluationsMixin, TemplateView):
    """Per unit and participant: plans on track, late and done, and the visits made."""

    access = "evaluations.view_evaluations"
    template_name = "evaluations/monitoring.html"

    def get_context_data(self, **kwargs):
        overview = selectors.monitoring_overview(self.program, days=_days(self.program), today=_today(self.program))
        return super().get_context_data(
            **overview, progress=PlanProgress,
            can_record=self.request.user.has_perm("evaluations.record_visits", self.program), **kwargs,
        )  # fmt: skip


class VisitEditView(EvaluationsMixin, TemplateView):
    """Record a visit (``visit_pk`` absent) or change one: managers any, a leader only the visits they
    recorded (another's is a 404 here, still readable on its page). The unit is chosen first (``?unit=``):
    the form then lists that unit's participants and a finding for each of their plans."""

    access = "evaluations.record_visits"
    template_name = "evaluations/visit_form.html"

    def _load(self):
        self.visit = None
        if "visit_pk" in self.kwargs:
            self.visit = selectors.visit_for_program(self.program, self.kwargs["visit_pk"])
            if self.visit is None or not _may_change(self.request.user, self.program, self.visit):
                raise Http404
        units = selectors.visit_units(self.program)
        unit = self.request.GET.get("unit") or self.request.POST.get("unit") or (self.visit.unit if self.visit else "")
        self.units, self.unit = units, (unit if unit in units or (self.visit and unit == self.visit.unit) else "")
        self.enrollments = selectors.unit_enrollments(self.program, self.unit) if self.unit else []

    def _form(self, data=None, files=None):
        return VisitForm(data, files, instance=self.visit, enrollments=self.enrollments)

    def get(self, request, *args, **kwargs):
        self._load()
        return self.render_to_response(self.get_context_data(form=self._form() if self.unit else None))

    def post(self, request, *args, **kwargs):
        self._load()
        if not self.unit:
            messages.error(request, _("Choose the unit visited."))
            return self.render_to_response(self.get_context_data(form=None))
        form = self._form(request.POST, request.FILES)
        if form.is_valid():
            data = {**form.cleaned_data, "unit": self.unit}
            try:
                visit = services.visit_save(
                    program=self.program, user=request.user, visit=self.visit, data=data, findings=form.findings(),
                    photos=form.cleaned_data["photos"], remove_photos=request.POST.getlist("remove_photo"),
                )  # fmt: skip
            except ValidationError as exc:
                for key, errors in (exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}).items():
                    for error in errors:
                        form.add_error(None if key in (None, "__all__") or key not in form.fields else key, error)
            else:
                messages.success(request, _("Visit saved."))
                return redirect("evaluations:visit_detail", program_pk=self.program.pk, visit_pk=visit.pk)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        form = kwargs.get("form")
        chosen = {str(pk) for pk in (form["participants"].value() or [])} if form else set()
        return super().get_context_data(visit=self.visit, units=self.units, unit=self.unit,
                                        enrollments=self.enrollments, chosen=chosen, **kwargs)  # fmt: skip


class VisitDetailView(EvaluationsMixin, TemplateView):
    access = "evaluations.view_evaluations"
    template_name = "evaluations/visit_detail.html"

    def get_context_data(self, **kwargs):
        visit = selectors.visit_for_program(self.program, self.kwargs["visit_pk"])
        if visit is None:
            raise Http404
        user = self.request.user
        return super().get_context_data(
            visit=visit, can_change=user.has_perm("evaluations.record_visits", self.program)
            and _may_change(user, self.program, visit), **kwargs,
        )  # fmt: skip


class VisitPhotoView(EvaluationsMixin, View):
    access = "evaluations.view_evaluations"
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        photo = VisitPhoto.objects.filter(
            visit__program=self.program, visit__pk=kwargs["visit_pk"], pk=kwargs["photo_pk"]
        ).first()
        if photo is None or not photo.image:
            raise Http404
        return file_response(photo.image, PurePath(photo.image.name).name, fallback="foto")
