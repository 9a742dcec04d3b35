"""The facilitators' assessment: a facilitator scores the participants of the groups of the sessions they
facilitate (a manager anyone in the program), one assessment per participant, while its form is open."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from ..enums import OPEN
from ..forms_answers import answer_shown, answers_from_post, answers_to_show
from ..selectors import assessment as selectors
from ..selectors.forms import answers_of, sections_of
from ..services import assessment as services
from .forms import EvaluationsMixin


class AssessmentMixin(EvaluationsMixin):
    access = "evaluations.assess_participants"


class AssessmentListView(AssessmentMixin, TemplateView):
    template_name = "evaluations/assessment.html"

    def get_context_data(self, **kwargs):
        form = selectors.assessment_form(self.program)
        return super().get_context_data(
            assessment_form=form,
            state=form.state() if form else None,
            rows=selectors.assessments_for_assessor(self.program, self.request.user, form),
            **kwargs,
        )


class AssessView(AssessmentMixin, TemplateView):
    """One participant's assessment; a participant the user does not assess is a 404."""

    template_name = "evaluations/assessment_form.html"

    def load(self):
        self.subject = get_object_or_404(
            selectors.participants_for_assessor(self.program, self.request.user), pk=self.kwargs["subject_pk"]
        )
        self.form = selectors.assessment_form(self.program)
        self.response = selectors.assessment_of(self.form, self.subject) if self.form else None

    def get(self, request, *args, **kwargs):
        self.load()
        return self.render_page(answers=answers_of(self.response))

    def post(self, request, *args, **kwargs):
        self.load()
        if self.form is None:
            messages.error(request, _("The program has no assessment form yet."))
            return redirect("evaluations:assessment", program_pk=self.program.pk)
        answers = answers_from_post(request.POST)
        try:
            services.assessment_submit(form=self.form, subject=self.subject, assessor=request.user, answers=answers)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            return self.render_page(answers=answers_to_show(answers), errors=errors)
        messages.success(request, _("Assessment saved: %(name)s.") % {"name": self.subject.participant.display_name})
        return redirect("evaluations:assessment", program_pk=self.program.pk)

    def render_page(self, *, answers, errors=None):
        sections = sections_of(self.form.questionnaire) if self.form else []
        for section in sections:
            for question in section.question_list:
                question.answer = answer_shown(question, answers.get(question.pk))
                question.error = " ".join((errors or {}).get(f"q{question.pk}", []))
        state = self.form.state(timezone.now()) if self.form else None
        return self.render_to_response(self.get_context_data(
            subject=self.subject, assessment_form=self.form, assessed=selectors.Assessed(self.subject, self.response),
            state=state,
            is_open=state == OPEN, sections=sections, errors=(errors or {}).get("__all__", []),
            has_errors=bool(errors),
        ))  # fmt: skip
