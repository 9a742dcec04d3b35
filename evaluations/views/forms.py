"""The organizer's evaluation pages: the program's forms with how many have responded, starting from the
built-in questionnaires, and who has not responded to a form (never who answered what)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from retreat.access import ProgramMixin

from ..enums import PARTICIPANT_KINDS, QuestionnaireKind
from ..models import Form
from ..selectors import forms as selectors
from ..services import forms as services


class EvaluationsMixin(ProgramMixin):
    tab = "evaluations"


class EvaluationsHomeView(EvaluationsMixin, TemplateView):
    access = "evaluations.view_evaluations"
    template_name = "evaluations/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            questionnaires=(questionnaires := selectors.program_questionnaires(self.program)),
            builtin_missing=len(questionnaires) < len(QuestionnaireKind),
            forms=selectors.program_forms(self.program),
            can_manage=self.request.user.has_perm("evaluations.manage_evaluations", self.program),
            **kwargs,
        )


class EvaluationsSetupView(EvaluationsMixin, View):
    """Start from the built-in questionnaires (the ones the program has not got yet)."""

    access = "evaluations.manage_evaluations"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        created = services.evaluations_setup(program=self.program)
        if created:
            messages.success(request, _("Added: %(titles)s.") % {"titles": ", ".join(q.title for q in created)})
        else:
            messages.info(request, _("The program already has every built-in questionnaire."))
        return redirect("evaluations:home", program_pk=self.program.pk)


class NotRespondedView(EvaluationsMixin, TemplateView):
    """Who has not responded to one form yet, to remind them. Never who answered what."""

    access = "evaluations.manage_evaluations"
    template_name = "evaluations/not_responded.html"

    def get_context_data(self, **kwargs):
        form = get_object_or_404(
            Form.objects.select_related("questionnaire", "session"),
            program=self.program,
            pk=self.kwargs["form_pk"],
            questionnaire__kind__in=PARTICIPANT_KINDS,
        )
        return super().get_context_data(form=form, people=selectors.not_responded(form), **kwargs)
