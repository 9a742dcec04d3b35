"""The organizer's questionnaire editor: a questionnaire's title, introduction and sections, its questions
(added, changed, moved, deleted; an answered question keeps what it asks) and when each of its forms
opens and closes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from retreat.forms import add_service_errors
from retreat.params import whole_number

from ..forms_editor import FormTimesForm, QuestionForm, QuestionnaireForm, SectionForm
from ..models import Form, Question, Questionnaire
from ..selectors import editor as selectors
from ..services import editor as services
from .forms import EvaluationsMixin


class QuestionnaireMixin(EvaluationsMixin):
    access = "evaluations.manage_evaluations"

    def get_questionnaire(self) -> Questionnaire:
        return get_object_or_404(Questionnaire, program=self.program, pk=self.kwargs["questionnaire_pk"])


class QuestionnaireEditView(QuestionnaireMixin, TemplateView):
    """The questionnaire with its sections and questions; each POST is one change, named by ``action``."""

    template_name = "evaluations/questionnaire.html"

    def get(self, request, *args, **kwargs):
        self.questionnaire = self.get_questionnaire()
        return self.render_page()

    def post(self, request, *args, **kwargs):
        self.questionnaire = questionnaire = self.get_questionnaire()
        action = request.POST.get("action")
        forms = {}
        try:
            if action == "questionnaire":
                forms["questionnaire_form"] = form = QuestionnaireForm(request.POST, instance=questionnaire)
                if form.is_valid():
                    services.questionnaire_update(questionnaire=questionnaire, **form.cleaned_data)
                    messages.success(request, _("Saved."))
                    return self.back()
            elif action == "section":
                forms["section_form"] = form = SectionForm(request.POST)
                if form.is_valid():
                    services.section_add(questionnaire=questionnaire, title=form.cleaned_data["title"])
                    messages.success(request, _("Section added."))
                    return self.back()
            elif action == "question":
                forms["question_form"] = form = QuestionForm(request.POST, questionnaire=questionnaire)
                if form.is_valid():
                    services.question_add(questionnaire=questionnaire, **form.question_fields())
                    messages.success(request, _("Question added."))
                    return self.back()
            elif action in ("up", "down"):
                question_id = whole_number(request.POST.get("question"))
                if question_id is None:
                    raise Http404
                question = get_object_or_404(Question, questionnaire=questionnaire, pk=question_id)
                services.question_move(question=question, up=action == "up")
                return self.back()
            else:
                return self.back()
        except ValidationError as exc:
            add_service_errors(form, exc)
        return self.render_page(status=200, **forms)

    def back(self):
        return redirect("evaluations:questionnaire", program_pk=self.program.pk,
                        questionnaire_pk=self.questionnaire.pk)  # fmt: skip

    def render_page(self, status=200, **forms):
        questionnaire = self.questionnaire
        context = self.get_context_data(
            questionnaire=questionnaire,
            sections=selectors.sections_for_editor(questionnaire),
            forms_of=selectors.forms_of(questionnaire),
            questionnaire_form=forms.get("questionnaire_form") or QuestionnaireForm(instance=questionnaire),
            section_form=forms.get("section_form") or SectionForm(),
            question_form=forms.get("question_form") or QuestionForm(questionnaire=questionnaire),
            open_add="question_form" in forms or "section_form" in forms,
        )
        return self.render_to_response(context, status=status)


class QuestionEditView(QuestionnaireMixin, TemplateView):
    """Change or delete one question; one that has answers keeps what it asks and cannot be deleted."""

    template_name = "evaluations/questionnaire_question.html"

    def load(self):
        self.questionnaire = self.get_questionnaire()
        self.question = get_object_or_404(Question, questionnaire=self.questionnaire, pk=self.kwargs["question_pk"])

    def get(self, request, *args, **kwargs):
        self.load()
        return self.render_page(QuestionForm(questionnaire=self.questionnaire, question=self.question))

    def post(self, request, *args, **kwargs):
        self.load()
        if request.POST.get("action") == "delete":
            try:
                services.question_delete(question=self.question)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect(self.request.path)
            messages.success(request, _("Question deleted."))
            return self.back()
        form = QuestionForm(request.POST, questionnaire=self.questionnaire, question=self.question)
        if form.is_valid():
            try:
                services.question_update(question=self.question, **form.question_fields())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Question saved."))
                return self.back()
        return self.render_page(form)

    def back(self):
        return redirect("evaluations:questionnaire", program_pk=self.program.pk,
                        questionnaire_pk=self.questionnaire.pk)  # fmt: skip

    def render_page(self, form):
        return self.render_to_response(self.get_context_data(
            questionnaire=self.questionnaire, question=self.question, form=form,
            answered=selectors.question_answered(self.question),
        ))  # fmt: skip


class FormTimesView(EvaluationsMixin, TemplateView):
    """When one form opens and closes, in the program's zone."""

    access = "evaluations.manage_evaluations"
    template_name = "evaluations/questionnaire_form_times.html"

    def load(self):
        self.form = get_object_or_404(
            Form.objects.select_related("questionnaire", "session"), program=self.program, pk=self.kwargs["form_pk"]
        )

    def get(self, request, *args, **kwargs):
        self.load()
        return self.render_page(FormTimesForm(program=self.program, form=self.form))

    def post(self, request, *args, **kwargs):
        self.load()
        times = FormTimesForm(request.POST, program=self.program, form=self.form)
        if times.is_valid():
            try:
                services.form_times_update(form=self.form, opens_at=times.cleaned_data["opens_at"],
                                           closes_at=times.cleaned_data["closes_at"])  # fmt: skip
            except ValidationError as exc:
                add_service_errors(times, exc, rename={"opens_at": "opens_day", "closes_at": "closes_day"})
            else:
                messages.success(request, _("Saved: %(form)s.") % {"form": self.form})
                return redirect("evaluations:questionnaire", program_pk=self.program.pk,
                                questionnaire_pk=self.form.questionnaire_id)  # fmt: skip
        return self.render_page(times)

    def render_page(self, times):
        return self.render_to_response(self.get_context_data(evaluation_form=self.form, form=times))
