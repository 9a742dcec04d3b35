"""Evaluation documents: the results report (every part of the results page, with its charts drawn as SVG
and the numbers in tables), under the organizer's letterhead. Speaker results are anonymous as on the
page: a session with fewer than MIN_RESPONSES responses prints no averages, distribution or comments."""

from django.utils.translation import gettext_lazy

from retreat.documents import Document, program_document, register

from .charts import results_series, svg_charts
from .selectors.results import MIN_RESPONSES, program_results

EVALUATION_RESULTS = "evaluation_results"


@register(EVALUATION_RESULTS, label=gettext_lazy("Evaluation results (PDF)"))
def evaluation_results(job) -> Document:
    program = job.program
    results = program_results(program, comments=True)
    charts = svg_charts(results_series(results))
    return program_document(
        program,
        prefix="hasil-evaluasi",
        template="evaluations/pdf/results.html",
        rows=len(results.tests.rows) + len(results.assessment.rows),
        results=results,
        charts=charts,
        organization=[(result, charts.get(f"organization_{n}", "")) for n, result in enumerate(results.organization)],
        min_responses=MIN_RESPONSES,
    )
