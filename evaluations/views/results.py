"""The evaluation results, for every member of the program (leaders included): the five parts on one page,
one speaker session's results on its own page, the workbook of every table for managers (recorded in the
export audit) and, through the document pipeline, the printed report (documents.py).

Speaker results are anonymous: the pages show counts, averages, distributions and the comments, never who
answered; a session with fewer than MIN_RESPONSES responses shows none of them."""

from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import TemplateView

from retreat.downloads import attachment

from ..charts import form_series, results_series
from ..documents import EVALUATION_RESULTS
from ..enums import QuestionnaireKind
from ..models import Form
from ..selectors import results as selectors
from ..services import results as services
from .forms import EvaluationsMixin


class ResultsView(EvaluationsMixin, TemplateView):
    access = "evaluations.view_evaluations"
    template_name = "evaluations/results.html"

    def get_context_data(self, **kwargs):
        user, program = self.request.user, self.program
        results = selectors.program_results(program)
        return super().get_context_data(
            results=results,
            charts=[series.as_dict() for series in results_series(results)],
            min_responses=selectors.MIN_RESPONSES,
            can_export=user.has_perm("evaluations.export_results", program),
            can_print=user.has_perm("retreat.export_program_documents", program),
            document_kind=EVALUATION_RESULTS,
            **kwargs,
        )


class SpeakerResultView(EvaluationsMixin, TemplateView):
    """One speaker session: the average and distribution of each aspect, and the comments."""

    access = "evaluations.view_evaluations"
    template_name = "evaluations/results_speaker.html"

    def get_context_data(self, **kwargs):
        form = get_object_or_404(
            Form.objects.select_related("questionnaire", "session"),
            program=self.program,
            pk=self.kwargs["form_pk"],
            questionnaire__kind=QuestionnaireKind.SPEAKER,
            session__isnull=False,
        )
        result = selectors.speaker_result(form)
        series = form_series(result, id="speaker_form", title=result.title)
        return super().get_context_data(
            result=result,
            charts=[series.as_dict()],
            min_responses=selectors.MIN_RESPONSES,
            **kwargs,
        )


class ResultsExportView(EvaluationsMixin, View):
    """Every table of the results as one workbook (a sheet each)."""

    access = "evaluations.export_results"

    def get(self, request, *args, **kwargs):
        data, filename = services.results_export(program=self.program, user=request.user)
        return attachment(data, filename)
