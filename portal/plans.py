"""The participant's action plans (rencana aksi) from the personal link, on a phone: write plans, change
them while they are drafts or a change was asked, send them for approval, and after the retreat report
progress on approved plans at each follow-up with evidence. Plain forms, no script needed. The link stays
valid after the retreat; a plan of another participant is a 404."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from evaluations.enums import OPEN, PlanStatus
from evaluations.forms_plans import ActionPlanForm, ProgressReportForm
from evaluations.selectors import plans as plan_selectors
from evaluations.selectors.completion import settings_for
from evaluations.services import plans as plan_services
from evaluations.uploads import file_response
from retreat.access import PublicMixin
from retreat.forms import add_service_errors

from .views import _enrollment_or_404


def _page(request, template, context, status=200):
    response = TemplateResponse(request, template, context, status=status)
    response["Referrer-Policy"] = "no-referrer"  # the token is in the URL
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response


def _errors(exc: ValidationError) -> dict:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


class PlansMixin(PublicMixin):
    def _load(self, token, plan_pk=None):
        self.enrollment = _enrollment_or_404(token)
        self.program = self.enrollment.program
        self.today = timezone.localdate(timezone=self.program.tzinfo)
        self.days = settings_for(self.program).follow_up_days
        self.plan = None
        if plan_pk is not None:
            self.plan = plan_selectors.plan_for_enrollment(self.enrollment, plan_pk)
            if self.plan is None:
                raise Http404

    def context(self, **kwargs):
        return {"enrollment": self.enrollment, "program": self.program, "participant": self.enrollment.participant,
                **kwargs}  # fmt: skip


@method_decorator(csrf_exempt, name="dispatch")  # no session cookie here: the link's token is the credential
class PlanListView(PlansMixin, View):
    """The participant's plans, each with its status and follow-ups, and a form to add one."""

    template_name = "portal/plan_list.html"

    def get(self, request, token):
        self._load(token)
        return self._list(request, ActionPlanForm())

    def post(self, request, token):
        self._load(token)
        form = ActionPlanForm(request.POST)
        if form.is_valid():
            try:
                plan_services.plan_create(enrollment=self.enrollment, data=form.cleaned_data,
                                          submit=request.POST.get("action") == "submit")  # fmt: skip
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("portal:plans", token=token)
        return self._list(request, form, status=400)

    def _list(self, request, form, status=200):
        plans = plan_selectors.plans_for_enrollment(self.enrollment)
        for plan in plans:
            if plan.status == PlanStatus.APPROVED:
                plan.follow_ups = plan_selectors.plan_follow_ups(plan, self.days, self.today)
        return _page(request, self.template_name, self.context(plans=plans, form=form, open_state=OPEN), status)


@method_decorator(csrf_exempt, name="dispatch")  # no session cookie here: the link's token is the credential
class PlanEditView(PlansMixin, View):
    """One plan: changed while a draft or sent back, sent for approval; read-only once sent."""

    template_name = "portal/plan_edit.html"

    def get(self, request, token, plan_pk):
        self._load(token, plan_pk)
        return self._edit(request, ActionPlanForm(instance=self.plan))

    def post(self, request, token, plan_pk):
        self._load(token, plan_pk)
        form = ActionPlanForm(request.POST, instance=self.plan)
        submit = request.POST.get("action") == "submit"
        error = ""
        try:
            if form.is_valid():
                plan_services.plan_update(plan=self.plan, data=form.cleaned_data, submit=submit)
                return redirect("portal:plans", token=token)
            plan_services.plan_check_editable(plan=self.plan)  # a locked plan: say why, not what to correct
        except ValidationError as exc:
            self.plan.refresh_from_db()  # as stored (the form wrote its input on it); its status may have changed
            if plan_selectors.plan_editable(self.plan):
                add_service_errors(form, exc)
            else:  # the form is not shown again: the service's reason is
                error = " ".join(exc.messages)
        return self._edit(request, form, status=400, error=error)

    def _edit(self, request, form, status=200, error=""):
        editable = plan_selectors.plan_editable(self.plan)
        context = self.context(plan=self.plan, form=form, editable=editable, error=error)
        return _page(request, self.template_name, context, status)


@method_decorator(csrf_exempt, name="dispatch")  # no session cookie here: the link's token is the credential
class ReportView(PlansMixin, View):
    """The report on one approved plan at one follow-up (30, 60, 90 days after the retreat …): progress in
    percent, what was done, evidence. Open from the follow-up's day until the next one is due."""

    template_name = "portal/plan_report.html"

    def _load_report(self, token, plan_pk, day):
        self._load(token, plan_pk)
        follow_ups = (
            plan_selectors.plan_follow_ups(self.plan, self.days, self.today)
            if self.plan.status == PlanStatus.APPROVED
            else plan_selectors.follow_ups(self.program, self.days, self.today)
        )
        self.follow_up = next((f for f in follow_ups if f.day == day), None)
        if self.follow_up is None:
            raise Http404

    def get(self, request, token, plan_pk, day):
        self._load_report(token, plan_pk, day)
        report = self.follow_up.report
        initial = {"percent": report.percent, "text": report.text} if report else {}
        return self._show(request, ProgressReportForm(initial=initial))

    def post(self, request, token, plan_pk, day):
        self._load_report(token, plan_pk, day)
        form = ProgressReportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                plan_services.report_save(
                    plan=self.plan, day=day, percent=form.cleaned_data["percent"], text=form.cleaned_data["text"],
                    evidence=form.cleaned_data["evidence"] or None,
                    remove_evidence=form.cleaned_data["remove_evidence"], today=self.today,
                )  # fmt: skip
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("portal:plans", token=token)
        return self._show(request, form, status=400)

    def _show(self, request, form, status=200):
        may_report = self.plan.status == PlanStatus.APPROVED and self.follow_up.state == OPEN
        context = self.context(plan=self.plan, follow_up=self.follow_up, form=form, may_report=may_report)
        return _page(request, self.template_name, context, status)


class EvidenceView(PlansMixin, View):
    """The evidence the participant sent with a report, to the participant (the link is the key)."""

    http_method_names = ["get"]

    def get(self, request, token, plan_pk, day):
        self._load(token, plan_pk)
        report = next((r for r in self.plan.reports.all() if r.day == day), None)
        if report is None or not report.evidence:
            raise Http404
        return file_response(report.evidence, report.evidence_name, fallback="bukti")
